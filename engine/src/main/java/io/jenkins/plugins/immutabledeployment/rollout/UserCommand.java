package io.jenkins.plugins.immutabledeployment.rollout;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * A person's promote or abort, as the runner observes it (a build-page button, a CLI command, an annotation).
 * {@code at} identifies it: the planner acts on a command once, and ignores commands older than the rollout.
 * {@code reason} is optional (an abort's explanation).
 */
public record UserCommand(Kind kind, String by, Instant at, String reason) {

    public UserCommand {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
    }

    public static UserCommand promote(String by, Instant at) {
        return new UserCommand(Kind.PROMOTE, by, at, null);
    }

    public static UserCommand abort(String by, Instant at, String reason) {
        return new UserCommand(Kind.ABORT, by, at, reason);
    }

    public enum Kind {
        @JsonProperty("Promote")
        PROMOTE,
        @JsonProperty("Abort")
        ABORT
    }
}
