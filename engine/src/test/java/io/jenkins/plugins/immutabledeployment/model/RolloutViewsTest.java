package io.jenkins.plugins.immutabledeployment.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.rollout.AbortState;
import io.jenkins.plugins.immutabledeployment.rollout.PauseState;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.Position;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
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
    private static final ActionUrls URLS = (kind, id) -> "/b/" + kind.name().toLowerCase() + "?rollout=" + id;
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
        assertThat(ModelAssembler.assemble(facts, BUILDER, URLS).actions()).containsExactly(
                ActionView.promote("rollout-12", "/b/promote?rollout=rollout-12"),
                ActionView.abort("rollout-12", "/b/abort?rollout=rollout-12"));
        assertThat(ModelAssembler.assemble(facts, READER, URLS).actions()).isEmpty();
        assertThat(ModelAssembler.assemble(facts, Viewer.ANONYMOUS, URLS).actions()).isEmpty();
    }

    @Test
    void blueGreenShowsThePreviewAndTheSwitchAroundItsGateAndOffersPromoteAtTheGate() {
        RolloutPlan plan = PlanParser.fromArguments(IMAGE, Map.of("blueGreen", true));
        RolloutStatus status = RolloutStatus.start(plan, "http://jenkins/job/api/7/", T0)
                .withPosition(new Position(Stage.STEPS, 1, T0.plusSeconds(40)))
                .withPause(new PauseState(PauseState.Reason.MANUAL, T0.plusSeconds(40), null));
        status = status.withPhase(io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase.of(plan, status));
        RolloutView view = RolloutViews.of("rollout-5", TARGET, null, plan, status);

        assertThat(view.steps()).containsExactly(StepView.setWeight(0).succeeded(null, null),
                StepView.manualPause().running(T0.plusSeconds(40)), StepView.setWeight(100));
        assertThat(view.currentWeight()).isZero();
        assertThat(view.phase()).isEqualTo(RolloutPhase.PAUSED);
        assertThat(ModelAssembler.assemble(BuildFacts.empty().withRollout(view), BUILDER, URLS).actions())
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
        assertThat(ModelAssembler.assemble(BuildFacts.empty().withRollout(view), BUILDER, URLS).actions()).isEmpty();
    }

    @Test
    void aTimedPauseOffersNoButtons() {
        RolloutPlan plan = PlanParser.fromArguments(IMAGE, Map.of("steps", List.of(Map.of("setWeight", 20), Map.of("pause", "5m"))));
        RolloutStatus status = RolloutStatus.start(plan, "h", T0).withPosition(new Position(Stage.STEPS, 1, T0))
                .withPause(new PauseState(PauseState.Reason.DURATION, T0, T0.plusSeconds(300)));
        RolloutView view = RolloutViews.of("rollout-3", TARGET, null, plan, status);

        assertThat(view.phase()).isEqualTo(RolloutPhase.PAUSED);
        assertThat(ModelAssembler.assemble(BuildFacts.empty().withRollout(view), BUILDER, URLS).actions()).isEmpty();
    }
}
