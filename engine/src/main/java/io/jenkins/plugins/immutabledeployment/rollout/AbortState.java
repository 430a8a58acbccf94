package io.jenkins.plugins.immutabledeployment.rollout;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/** Why the rollout was stopped, when, and by whom ({@code by} for a person's abort only). */
public record AbortState(Cause cause, String reason, Instant at, String by) {

    public AbortState {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }

    public enum Cause {
        /** Canary health, an analysis, a deadline or image drift: phase Degraded. */
        @JsonProperty("Failed")
        FAILED,
        /** A person asked (Abort button, CLI): phase Aborted. */
        @JsonProperty("Requested")
        REQUESTED,
        /** The caller went away: the Jenkins build was aborted, Ctrl-C on the CLI. Phase Aborted. */
        @JsonProperty("Cancelled")
        CANCELLED,
        /**
         * The holder's process went away and another holder took the Deployment over once its lock had expired
         * ({@code by} names it). Phase Aborted.
         */
        @JsonProperty("TakenOver")
        TAKEN_OVER
    }
}
