package io.jenkins.plugins.immutabledeployment.rollout;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a rollout stands, for people and for callers deciding what to do next. A pure function of the plan
 * and the status ({@link #of}), in the spirit of Argo Rollouts' {@code CalculateRolloutPhase}; Argo folds a user
 * abort into Degraded, here the two are apart so that "someone stopped it" does not read as "it broke".
 */
public enum RolloutPhase {
    /** Moving through steps, promoting stable, or about to restart because the plan changed. */
    @JsonProperty("Progressing")
    PROGRESSING,
    /** Waiting at a pause: manual, timed, or an inconclusive analysis (promote or abort decides). */
    @JsonProperty("Paused")
    PAUSED,
    /** Done: stable runs the pinned digest on every pod, the canary is gone. */
    @JsonProperty("Healthy")
    HEALTHY,
    /** Stopped by a failure (canary health, analysis, deadline, drift); traffic is (being) returned to stable. */
    @JsonProperty("Degraded")
    DEGRADED,
    /** Stopped by a person or by the caller cancelling; traffic is (being) returned to stable. */
    @JsonProperty("Aborted")
    ABORTED;

    public static RolloutPhase of(RolloutPlan plan, RolloutStatus status) {
        if (status.abort() != null) {
            return status.abort().cause() == AbortState.Cause.FAILED ? DEGRADED : ABORTED;
        }
        if (status.position().stage() == Stage.DONE) {
            return HEALTHY;
        }
        if (!status.planHash().equals(plan.hash())) {
            return PROGRESSING;
        }
        return status.pause() != null ? PAUSED : PROGRESSING;
    }
}
