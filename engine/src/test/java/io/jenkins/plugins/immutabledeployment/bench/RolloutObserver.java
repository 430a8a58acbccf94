package io.jenkins.plugins.immutabledeployment.bench;

import io.jenkins.plugins.immutabledeployment.canary.RolloutListener;
import io.jenkins.plugins.immutabledeployment.rollout.AnalysisRun;
import io.jenkins.plugins.immutabledeployment.rollout.AnalysisSpec;
import io.jenkins.plugins.immutabledeployment.rollout.Measurement;
import io.jenkins.plugins.immutabledeployment.rollout.PauseState;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.rollout.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Hears one rollout's statuses and works out, from the statuses alone, how late its scheduled decisions were taken:
 * the end of a timed pause (due at the pause's {@code until}, taken at the {@code since} of the position after it)
 * and each analysis measurement (due at the step's start plus {@code initialDelay}, then {@code interval} after the
 * previous one; taken at its {@code takenAt}).
 */
final class RolloutObserver implements RolloutListener {

    private final List<Duration> lags = new ArrayList<>();
    private RolloutStatus last;
    private PauseState timedPause;
    private int pausedAt = -1;
    private volatile boolean paused;

    @Override
    public synchronized void onStatus(RolloutPlan plan, RolloutStatus status) {
        if (timedPause != null && (status.position().stepIndex() != pausedAt || status.position().stage() != Stage.STEPS)
                && status.abort() == null) {
            lags.add(Duration.between(timedPause.until(), status.position().since()));
            timedPause = null;
        }
        if (status.pause() != null && status.pause().reason() == PauseState.Reason.DURATION && timedPause == null
                && status.position().stepIndex() != pausedAt) {
            timedPause = status.pause();
            pausedAt = status.position().stepIndex();
        }
        paused = status.pause() != null;
        last = status;
    }

    boolean paused() {
        return paused;
    }

    synchronized RolloutStatus last() {
        return last;
    }

    /** Every scheduled decision's lag behind its due time, measurements included (from the last status). */
    synchronized List<Duration> lags(RolloutPlan plan) {
        List<Duration> all = new ArrayList<>(lags);
        if (last != null) {
            for (AnalysisRun run : last.analysisRuns()) {
                AnalysisSpec spec = plan.analysis(run.name());
                Instant due = run.startedAt().plus(spec.initialDelay());
                for (Measurement measurement : run.measurements()) {
                    all.add(Duration.between(due, measurement.takenAt()));
                    due = spec.nextAfter(measurement.takenAt());
                }
            }
        }
        return all;
    }

    /** When the failing measurement that stopped the rollout was taken, if an analysis stopped it. */
    synchronized Instant failedMeasurementAt() {
        if (last == null) {
            return null;
        }
        return last.analysisRuns().stream().flatMap(r -> r.measurements().stream())
                .filter(m -> m.outcome() == io.jenkins.plugins.immutabledeployment.rollout.MeasurementOutcome.FAILED)
                .map(Measurement::takenAt).min(Instant::compareTo).orElse(null);
    }
}
