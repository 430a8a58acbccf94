package io.jenkins.plugins.immutabledeployment.model;

import static io.jenkins.plugins.immutabledeployment.build.StepParameters.flag;
import static io.jenkins.plugins.immutabledeployment.build.StepParameters.only;
import static io.jenkins.plugins.immutabledeployment.build.StepParameters.text;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.build.StepParameters;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.promotion.Promotion;
import io.jenkins.plugins.immutabledeployment.promotion.PromotionGates;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import io.jenkins.plugins.immutabledeployment.rollout.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The checked inputs of one {@code promote} step: the engine's {@link Promotion} (what is copied where, under which
 * stage, after which gates) and the approval it waits for. Everything is checked here, before a registry is
 * contacted or anyone is asked.
 *
 * @param promotion the promotion as asked: approval, build URL and signing key are added when it is made
 * @param approval the approval to wait for, or {@code null}
 */
public record PromotionRequest(Promotion promotion, Approval approval) {

    public static final List<String> PARAMETERS = List.of(
            "image", "to", "tag", "resolve", "stage", "requireProvenance", "publicKey", "requirePromotedTo", "approval");

    private static final List<String> APPROVAL_KEYS = List.of("submitters", "message", "timeout");

    public PromotionRequest {
        Objects.requireNonNull(promotion, "promotion");
    }

    /**
     * What a promotion waits for.
     *
     * @param submitters who may decide
     * @param prompt the question shown to them
     * @param timeout how long they have, or {@code null}: as long as the build runs
     */
    public record Approval(Submitters submitters, String prompt, Duration timeout) {}

    /**
     * Checks the step's parameters ({@link #PARAMETERS}; absent or {@code null} means not given; {@code approval}
     * is a map of {@code submitters}, {@code message}, {@code timeout}).
     */
    public static PromotionRequest parse(Map<String, ?> parameters) {
        only(parameters, PARAMETERS, "promote");
        String image = text(parameters, "image");
        if (image == null) {
            throw new InvalidInputException("image", "is missing", "the image to promote, REPO@sha256:<64 hex>");
        }
        ImageRef source = ImageRef.parse(image, "image");
        String to = text(parameters, "to");
        if (to == null) {
            throw new InvalidInputException("to", "is missing", "the repository to promote to, REPO[:TAG]");
        }
        ImageRef target = ImageRef.parse(to, "to");
        if (target.digest() == null) {
            target = StepParameters.withTag(target, text(parameters, "tag"), "to");
        }
        String stage = text(parameters, "stage");
        String publicKey = text(parameters, "publicKey");
        PromotionGates gates = new PromotionGates(flag(parameters, "requireProvenance"), text(parameters, "requirePromotedTo"),
                publicKey == null ? null : VerificationKey.fromPem(publicKey, "publicKey"));
        Promotion promotion = new Promotion(source, flag(parameters, "resolve"), null, target,
                stage != null ? stage : Promotion.defaultStage(target), null, null, null, gates, TagPolicy.IMMUTABLE);
        return new PromotionRequest(promotion, approval(parameters.get("approval"), source, target));
    }

    public ImageRef source() {
        return promotion.image();
    }

    public ImageRef target() {
        return promotion.target();
    }

    public String stage() {
        return promotion.stage();
    }

    private static Approval approval(Object value, ImageRef source, ImageRef target) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidInputException("approval", "is not a map", "[submitters: 'alice,release-managers', message: '…', timeout: '24h']");
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> approval = (Map<String, ?>) map;
        only(approval, APPROVAL_KEYS, "approval");
        Submitters submitters = Submitters.parse(text(approval, "submitters", "approval.submitters"), "approval.submitters");
        String timeout = text(approval, "timeout", "approval.timeout");
        String message = text(approval, "message", "approval.message");
        return new Approval(submitters, message != null ? message : "Promote " + source + " to " + target + "?",
                timeout == null ? null : positive(Durations.parse(timeout, "approval.timeout")));
    }

    private static Duration positive(Duration timeout) {
        if (timeout.isZero()) {
            throw new InvalidInputException("approval.timeout", "is zero", "a positive " + Durations.ACCEPTED_FORM);
        }
        return timeout;
    }
}
