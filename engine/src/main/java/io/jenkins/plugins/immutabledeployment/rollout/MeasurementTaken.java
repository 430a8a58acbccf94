package io.jenkins.plugins.immutabledeployment.rollout;

import java.util.Objects;

/** A measurement the runner took in answer to {@code request}, delivered to the planner in an observation. */
public record MeasurementTaken(Action.RunMeasurement request, Measurement measurement) {

    public MeasurementTaken {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(measurement, "measurement");
    }
}
