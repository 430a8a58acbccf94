package io.jenkins.plugins.immutabledeployment.rollout;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/** Why and since when the rollout waits; {@code until} is set for a timed pause only. */
public record PauseState(Reason reason, Instant since, Instant until) {

    public PauseState {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
    }

    public enum Reason {
        /** A {@code pause: 'manual'} step: waits for promote or abort. */
        @JsonProperty("Manual")
        MANUAL,
        /** A {@code pause: '2m'} step: ends at {@code until}, or earlier on promote. */
        @JsonProperty("Duration")
        DURATION,
        /** An analysis was inconclusive: waits for a person to promote or abort. */
        @JsonProperty("Inconclusive")
        INCONCLUSIVE
    }
}
