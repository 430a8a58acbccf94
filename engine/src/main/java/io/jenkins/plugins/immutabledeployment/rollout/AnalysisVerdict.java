package io.jenkins.plugins.immutabledeployment.rollout;

import java.util.List;

/**
 * Judges an analysis run from its counters, in Argo Rollouts' order: failures first, then inconclusive
 * measurements, then consecutive errors, then whether {@code count} is reached.
 */
final class AnalysisVerdict {

    private AnalysisVerdict() {}

    static AnalysisRun assess(AnalysisSpec spec, AnalysisRun run) {
        if (run.failed() > spec.failureLimit()) {
            return run.withPhase(AnalysisPhase.FAILED, "failed: " + run.failed() + " failed measurement"
                    + (run.failed() == 1 ? "" : "s") + ", more than failureLimit " + spec.failureLimit()
                    + lastOf(run, MeasurementOutcome.FAILED));
        }
        if (run.inconclusive() > spec.inconclusiveLimit()) {
            return run.withPhase(AnalysisPhase.INCONCLUSIVE, "inconclusive: " + run.inconclusive() + " inconclusive measurement"
                    + (run.inconclusive() == 1 ? "" : "s") + ", more than inconclusiveLimit " + spec.inconclusiveLimit()
                    + lastOf(run, MeasurementOutcome.INCONCLUSIVE));
        }
        if (run.consecutiveErrors() > spec.consecutiveErrorLimit()) {
            return run.withPhase(AnalysisPhase.ERROR, "errored: " + run.consecutiveErrors()
                    + " errors in a row, more than consecutiveErrorLimit " + spec.consecutiveErrorLimit()
                    + lastOf(run, MeasurementOutcome.ERROR));
        }
        if (run.conclusive() >= spec.count()) {
            if (run.successful() == 0) {
                return run.withPhase(AnalysisPhase.INCONCLUSIVE, "inconclusive: none of " + run.conclusive()
                        + " measurements was successful");
            }
            return run.withPhase(AnalysisPhase.SUCCESSFUL, "passed: " + run.successful() + " of " + run.conclusive()
                    + " measurements successful");
        }
        String progress = run.conclusive() + " of " + spec.count() + " measurements taken"
                + (run.consecutiveErrors() > 0 ? ", " + run.consecutiveErrors() + " errors in a row" : "");
        return run.withPhase(AnalysisPhase.RUNNING, progress + lastOf(run, null));
    }

    /** {@code " (last: <message>)"} for the latest kept measurement with {@code outcome} (any when null). */
    private static String lastOf(AnalysisRun run, MeasurementOutcome outcome) {
        List<Measurement> kept = run.measurements();
        for (int i = kept.size() - 1; i >= 0; i--) {
            Measurement m = kept.get(i);
            if (outcome == null || m.outcome() == outcome) {
                return m.message() == null ? "" : " (last: " + m.message() + ")";
            }
        }
        return "";
    }
}
