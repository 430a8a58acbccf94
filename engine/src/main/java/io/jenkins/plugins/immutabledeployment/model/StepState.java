package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a rollout step stands. */
public enum StepState {
    @JsonProperty("pending")
    PENDING,
    @JsonProperty("running")
    RUNNING,
    @JsonProperty("succeeded")
    SUCCEEDED,
    @JsonProperty("failed")
    FAILED,
    /** Never reached because the rollout stopped before it (aborted or failed). */
    @JsonProperty("skipped")
    SKIPPED
}
