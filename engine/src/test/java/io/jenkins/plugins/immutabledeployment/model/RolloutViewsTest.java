package io.jenkins.plugins.immutabledeployment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.PreviewServices;
import io.jenkins.plugins.immutabledeployment.rollout.AbortState;
import io.jenkins.plugins.immutabledeployment.rollout.ObservedState;
import io.jenkins.plugins.immutabledeployment.rollout.PauseState;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.Position;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlanner;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.rollout.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner's plan and status become the build page's rollout view, and its Promote / Abort buttons. */
class RolloutViewsTest {

    private static final String IMAGE = "registry.example.com/shop/api@sha256:" + "ab".repeat(32);
    private static final DeploymentTarget TARGET = new DeploymentTarget("shop", "api", null);
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final RolloutPlan PLAN = PlanParser.fromArguments(IMAGE,
            Map.of("steps", List.of(Map.of("setWeight", 20), Map.of("pause", "manual"), Map.of("setWeight", 50))));
    private static final PreviewServices.Preview PREVIEW = new PreviewServices.Preview(List.of("api-preview"), 4);
    private static final ActionUrls URLS = (kind, id) -> "/b/" + kind.name().toLowerCase() + "?rollout=" + id;
    /** The build runs while its rollout waits for a decision. */
    private static final boolean BUILDING = true;
    private static final Viewer BUILDER = new Viewer("carol", List.of(), true, Viewer.NameMatch.EXACT, Viewer.NameMatch.EXACT);
    private static final Viewer READER = new Viewer("dave", List.of(), false, Viewer.NameMatch.EXACT, Viewer.NameMatch.EXACT);

    private static RolloutStatus onManualPause() {
        return RolloutStatus.start(PLAN, "http://jenkins/job/api/7/", T0)
                .withPosition(new Position(Stage.STEPS, 1, T0.plusSeconds(30)))
                .withWeight(20)
                .withPause(new PauseState(PauseState.Reason.MANUAL, T0.plusSeconds(30), null));
    }

    @Test
    void aManualPauseIsTheRunningStepAndOffersPromoteAndAbortToWhoMayBuild() {
        RolloutStatus status = onManualPause();
        status = status.withPhase(io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase.of(PLAN, status));
        RolloutView view = RolloutViews.of("rollout-12", TARGET, "prod", PLAN, status);

        assertThat(view.phase()).isEqualTo(RolloutPhase.PAUSED);
        assertThat(view.running()).isTrue();
        assertThat(view.currentStepIndex()).isEqualTo(1);
        assertThat(view.currentWeight()).isEqualTo(20);
        assertThat(view.steps()).extracting(StepView::state)
                .containsExactly(StepState.SUCCEEDED, StepState.RUNNING, StepState.PENDING, StepState.PENDING); // the parser ends the plan at 100
        assertThat(RolloutViews.awaitsDecision(status)).isTrue();

        BuildFacts facts = BuildFacts.empty().withRollout(view);
        assertThat(ModelAssembler.assemble(facts, BUILDING, BUILDER, URLS).actions()).containsExactly(
                ActionView.promote("rollout-12", "/b/promote?rollout=rollout-12"),
                ActionView.abort("rollout-12", "/b/abort?rollout=rollout-12"));
        assertThat(ModelAssembler.assemble(facts, BUILDING, READER, URLS).actions()).isEmpty();
        assertThat(ModelAssembler.assemble(facts, BUILDING, Viewer.ANONYMOUS, URLS).actions()).isEmpty();
    }

    @Test
    void blueGreenShowsThePreviewAndTheSwitchAroundItsGateAndOffersPromoteAtTheGate() {
        RolloutPlan plan = PlanParser.fromArguments(IMAGE, Map.of("blueGreen", true));
        RolloutStatus status = RolloutStatus.start(plan, "http://jenkins/job/api/7/", T0)
                .withPosition(new Position(Stage.STEPS, 1, T0.plusSeconds(40)))
                .withPause(new PauseState(PauseState.Reason.MANUAL, T0.plusSeconds(40), null));
        status = status.withPhase(io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase.of(plan, status));
        RolloutView view = RolloutViews.of("rollout-5", TARGET, null, plan, status, PREVIEW);

        assertThat(view.strategy()).isEqualTo(RolloutStrategy.BLUE_GREEN);
        assertThat(view.steps()).containsExactly(StepView.preview(4, List.of("api-preview")).succeeded(null, null),
                StepView.manualPause().running(T0.plusSeconds(40)), StepView.switchAllTraffic());
        assertThat(view.steps()).extracting(StepView::kind, StepView::weight)
                .as("readers that know no roles still read setWeight 0 and 100")
                .containsExactly(tuple(StepKind.SET_WEIGHT, 0), tuple(StepKind.PAUSE, null), tuple(StepKind.SET_WEIGHT, 100));
        assertThat(view.currentWeight()).isZero();
        assertThat(view.phase()).isEqualTo(RolloutPhase.PAUSED);
        assertThat(view.message()).isEqualTo("waiting for a decision with the preview at 0% traffic:"
                + " Promote switches all traffic to it, Abort removes it");
        assertThat(ModelAssembler.assemble(BuildFacts.empty().withRollout(view), BUILDING, BUILDER, URLS).actions())
                .extracting(ActionView::kind).containsExactly(ActionKind.PROMOTE, ActionKind.ABORT);
    }

    @Test
    void anAbortedRolloutFailsItsStepSkipsTheRestAndOffersNothing() {
        RolloutStatus status = onManualPause().withPause(null)
                .withAbort(new AbortState(AbortState.Cause.REQUESTED, "not today", T0.plusSeconds(90), "carol"))
                .withFinishedAt(T0.plusSeconds(95));
        RolloutView view = RolloutViews.of("rollout-12", TARGET, null, PLAN, status);

        assertThat(view.phase()).isEqualTo(RolloutPhase.ABORTED);
        assertThat(view.running()).isFalse();
        assertThat(view.abortReason()).isEqualTo("not today");
        assertThat(view.steps()).extracting(StepView::state)
                .containsExactly(StepState.SUCCEEDED, StepState.FAILED, StepState.SKIPPED, StepState.SKIPPED);
        assertThat(RolloutViews.awaitsDecision(status)).isFalse();
        assertThat(ModelAssembler.assemble(BuildFacts.empty().withRollout(view), BUILDING, BUILDER, URLS).actions()).isEmpty();
    }

    @Test
    void aTimedPauseOffersNoButtons() {
        RolloutPlan plan = PlanParser.fromArguments(IMAGE, Map.of("steps", List.of(Map.of("setWeight", 20), Map.of("pause", "5m"))));
        RolloutStatus status = RolloutStatus.start(plan, "h", T0).withPosition(new Position(Stage.STEPS, 1, T0))
                .withPause(new PauseState(PauseState.Reason.DURATION, T0, T0.plusSeconds(300)));
        RolloutView view = RolloutViews.of("rollout-3", TARGET, null, plan, status);

        assertThat(view.phase()).isEqualTo(RolloutPhase.PAUSED);
        assertThat(ModelAssembler.assemble(BuildFacts.empty().withRollout(view), BUILDING, BUILDER, URLS).actions()).isEmpty();
    }

    @Test
    void aCanaryIsACanaryInItsViewAndItsStatusLine() {
        RolloutStatus status = onManualPause();
        status = status.withPhase(io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase.of(PLAN, status));
        RolloutView view = RolloutViews.of("rollout-12", TARGET, null, PLAN, status);

        assertThat(view.strategy()).isEqualTo(RolloutStrategy.CANARY);
        assertThat(view.steps()).extracting(StepView::role).containsOnlyNulls();
        assertThat(view.message()).as("a canary's message is the runner's own").isEqualTo(status.message());
        assertThat(RolloutViews.statusLine(PLAN, status, null)).isEqualTo("step 2 of 4, canary weight 20%, Paused (paused: MANUAL)");
    }

    /** The preview as the planner reports it while its pods start: the texts come from the real planner's status. */
    @Test
    void blueGreenPreviewSaysHowManyPodsWithNoTrafficAndThroughWhichService() {
        RolloutPlan plan = PlanParser.fromArguments(IMAGE, Map.of("blueGreen", true));
        RolloutStatus started = RolloutStatus.start(plan, "h", T0);
        ObservedState starting = ObservedState.initial().withCanary(ObservedState.Canary.running(4, 1));
        RolloutStatus status = new RolloutPlanner().plan(plan, started, starting, T0.plusSeconds(5)).newStatus();

        RolloutView view = RolloutViews.of("rollout-5", TARGET, null, plan, status, PREVIEW);

        assertThat(view.currentStepIndex()).isZero();
        assertThat(view.steps().get(0).state()).isEqualTo(StepState.RUNNING);
        assertThat(view.message()).isEqualTo("previewing 4 pods with no traffic, reachable through Service api-preview (1 of 4 ready)");
        assertThat(RolloutViews.message(plan, status, null)).as("the pod count from the planner alone")
                .isEqualTo("previewing 4 pods with no traffic (1 of 4 ready)");
        assertThat(RolloutViews.statusLine(plan, status, PREVIEW)).isEqualTo("blue/green, step 1 of 3: previewing 4 pods with no"
                + " traffic, reachable through Service api-preview (1 of 4 ready), Progressing");
        assertThat(RolloutViews.message(plan, started, null)).as("nothing observed yet")
                .isEqualTo("previewing the new version at full size with no traffic");
    }

    @Test
    void blueGreenGateAnalysisTimedPauseAndSwitchAreSaidInItsWords() {
        RolloutPlan plan = PlanParser.fromArguments(IMAGE, Map.of("blueGreen", true, "steps", "pause:5m,analysis:smoke",
                "analysis", Map.of("smoke", Map.of("prometheus", "http://prometheus:9090", "query", "up", "failIf", "> 0"))));
        RolloutStatus started = RolloutStatus.start(plan, "h", T0);
        RolloutStatus holding = started.withPosition(new Position(Stage.STEPS, 1, T0))
                .withPause(new PauseState(PauseState.Reason.DURATION, T0, T0.plusSeconds(300)));
        RolloutStatus checking = started.withPosition(new Position(Stage.STEPS, 2, T0))
                .withMessage("steps[2]: analysis 'smoke' 1 of 5 measurements taken");
        RolloutStatus switching = started.withPosition(new Position(Stage.STEPS, 3, T0))
                .withMessage("steps[3]: switching all traffic to the new version (2 of 4 canary pods ready)");

        assertThat(RolloutViews.message(plan, holding, PREVIEW)).isEqualTo("holding the preview at 0% traffic until 2026-01-05T10:05:00Z");
        assertThat(RolloutViews.message(plan, checking, PREVIEW))
                .isEqualTo("checking the preview at 0% traffic: analysis 'smoke' 1 of 5 measurements taken");
        assertThat(RolloutViews.message(plan, switching, PREVIEW)).isEqualTo("switching all traffic to the new version (2 of 4 ready)");
        assertThat(RolloutViews.of("r", TARGET, null, plan, switching, PREVIEW).steps().get(3).state()).isEqualTo(StepState.RUNNING);
    }

    @Test
    void blueGreenAfterItsStepsOrAbortedKeepsTheRunnersMessage() {
        RolloutPlan plan = PlanParser.fromArguments(IMAGE, Map.of("blueGreen", true));
        RolloutStatus promoting = RolloutStatus.start(plan, "h", T0).withPosition(new Position(Stage.PROMOTING_STABLE, 3, T0))
                .withWeight(100).withMessage("promoting stable to " + IMAGE);
        RolloutStatus aborted = RolloutStatus.start(plan, "h", T0)
                .withAbort(new AbortState(AbortState.Cause.REQUESTED, "not today", T0, "carol")).withMessage("removing the canary");

        assertThat(RolloutViews.message(plan, promoting, PREVIEW)).isEqualTo("promoting stable to " + IMAGE);
        assertThat(RolloutViews.statusLine(plan, promoting, PREVIEW))
                .isEqualTo("blue/green, promoting stable: promoting stable to " + IMAGE + ", Progressing");
        assertThat(RolloutViews.message(plan, aborted, PREVIEW)).isEqualTo("removing the canary");
    }
}
