package io.jenkins.plugins.immutabledeployment.model;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Duration;
import java.time.Instant;

/**
 * One step of a rollout plan and how far it got. Which optional fields are set depends on {@code kind}:
 * {@code setWeight} has {@code weight}; {@code pause} has {@code durationSeconds}, or {@code manual} true for a
 * pause that waits for a person; {@code analysis} has {@code analysis} (the analysis name).
 *
 * @param kind what the step does
 * @param weight the canary's share of traffic in percent, for {@code setWeight}
 * @param durationSeconds how long a timed pause lasts
 * @param manual {@code true} for a pause that waits for Promote or Abort; absent otherwise
 * @param analysis the analysis name, for {@code analysis}
 * @param state where the step stands
 * @param startedAt when it started, or {@code null}
 * @param finishedAt when it ended, or {@code null}
 * @param endsAt for a running timed pause: when it will end
 */
public record StepView(
        StepKind kind,
        Integer weight,
        Long durationSeconds,
        Boolean manual,
        String analysis,
        StepState state,
        Instant startedAt,
        Instant finishedAt,
        Instant endsAt) {

    public StepView {
        ModelChecks.required(kind, "steps.kind", "one of setWeight, pause, analysis");
        ModelChecks.required(state, "steps.state", "one of pending, running, succeeded, failed, skipped");
        if (Boolean.FALSE.equals(manual)) {
            manual = null;
        }
        switch (kind) {
            case SET_WEIGHT -> ModelChecks.required(ModelChecks.weight(weight, "steps.weight"), "steps.weight",
                    "a percentage from 0 to 100");
            case PAUSE -> {
                if ((durationSeconds == null) == (manual == null)) {
                    throw new InvalidInputException(
                            "steps.durationSeconds", "a pause needs either a duration or manual, not both or neither",
                            "durationSeconds >= 0, or manual: true");
                }
                if (durationSeconds != null && durationSeconds < 0) {
                    throw new InvalidInputException("steps.durationSeconds", durationSeconds + " is negative",
                            "seconds >= 0");
                }
            }
            case ANALYSIS -> ModelChecks.required(analysis, "steps.analysis");
        }
    }

    public static StepView setWeight(int weight) {
        return new StepView(StepKind.SET_WEIGHT, weight, null, null, null, StepState.PENDING, null, null, null);
    }

    public static StepView pause(Duration duration) {
        return new StepView(StepKind.PAUSE, null, duration.toSeconds(), null, null, StepState.PENDING, null, null, null);
    }

    public static StepView manualPause() {
        return new StepView(StepKind.PAUSE, null, null, true, null, StepState.PENDING, null, null, null);
    }

    public static StepView analysis(String name) {
        return new StepView(StepKind.ANALYSIS, null, null, null, name, StepState.PENDING, null, null, null);
    }

    /** Started and not yet ended; a timed pause also gets its {@code endsAt}. */
    public StepView running(Instant started) {
        Instant ends = kind == StepKind.PAUSE && durationSeconds != null ? started.plusSeconds(durationSeconds) : null;
        return new StepView(kind, weight, durationSeconds, manual, analysis, StepState.RUNNING, started, null, ends);
    }

    public StepView succeeded(Instant started, Instant finished) {
        return with(StepState.SUCCEEDED, started, finished);
    }

    public StepView failed(Instant started, Instant finished) {
        return with(StepState.FAILED, started, finished);
    }

    public StepView skipped() {
        return with(StepState.SKIPPED, null, null);
    }

    private StepView with(StepState newState, Instant started, Instant finished) {
        return new StepView(kind, weight, durationSeconds, manual, analysis, newState, started, finished, null);
    }
}
