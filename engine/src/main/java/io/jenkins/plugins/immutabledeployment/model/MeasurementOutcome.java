package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The verdict on one measurement of an analysis. */
public enum MeasurementOutcome {
    @JsonProperty("Successful")
    SUCCESSFUL,
    @JsonProperty("Failed")
    FAILED,
    /** The query returned no data or NaN: neither a pass nor a failure. */
    @JsonProperty("Inconclusive")
    INCONCLUSIVE,
    /** The query itself failed. */
    @JsonProperty("Error")
    ERROR
}
