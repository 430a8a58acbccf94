package io.jenkins.plugins.immutabledeployment.rollout;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where one analysis run stands (Argo Rollouts' analysis phases, plus Terminated). */
public enum AnalysisPhase {
    @JsonProperty("Running")
    RUNNING,
    /** {@code count} conclusive measurements within the limits, at least one successful: the rollout goes on. */
    @JsonProperty("Successful")
    SUCCESSFUL,
    /** More failed measurements than {@code failureLimit}: the rollout aborts (Degraded). */
    @JsonProperty("Failed")
    FAILED,
    /** More inconclusive measurements than {@code inconclusiveLimit} (or none successful): the rollout pauses. */
    @JsonProperty("Inconclusive")
    INCONCLUSIVE,
    /** More errors in a row than {@code consecutiveErrorLimit}: the rollout aborts (Degraded). */
    @JsonProperty("Error")
    ERROR,
    /** The rollout was aborted while this run was still running. */
    @JsonProperty("Terminated")
    TERMINATED
}
