package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The phase of a whole rollout, as the rollout engine computes it. */
public enum RolloutPhase {
    /** Moving through its steps. */
    @JsonProperty("Progressing")
    PROGRESSING,
    /** Waiting: a timed or manual pause, or an inconclusive analysis waiting for a person. */
    @JsonProperty("Paused")
    PAUSED,
    /** Finished: the stable Deployment runs the new digest. */
    @JsonProperty("Healthy")
    HEALTHY,
    /** The canary is unhealthy and the rollout is stopping. */
    @JsonProperty("Degraded")
    DEGRADED,
    /** Stopped by a failure or a person; traffic is back on stable. */
    @JsonProperty("Aborted")
    ABORTED
}
