package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a rollout step does; the JSON names are Argo Rollouts' words, which users already know. */
public enum StepKind {
    @JsonProperty("setWeight")
    SET_WEIGHT,
    @JsonProperty("pause")
    PAUSE,
    @JsonProperty("analysis")
    ANALYSIS
}
