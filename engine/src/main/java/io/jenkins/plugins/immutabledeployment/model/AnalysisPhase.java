package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The verdict of one analysis run so far. */
public enum AnalysisPhase {
    @JsonProperty("Pending")
    PENDING,
    @JsonProperty("Running")
    RUNNING,
    @JsonProperty("Successful")
    SUCCESSFUL,
    @JsonProperty("Failed")
    FAILED,
    /** Too many measurements without a verdict: waits for a person, never passes silently. */
    @JsonProperty("Inconclusive")
    INCONCLUSIVE,
    /** Too many queries failed in a row. */
    @JsonProperty("Error")
    ERROR
}
