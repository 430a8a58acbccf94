package io.jenkins.plugins.immutabledeployment.model;

import java.util.List;

/**
 * The results of one analysis run: the measurements taken so far and the verdict.
 *
 * @param name the analysis name from the plan
 * @param stepIndex the index in {@code steps} of the analysis step that ran it, or {@code null}
 * @param phase the verdict so far
 * @param measurements oldest first
 */
public record AnalysisRunView(String name, Integer stepIndex, AnalysisPhase phase, List<MeasurementView> measurements) {

    public AnalysisRunView {
        ModelChecks.required(name, "analyses.name");
        ModelChecks.required(phase, "analyses.phase", "one of Pending, Running, Successful, Failed, Inconclusive, Error");
        measurements = ModelChecks.list(measurements);
    }
}
