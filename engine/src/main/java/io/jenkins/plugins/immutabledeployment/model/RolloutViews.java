package io.jenkins.plugins.immutabledeployment.model;

import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.PreviewServices;
import io.jenkins.plugins.immutabledeployment.rollout.CanaryReadiness;
import io.jenkins.plugins.immutabledeployment.rollout.PauseState;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlanner;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.rollout.Stage;
import io.jenkins.plugins.immutabledeployment.rollout.Step;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The build page's view of a running or finished rollout, made from the runner's plan and its saved status.
 * Steps before the current one have succeeded, the current one runs (or failed, when the rollout failed on it), the
 * rest are pending (or skipped once the rollout ended early). A blue/green plan is shown as one: strategy
 * {@code blueGreen}, its first step the preview, its last the switch, and status texts in those words.
 */
public final class RolloutViews {

    /** The planner's messages start with the step they are about, e.g. {@code steps[1]: }; the view shows the step itself. */
    private static final Pattern STEP_PREFIX = Pattern.compile("^steps\\[\\d+\\]: ");
    /** How the planner tells the canary pods' readiness while a weight is being reached. */

    private RolloutViews() {}

    public static RolloutView of(String id, DeploymentTarget target, String cluster, RolloutPlan plan, RolloutStatus status) {
        return of(id, target, cluster, plan, status, null);
    }

    /**
     * @param preview a blue/green rollout's preview as checked when it started ({@code RolloutListener#onPreview}),
     *     or {@code null} when not known
     */
    public static RolloutView of(String id, DeploymentTarget target, String cluster, RolloutPlan plan, RolloutStatus status,
            PreviewServices.Preview preview) {
        RolloutPhase phase = RolloutPhase.valueOf(io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase.of(plan, status).name());
        boolean finished = status.isFinished() || phase == RolloutPhase.HEALTHY;
        boolean inSteps = status.position().stage() == Stage.STEPS;
        int current = inSteps ? status.position().stepIndex() : plan.steps().size();
        RolloutView.Builder view = RolloutView.builder(id, target.deployment(), target.namespace())
                .cluster(cluster)
                .image(plan.image())
                .strategy(plan.blueGreen() ? RolloutStrategy.BLUE_GREEN : RolloutStrategy.CANARY)
                .phase(phase)
                .running(!finished)
                .at(inSteps && current < plan.steps().size() ? current : null, status.weight())
                .message(message(plan, status, preview))
                .started(status.startedAt())
                .finished(status.finishedAt());
        if (status.abort() != null) {
            view.aborted(status.abort().reason());
        }
        Instant since = status.position().since();
        List<Step> steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            StepView step = plan.isPreview(i) ? preview(preview)
                    : plan.isSwitch(i) ? StepView.switchAllTraffic() : pending(steps.get(i));
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

    /**
     * One line for people on where the rollout stands, the view's {@code message}. A canary's is the runner's own; a
     * blue/green rollout's, while in its steps, speaks of the preview and the switch ("previewing 4 pods with no
     * traffic", "waiting for a decision with the preview at 0% traffic", "switching all traffic to the new version").
     *
     * @param preview the blue/green preview as checked when the rollout started, or {@code null} when not known
     */
    public static String message(RolloutPlan plan, RolloutStatus status, PreviewServices.Preview preview) {
        String message = status.message();
        if (!plan.blueGreen() || status.abort() != null || status.isFinished() || status.position().stage() != Stage.STEPS
                || status.position().stepIndex() >= plan.steps().size()) {
            return message;
        }
        int index = status.position().stepIndex();
        String detail = message == null ? "" : STEP_PREFIX.matcher(message).replaceFirst("");
        Optional<CanaryReadiness> readiness = CanaryReadiness.in(detail);
        String ready = readiness.map(r -> " (" + r.ready() + " of " + r.desired() + " ready)").orElse("");
        if (plan.isPreview(index)) {
            String size = readiness.map(r -> pods(r.desired()))
                    .orElse(preview != null ? pods(preview.replicas()) : "the new version at full size");
            String through = preview == null || preview.services().isEmpty() ? "" : ", reachable through Service" + (preview.services().size() == 1 ? " " : "s ")
                    + String.join(", ", preview.services());
            return "previewing " + size + " with no traffic" + through + ready;
        }
        if (plan.isSwitch(index)) {
            return "switching all traffic to the new version" + ready;
        }
        PauseState pause = status.pause();
        if (awaitsDecision(status)) {
            String why = pause.reason() == PauseState.Reason.INCONCLUSIVE ? " (" + detail.replace(RolloutPlanner.AWAITING_DECISION, "") + ")" : "";
            return "waiting for a decision with the preview at 0% traffic" + why
                    + ": Promote switches all traffic to it, Abort removes it";
        }
        if (pause != null && pause.until() != null) {
            return "holding the preview at 0% traffic until " + pause.until();
        }
        return "checking the preview at 0% traffic: " + detail;
    }

    /**
     * The status of a rollout in one line, e.g. for a Pipeline step's status: {@code step 3 of 6, canary weight 50%,
     * Paused (paused: MANUAL)}, or for blue/green {@code blue/green, step 2 of 3: waiting for a decision with the preview
     * at 0% traffic: …, Paused}.
     *
     * @param preview the blue/green preview as checked when the rollout started, or {@code null} when not known
     */
    public static String statusLine(RolloutPlan plan, RolloutStatus status, PreviewServices.Preview preview) {
        String where = status.position().stage() == Stage.STEPS
                ? "step " + (status.position().stepIndex() + 1) + " of " + plan.steps().size()
                : status.position().stage().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        if (plan.blueGreen()) {
            String message = message(plan, status, preview);
            return "blue/green, " + where + (message == null ? "" : ": " + message) + ", " + phaseName(status);
        }
        return where + ", canary weight " + status.weight() + "%, " + phaseName(status)
                + (status.pause() != null ? " (paused: " + status.pause().reason() + ")" : "");
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

    private static StepView preview(PreviewServices.Preview preview) {
        return StepView.preview(preview == null ? null : preview.replicas(), preview == null ? null : preview.services());
    }

    /** As the build page says it: Progressing, Paused, Healthy, Degraded, Aborted. */
    private static String phaseName(RolloutStatus status) {
        String name = status.phase() == null ? "PROGRESSING" : status.phase().name();
        return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String pods(int count) {
        return count + (count == 1 ? " pod" : " pods");
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
