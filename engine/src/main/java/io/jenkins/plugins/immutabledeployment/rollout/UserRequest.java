package io.jenkins.plugins.immutabledeployment.rollout;

import java.time.Instant;
import java.util.Objects;

/** A command the planner has handled, kept in the status: who, when, at which step, and what it did. */
public record UserRequest(UserCommand.Kind kind, String by, Instant at, int stepIndex, String effect) {

    public UserRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(effect, "effect");
    }
}
