package io.jenkins.plugins.immutabledeployment.rollout;

import static io.jenkins.plugins.immutabledeployment.rollout.RolloutPlannerTest.ERRORS;
import static io.jenkins.plugins.immutabledeployment.rollout.RolloutPlannerTest.IMAGE;
import static io.jenkins.plugins.immutabledeployment.rollout.RolloutPlannerTest.T0;
import static io.jenkins.plugins.immutabledeployment.rollout.RolloutPlannerTest.errors;
import static io.jenkins.plugins.immutabledeployment.rollout.RolloutPlannerTest.promotedStable;
import static io.jenkins.plugins.immutabledeployment.rollout.RolloutPlannerTest.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.rollout.ObservedState.Canary;
import io.jenkins.plugins.immutabledeployment.rollout.ObservedState.PodFailure;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Blue/green as a plan shape: setWeight 0 at full size (the preview), the gate, setWeight 100 (the switch). */
class BlueGreenPlanTest {

    static RolloutPlan blueGreen(String gate) {
        Map<String, Object> arguments = new HashMap<>(Map.of("blueGreen", true, "analysis", ERRORS));
        if (gate != null) {
            arguments.put("steps", gate);
        }
        return PlanParser.fromArguments(IMAGE, arguments);
    }

    static SimulatedRollout rollout(String gate) {
        return new SimulatedRollout(blueGreen(gate), T0);
    }

    @Test
    void shapeIsPreviewGateSwitchWithAManualGateByDefault() {
        assertThat(blueGreen(null).steps()).containsExactly(new Step.SetWeight(0), Step.Pause.manual(), new Step.SetWeight(100));
        assertThat(blueGreen("analysis:errors,pause:5m").steps()).containsExactly(new Step.SetWeight(0),
                new Step.Analysis("errors"), Step.Pause.of(Duration.ofMinutes(5)), new Step.SetWeight(100));
        assertThat(blueGreen(null).blueGreen()).isTrue();
        assertThat(blueGreen(null).isPreview(0)).isTrue();
        assertThat(blueGreen(null).isSwitch(2)).isTrue();
    }

    @Test
    void shapeIsKeptWhenBuiltAgainFromItsOwnSteps() {
        RolloutPlan plan = blueGreen("analysis:errors");
        RolloutPlan again = new RolloutPlan(plan.image(), plan.steps(), plan.analyses(), plan.progressDeadline(), true);
        assertThat(again).isEqualTo(plan);
        assertThat(again.hash()).isEqualTo(plan.hash());
    }

    @Test
    void hashTellsBlueGreenFromTheSameStepsAsACanary() {
        RolloutPlan canary = PlanParser.fromArguments(IMAGE, Map.of("steps", "0,pause,100"));
        assertThat(canary.steps()).isEqualTo(blueGreen("pause").steps());
        assertThat(canary.hash()).isNotEqualTo(blueGreen("pause").hash());
    }

    @Test
    void refusesAWeightInTheGateNamingTheStep() {
        assertThatThrownBy(() -> blueGreen("pause,50,pause"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("steps[1].setWeight")
                .hasMessageContaining("blueGreen sets the weights itself")
                .hasMessageContaining("pause and analysis steps only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"weights", "interval"})
    void refusesTheWeightsShorthandWithBlueGreen(String field) {
        Map<String, Object> arguments = Map.of("blueGreen", true, field, field.equals("weights") ? List.of(10, 100) : "2m");
        assertThatThrownBy(() -> PlanParser.fromArguments(IMAGE, arguments))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(field)
                .hasMessageContaining("cannot be combined with blueGreen")
                .hasMessageContaining("[[pause: 'manual']]");
    }

    @Test
    void readsBlueGreenAsTextAndRefusesAnythingButTrueOrFalse() {
        assertThat(PlanParser.fromArguments(IMAGE, Map.of("blueGreen", "true")).blueGreen()).isTrue();
        assertThat(PlanParser.fromArguments(IMAGE, Map.of("blueGreen", false, "weights", List.of(10))).blueGreen()).isFalse();
        assertThatThrownBy(() -> PlanParser.fromArguments(IMAGE, Map.of("blueGreen", "yes")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("blueGreen")
                .hasMessageContaining("true or false");
    }

    @Test
    void previewRunsFullSizeAtZeroThenSwitchesAndPromotesOncePromoted() {
        SimulatedRollout rollout = rollout("pause");
        RolloutStatus paused = rollout.settle();

        assertThat(paused.phase()).isEqualTo(RolloutPhase.PAUSED);
        assertThat(paused.position().stepIndex()).isEqualTo(1);
        assertThat(paused.weight()).isZero();
        assertThat(paused.message()).contains("preview at 0% traffic").contains("waiting for promote or abort");
        assertThat(rollout.actions).contains(new Action.SetCanaryWeight(IMAGE, 0, true));
        assertThat(rollout.actions).noneMatch(a -> a instanceof Action.SetCanaryWeight set && (!set.fullSize() || set.weight() > 0));
        assertThat(promotedStable(rollout)).isFalse();

        rollout.promote("alice");
        RolloutStatus end = rollout.settle();

        assertThat(end.phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(end.weight()).isEqualTo(100);
        assertThat(rollout.actions).contains(new Action.SetCanaryWeight(IMAGE, 100, true), new Action.PromoteStable(IMAGE),
                new Action.RemoveCanary(), new Action.VerifyStableImages(IMAGE));
        assertThat(rollout.actions).noneMatch(a -> a instanceof Action.SetCanaryWeight set && !set.fullSize());
        assertThat(rollout.world.canary().present()).isFalse();
    }

    @Test
    void abortAtTheGateRemovesThePreviewWithoutTouchingStable() {
        SimulatedRollout rollout = rollout(null);
        rollout.settle();
        rollout.abort("bob", "preview looks wrong");
        RolloutStatus end = rollout.settle();

        assertThat(end.phase()).isEqualTo(RolloutPhase.ABORTED);
        assertThat(end.weight()).isZero();
        // The preview carries no traffic: nothing to restore, the canary is removed at once.
        assertThat(rollout.actions).contains(new Action.RemoveCanary());
        assertThat(rollout.actions).noneMatch(a -> a instanceof Action.SetCanaryWeight set && set.weight() > 0);
        assertThat(promotedStable(rollout)).isFalse();
        assertThat(rollout.world.canary().present()).isFalse();
    }

    @Test
    void analysisGatePassingSwitchesWithoutAPerson() {
        SimulatedRollout rollout = rollout("analysis:errors").measurements("errors", repeat(4, errors(0.1)));
        RolloutStatus end = rollout.settle();

        assertThat(end.phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(rollout.actions).contains(new Action.SetCanaryWeight(IMAGE, 100, true), new Action.PromoteStable(IMAGE));
    }

    @Test
    void analysisGateFailingAbortsBeforeTheSwitch() {
        SimulatedRollout rollout = rollout("analysis:errors").measurements("errors", List.of(errors(0.1), errors(0.9)));
        RolloutStatus end = rollout.settle();

        assertThat(end.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(end.abort().reason()).contains("analysis 'errors'");
        assertThat(rollout.actions).noneMatch(a -> a instanceof Action.SetCanaryWeight set && set.weight() > 0);
        assertThat(promotedStable(rollout)).isFalse();
        assertThat(rollout.world.canary().present()).isFalse();
    }

    @Test
    void failingPreviewPodAbortsAtOnce() {
        SimulatedRollout rollout = rollout(null);
        rollout.canaryFailure = new PodFailure("api-canary-7c9d-x2x", "app", "CrashLoopBackOff", "back-off 10s", 3);
        RolloutStatus end = rollout.settle();

        assertThat(end.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(end.abort().reason()).contains("CrashLoopBackOff");
        assertThat(promotedStable(rollout)).isFalse();
    }

    @Test
    void previewNotReadyWithinTheProgressDeadlineAborts() {
        RolloutPlan plan = blueGreen(null);
        RolloutStatus start = RolloutStatus.start(plan, "cli:alice@laptop", T0);
        ObservedState halfReady = ObservedState.initial().withCanary(Canary.running(4, 1));
        RolloutPlanner planner = new RolloutPlanner();

        Decision waiting = planner.plan(plan, start, halfReady, T0.plus(Duration.ofMinutes(9)));
        assertThat(waiting.newStatus().message()).contains("starting the preview").contains("1 of 4 canary pods ready");
        assertThat(waiting.actions()).containsExactly(new Action.SetCanaryWeight(IMAGE, 0, true));

        Decision late = planner.plan(plan, start, halfReady, T0.plus(Duration.ofMinutes(10)));
        assertThat(late.newStatus().abort().reason())
                .isEqualTo("canary did not reach the preview (the canary at the stable's replica count, 0% of the traffic)"
                        + " within 10m (1 of 4 canary pods ready)");
        assertThat(late.actions()).containsExactly(new Action.AbortToStable(late.newStatus().abort().reason()));
    }
}
