package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a promotion stands. */
public enum PromotionState {
    /** The build waits for a permitted user to approve or reject. */
    @JsonProperty("awaitingApproval")
    AWAITING_APPROVAL,
    /** Approved (or needing no approval) and being copied. */
    @JsonProperty("promoting")
    PROMOTING,
    /** Copied; the target digest equals the source digest. */
    @JsonProperty("promoted")
    PROMOTED,
    @JsonProperty("rejected")
    REJECTED,
    @JsonProperty("failed")
    FAILED
}
