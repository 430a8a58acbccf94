package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a blue/green rollout's {@code setWeight} step stands for. The step keeps its kind and weight, so a reader
 * that does not know roles still reads it right ({@code setWeight} 0, then 100).
 */
public enum StepRole {
    /** {@code setWeight: 0}: the new version at the stable's full replica count, with no traffic. */
    @JsonProperty("preview")
    PREVIEW,
    /** {@code setWeight: 100}: all traffic to the new version at once. */
    @JsonProperty("switch")
    SWITCH
}
