package io.jenkins.plugins.immutabledeployment.model;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One step of a rollout plan and how far it got. Which optional fields are set depends on {@code kind}:
 * {@code setWeight} has {@code weight}; {@code pause} has {@code durationSeconds}, or {@code manual} true for a
 * pause that waits for a person; {@code analysis} has {@code analysis} (the analysis name). A blue/green rollout's
 * first and last steps are {@code setWeight} 0 and 100 with a {@code role}: {@code preview} (with the preview's
 * {@code replicas} and {@code services} when known) and {@code switch}.
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
 * @param role {@code preview} or {@code switch} on a blue/green rollout's {@code setWeight} steps; absent otherwise
 * @param replicas for the preview: how many pods it runs (the stable's replica count), or {@code null} when not known
 * @param services for the preview: the Services it is reachable through, or {@code null} when not known
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
        Instant endsAt,
        StepRole role,
        Integer replicas,
        List<String> services) {

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
        checkRole(kind, weight, role, replicas, services);
        services = services == null ? null : List.copyOf(services);
    }

    private static void checkRole(StepKind kind, Integer weight, StepRole role, Integer replicas, List<String> services) {
        if (role != null) {
            int expected = role == StepRole.PREVIEW ? 0 : 100;
            if (kind != StepKind.SET_WEIGHT || weight != expected) {
                throw new InvalidInputException("steps.role", role + " on a step that is not setWeight " + expected,
                        "preview on setWeight 0, switch on setWeight 100");
            }
        }
        if ((replicas != null || services != null) && role != StepRole.PREVIEW) {
            throw new InvalidInputException(replicas != null ? "steps.replicas" : "steps.services", "is only for the preview",
                    "replicas and services on the step whose role is preview");
        }
        if (replicas != null && replicas < 1) {
            throw new InvalidInputException("steps.replicas", replicas + " is less than 1", "the preview's pod count, at least 1");
        }
        if (services != null && services.stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw new InvalidInputException("steps.services", "has an empty name", "Service names");
        }
    }

    public static StepView setWeight(int weight) {
        return pending(StepKind.SET_WEIGHT, weight, null, null, null, null, null, null);
    }

    public static StepView pause(Duration duration) {
        return pending(StepKind.PAUSE, null, duration.toSeconds(), null, null, null, null, null);
    }

    public static StepView manualPause() {
        return pending(StepKind.PAUSE, null, null, true, null, null, null, null);
    }

    public static StepView analysis(String name) {
        return pending(StepKind.ANALYSIS, null, null, null, name, null, null, null);
    }

    /** Blue/green's first step: {@code setWeight: 0} at full size; its pod count and Services when known (else null). */
    public static StepView preview(Integer replicas, List<String> services) {
        return pending(StepKind.SET_WEIGHT, 0, null, null, null, StepRole.PREVIEW, replicas, services);
    }

    /** Blue/green's last step: {@code setWeight: 100}, all traffic at once. */
    public static StepView switchAllTraffic() {
        return pending(StepKind.SET_WEIGHT, 100, null, null, null, StepRole.SWITCH, null, null);
    }

    private static StepView pending(StepKind kind, Integer weight, Long durationSeconds, Boolean manual, String analysis,
            StepRole role, Integer replicas, List<String> services) {
        return new StepView(kind, weight, durationSeconds, manual, analysis, StepState.PENDING, null, null, null, role, replicas,
                services);
    }

    /** Started and not yet ended; a timed pause also gets its {@code endsAt}. */
    public StepView running(Instant started) {
        Instant ends = kind == StepKind.PAUSE && durationSeconds != null ? started.plusSeconds(durationSeconds) : null;
        return new StepView(kind, weight, durationSeconds, manual, analysis, StepState.RUNNING, started, null, ends, role,
                replicas, services);
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
        return new StepView(kind, weight, durationSeconds, manual, analysis, newState, started, finished, null, role, replicas,
                services);
    }
}
