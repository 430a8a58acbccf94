package io.jenkins.plugins.immutabledeployment.model;

import java.time.Instant;

/**
 * One measurement of an analysis.
 *
 * @param at when the query ran
 * @param value the query's result, or {@code null} when there was none (no data, NaN, or an error)
 * @param outcome the verdict on this measurement
 * @param message why it was inconclusive or an error, or {@code null}
 */
public record MeasurementView(Instant at, Double value, MeasurementOutcome outcome, String message) {

    public MeasurementView {
        ModelChecks.required(at, "measurements.at", "an ISO-8601 instant");
        ModelChecks.required(outcome, "measurements.outcome", "one of Successful, Failed, Inconclusive, Error");
        if (value != null && !Double.isFinite(value)) {
            value = null; // JSON has no NaN or infinity; the outcome already says what it meant
        }
    }

    public MeasurementView(Instant at, Double value, MeasurementOutcome outcome) {
        this(at, value, outcome, null);
    }
}
