package io.jenkins.plugins.immutabledeployment.rollout;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How one measurement came out (Argo Rollouts' measurement phases, less the in-flight ones). */
public enum MeasurementOutcome {
    /** The value satisfied {@code successIf} (or did not meet {@code failIf} when only that is given). */
    @JsonProperty("Successful")
    SUCCESSFUL,
    /** The value met {@code failIf} (or missed {@code successIf} when only that is given). */
    @JsonProperty("Failed")
    FAILED,
    /** No data, NaN, or a value neither condition decides. Counted against {@code inconclusiveLimit}. */
    @JsonProperty("Inconclusive")
    INCONCLUSIVE,
    /** The query itself failed (HTTP error, Prometheus error, timeout). Counted against {@code consecutiveErrorLimit}, retried. */
    @JsonProperty("Error")
    ERROR
}
