package io.jenkins.plugins.immutabledeployment.model;

import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.rollout.PauseState;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.rollout.Stage;
import io.jenkins.plugins.immutabledeployment.rollout.Step;
import java.time.Instant;
import java.util.List;

/**
 * The build page's view of a running or finished canary rollout, made from the runner's plan and its saved status.
 * Steps before the current one have succeeded, the current one runs (or failed, when the rollout failed on it), the
 * rest are pending (or skipped once the rollout ended early).
 */
public final class RolloutViews {

    private RolloutViews() {}

    public static RolloutView of(String id, DeploymentTarget target, String cluster, RolloutPlan plan, RolloutStatus status) {
        RolloutPhase phase = RolloutPhase.valueOf(io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase.of(plan, status).name());
        boolean finished = status.isFinished() || phase == RolloutPhase.HEALTHY;
        boolean inSteps = status.position().stage() == Stage.STEPS;
        int current = inSteps ? status.position().stepIndex() : plan.steps().size();
        RolloutView.Builder view = RolloutView.builder(id, target.deployment(), target.namespace())
                .cluster(cluster)
                .image(plan.image())
                .phase(phase)
                .running(!finished)
                .at(inSteps && current < plan.steps().size() ? current : null, status.weight())
                .message(status.message())
                .started(status.startedAt())
                .finished(status.finishedAt());
        if (status.abort() != null) {
            view.aborted(status.abort().reason());
        }
        Instant since = status.position().since();
        List<Step> steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            StepView step = pending(steps.get(i));
            if (i < current) {
                step = step.succeeded(null, null);
            } else if (i == current && status.abort() != null) {
                step = step.failed(since, status.abort().at());
            } else if (i == current && !finished) {
                step = step.running(since);
            } else if (finished) {
                step = step.skipped();
            }
            view.step(step);
        }
        return view.build();
    }

    /** Whether the rollout waits for a person: on a manual pause or after an inconclusive analysis. */
    public static boolean awaitsDecision(RolloutStatus status) {
        PauseState pause = status.pause();
        return !status.isFinished() && status.abort() == null && pause != null
                && (pause.reason() == PauseState.Reason.MANUAL || pause.reason() == PauseState.Reason.INCONCLUSIVE);
    }

    /** As the build page sees it: paused on a manual pause, or on an analysis step (paused there only when the analysis was inconclusive). */
    public static boolean awaitsDecision(RolloutView rollout) {
        Integer index = rollout.currentStepIndex();
        if (!rollout.running() || rollout.phase() != RolloutPhase.PAUSED || index == null || index >= rollout.steps().size()) {
            return false;
        }
        StepView step = rollout.steps().get(index);
        return step.kind() == StepKind.ANALYSIS || (step.kind() == StepKind.PAUSE && Boolean.TRUE.equals(step.manual()));
    }

    private static StepView pending(Step step) {
        if (step instanceof Step.SetWeight w) {
            return StepView.setWeight(w.percent());
        }
        if (step instanceof Step.Pause p) {
            return p.isManual() ? StepView.manualPause() : StepView.pause(p.duration());
        }
        return StepView.analysis(((Step.Analysis) step).name());
    }
}
