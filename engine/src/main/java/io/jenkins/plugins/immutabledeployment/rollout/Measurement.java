package io.jenkins.plugins.immutabledeployment.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * One measurement of an analysis: when it was taken, how it came out, the value as Prometheus returned it
 * ({@code "0.25"}, {@code "[0.1, 0.7]"}, {@code "NaN"}; absent for errors and empty results) and a sentence for
 * people ({@code "0.7 > 0.5 (failIf)"}, {@code "query returned no data"}).
 */
public record Measurement(Instant takenAt, MeasurementOutcome outcome, String value, String message) {

    public Measurement {
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(outcome, "outcome");
    }

    public static Measurement error(Instant takenAt, String message) {
        return new Measurement(takenAt, MeasurementOutcome.ERROR, null, message);
    }
}
