package io.jenkins.plugins.immutabledeployment.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The planner's answer: actions to execute (idempotent, in a safe order), the status to save afterwards, and
 * when to call the planner again at the latest if nothing is observed before ({@code wakeAt}: the end of a
 * timed pause, the next measurement, a deadline). Empty {@code wakeAt}: only an observation (a weight in effect,
 * a promote, a delivered measurement) can move the rollout on.
 */
public record Decision(List<Action> actions, RolloutStatus newStatus, Optional<Instant> wakeAt) {

    public Decision {
        actions = List.copyOf(actions);
        Objects.requireNonNull(newStatus, "newStatus");
        Objects.requireNonNull(wakeAt, "wakeAt");
    }

    public RolloutPhase phase() {
        return newStatus.phase();
    }

    public boolean finished() {
        return newStatus.isFinished();
    }
}
