package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.Locale;

/**
 * A button the viewer of this document may press now. The producer lists only what the viewer is permitted
 * to do; the UI renders buttons from this list alone and POSTs to {@code url} (same origin only, with the
 * CSRF crumb).
 *
 * @param kind what the button does
 * @param label the button's text
 * @param url where to POST, absolute or relative to the page
 * @param rolloutId the rollout it acts on (promote, abort), else {@code null}
 * @param promotionId the promotion it acts on (approve, reject), else {@code null}
 * @param acceptsComment whether the UI offers a comment field, sent as the form field {@code comment}
 */
public record ActionView(
        ActionKind kind,
        String label,
        String url,
        String rolloutId,
        String promotionId,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean acceptsComment) {

    public ActionView {
        ModelChecks.required(kind, "actions.kind", "one of approve, reject, promote, abort");
        ModelChecks.required(url, "actions.url");
        if (label == null || label.isEmpty()) {
            label = kind.defaultLabel();
        }
        String target = kind.onPromotion() ? promotionId : rolloutId;
        String other = kind.onPromotion() ? rolloutId : promotionId;
        String targetField = kind.onPromotion() ? "actions.promotionId" : "actions.rolloutId";
        if (target == null || target.isEmpty() || other != null) {
            throw new InvalidInputException(targetField, "is required for a " + kind.name().toLowerCase(Locale.ROOT)
                    + " action, and only it", "the id of the " + (kind.onPromotion() ? "promotion" : "rollout") + " acted on");
        }
    }

    public static ActionView approve(String promotionId, String url) {
        return new ActionView(ActionKind.APPROVE, null, url, null, promotionId, true);
    }

    public static ActionView reject(String promotionId, String url) {
        return new ActionView(ActionKind.REJECT, null, url, null, promotionId, true);
    }

    public static ActionView promote(String rolloutId, String url) {
        return new ActionView(ActionKind.PROMOTE, null, url, rolloutId, null, false);
    }

    public static ActionView abort(String rolloutId, String url) {
        return new ActionView(ActionKind.ABORT, null, url, rolloutId, null, false);
    }

    public ActionView withLabel(String newLabel) {
        return new ActionView(kind, newLabel, url, rolloutId, promotionId, acceptsComment);
    }
}
