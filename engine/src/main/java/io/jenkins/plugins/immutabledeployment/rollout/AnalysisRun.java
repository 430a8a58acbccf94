package io.jenkins.plugins.immutabledeployment.rollout;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One run of an analysis at one step: counters over all its measurements and the most recent
 * {@value #MEASUREMENT_HISTORY} measurements themselves (the status lives in an annotation, which must stay small).
 */
public record AnalysisRun(
        String name,
        int stepIndex,
        Instant startedAt,
        AnalysisPhase phase,
        int successful,
        int failed,
        int inconclusive,
        int errors,
        int consecutiveErrors,
        List<Measurement> measurements,
        String message) {

    /** How many measurements a run keeps (as Argo Rollouts' default measurement history limit). */
    public static final int MEASUREMENT_HISTORY = 10;

    public AnalysisRun {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(phase, "phase");
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
    }

    public static AnalysisRun start(String name, int stepIndex, Instant startedAt) {
        return new AnalysisRun(name, stepIndex, startedAt, AnalysisPhase.RUNNING, 0, 0, 0, 0, 0, List.of(), null);
    }

    /** Measurements taken so far, errors included: the index the next measurement gets. */
    @JsonIgnore
    public int taken() {
        return successful + failed + inconclusive + errors;
    }

    /** Measurements that counted towards {@code count}: all but errors. */
    @JsonIgnore
    public int conclusive() {
        return successful + failed + inconclusive;
    }

    /** When the last measurement was taken, or null before the first. */
    @JsonIgnore
    public Instant lastTakenAt() {
        return measurements.isEmpty() ? null : measurements.get(measurements.size() - 1).takenAt();
    }

    /** This run with {@code measurement} counted and kept. */
    public AnalysisRun with(Measurement measurement) {
        List<Measurement> kept = new ArrayList<>(measurements);
        kept.add(measurement);
        if (kept.size() > MEASUREMENT_HISTORY) {
            kept = kept.subList(kept.size() - MEASUREMENT_HISTORY, kept.size());
        }
        MeasurementOutcome outcome = measurement.outcome();
        return new AnalysisRun(name, stepIndex, startedAt, phase,
                successful + (outcome == MeasurementOutcome.SUCCESSFUL ? 1 : 0),
                failed + (outcome == MeasurementOutcome.FAILED ? 1 : 0),
                inconclusive + (outcome == MeasurementOutcome.INCONCLUSIVE ? 1 : 0),
                errors + (outcome == MeasurementOutcome.ERROR ? 1 : 0),
                outcome == MeasurementOutcome.ERROR ? consecutiveErrors + 1 : 0,
                kept, message);
    }

    public AnalysisRun withPhase(AnalysisPhase newPhase, String newMessage) {
        return new AnalysisRun(name, stepIndex, startedAt, newPhase, successful, failed, inconclusive, errors,
                consecutiveErrors, measurements, newMessage);
    }
}
