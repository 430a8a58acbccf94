package io.jenkins.plugins.immutabledeployment.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * Where the rollout is: the stage, the step being executed (equal to the number of steps once all are done)
 * and since when — the start of the current step or stage, from which pauses and deadlines count.
 */
public record Position(Stage stage, int stepIndex, Instant since) {

    public Position {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(since, "since");
    }
}
