package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A button the viewer may press. Approve and reject act on a promotion, promote and abort on a rollout. */
public enum ActionKind {
    @JsonProperty("approve")
    APPROVE("Approve", true),
    @JsonProperty("reject")
    REJECT("Reject", true),
    @JsonProperty("promote")
    PROMOTE("Promote", false),
    @JsonProperty("abort")
    ABORT("Abort", false);

    private final String defaultLabel;
    private final boolean onPromotion;

    ActionKind(String defaultLabel, boolean onPromotion) {
        this.defaultLabel = defaultLabel;
        this.onPromotion = onPromotion;
    }

    public String defaultLabel() {
        return defaultLabel;
    }

    /** Whether this action targets a promotion ({@code promotionId}) rather than a rollout ({@code rolloutId}). */
    public boolean onPromotion() {
        return onPromotion;
    }
}
