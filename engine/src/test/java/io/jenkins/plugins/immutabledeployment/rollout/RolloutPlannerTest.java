package io.jenkins.plugins.immutabledeployment.rollout;

import static io.jenkins.plugins.immutabledeployment.rollout.SimulatedRollout.noData;
import static io.jenkins.plugins.immutabledeployment.rollout.SimulatedRollout.queryError;
import static io.jenkins.plugins.immutabledeployment.rollout.SimulatedRollout.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.rollout.ObservedState.Canary;
import io.jenkins.plugins.immutabledeployment.rollout.ObservedState.ImageCheck;
import io.jenkins.plugins.immutabledeployment.rollout.ObservedState.PodFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RolloutPlannerTest {

    static final String IMAGE = "registry.example.com/shop/api@sha256:" + "c".repeat(64);
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Map<String, Object> ERRORS = Map.of("errors", Map.of("prometheus", "http://prometheus:9090",
            "query", "sum(rate(http_errors_total[1m]))", "failIf", "> 0.5", "interval", "30s", "count", 4));

    static RolloutPlan plan(String steps) {
        return PlanParser.fromArguments(IMAGE, Map.of("steps", steps, "analysis", ERRORS));
    }

    static SimulatedRollout rollout(String steps) {
        return new SimulatedRollout(plan(steps), T0);
    }

    static Function<Instant, Measurement> errors(double v) {
        return value(plan("100").analysis("errors"), v);
    }

    static List<Function<Instant, Measurement>> repeat(int times, Function<Instant, Measurement> measurement) {
        return Collections.nCopies(times, measurement);
    }

    static boolean promotedStable(SimulatedRollout rollout) {
        return rollout.actions.stream().anyMatch(a -> a instanceof Action.PromoteStable);
    }

    static void advanceUntil(SimulatedRollout rollout, Predicate<RolloutStatus> condition) {
        assertThat(condition).accepts(rollout.runUntil(condition, Duration.ofDays(1)));
    }

    @Test
    void goesTenFiftyHundredToHealthy() {
        SimulatedRollout rollout = rollout("10,pause:2m,50,pause:2m,100");
        RolloutStatus end = rollout.settle();

        assertThat(end.phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(end.position().stage()).isEqualTo(Stage.DONE);
        assertThat(end.weight()).isEqualTo(100);
        assertThat(end.abort()).isNull();
        assertThat(end.finishedAt()).isEqualTo(T0.plus(Duration.ofMinutes(4)));
        assertThat(rollout.actions).contains(
                new Action.SetCanaryWeight(IMAGE, 10), new Action.SetCanaryWeight(IMAGE, 50), new Action.SetCanaryWeight(IMAGE, 100),
                new Action.PromoteStable(IMAGE), new Action.RemoveCanary(), new Action.VerifyStableImages(IMAGE),
                new Action.RecordOutcome(IMAGE, RolloutPhase.HEALTHY, "stable runs " + IMAGE + " on every pod",
                        "https://jenkins.example.com/job/api/42/", T0, end.finishedAt()));
        assertThat(rollout.actions).noneMatch(a -> a instanceof Action.AbortToStable);
        assertThat(rollout.world.canary().present()).isFalse();
    }

    static Stream<Arguments> timedPause() {
        return Stream.of(
                Arguments.of(Duration.ZERO, RolloutPhase.PAUSED, 1),
                Arguments.of(Duration.ofSeconds(119), RolloutPhase.PAUSED, 1),
                Arguments.of(Duration.ofMinutes(2), RolloutPhase.PROGRESSING, 2),
                Arguments.of(Duration.ofHours(5), RolloutPhase.PROGRESSING, 2));
    }

    @ParameterizedTest
    @MethodSource("timedPause")
    void timedPauseEndsExactlyAtItsDeadline(Duration elapsed, RolloutPhase phase, int stepIndex) {
        SimulatedRollout rollout = rollout("10,pause:2m,50");
        advanceUntil(rollout, s -> s.pause() != null);
        assertThat(rollout.status.pause()).isEqualTo(new PauseState(PauseState.Reason.DURATION, T0, T0.plus(Duration.ofMinutes(2))));

        Decision decision = rollout.planner.plan(rollout.plan, rollout.status, rollout.world, T0.plus(elapsed));

        assertThat(decision.phase()).isEqualTo(phase);
        assertThat(decision.newStatus().position().stepIndex()).isEqualTo(stepIndex);
        if (phase == RolloutPhase.PAUSED) {
            assertThat(decision.wakeAt()).contains(T0.plus(Duration.ofMinutes(2)));
            assertThat(decision.actions()).containsExactly(new Action.SetCanaryWeight(IMAGE, 10));
        } else {
            assertThat(decision.newStatus().pause()).isNull();
            assertThat(decision.actions()).containsExactly(new Action.SetCanaryWeight(IMAGE, 50));
        }
    }

    @Test
    void manualPauseWaitsUntilPromoted() {
        SimulatedRollout rollout = rollout("10,pause:manual,100");
        assertThat(rollout.settle().phase()).isEqualTo(RolloutPhase.PAUSED);
        rollout.now = rollout.now.plus(Duration.ofDays(3));
        RolloutStatus stillWaiting = rollout.settle();
        assertThat(stillWaiting.phase()).isEqualTo(RolloutPhase.PAUSED);
        assertThat(stillWaiting.pause().reason()).isEqualTo(PauseState.Reason.MANUAL);
        assertThat(rollout.decisions.get(rollout.decisions.size() - 1).wakeAt()).isEmpty();
        assertThat(promotedStable(rollout)).isFalse();

        rollout.promote("alice");
        RolloutStatus end = rollout.settle();

        assertThat(end.phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(end.requests()).containsExactly(new UserRequest(UserCommand.Kind.PROMOTE, "alice", T0.plus(Duration.ofDays(3)),
                1, "resumed from a manual pause at steps[1]"));
    }

    @Test
    void manualPauseAbortsWhenAborted() {
        SimulatedRollout rollout = rollout("10,pause:manual,100");
        rollout.settle();
        rollout.abort("bob", "error budget burnt");
        RolloutStatus end = rollout.settle();

        assertThat(end.phase()).isEqualTo(RolloutPhase.ABORTED);
        assertThat(end.abort()).isEqualTo(new AbortState(AbortState.Cause.REQUESTED, "aborted by bob: error budget burnt", T0, "bob"));
        assertThat(end.weight()).isZero();
        assertThat(rollout.actions).contains(new Action.AbortToStable("aborted by bob: error budget burnt"), new Action.RemoveCanary());
        assertThat(promotedStable(rollout)).isFalse();
        assertThat(rollout.world.canary().present()).isFalse();
    }

    @Test
    void analysisFailingOnItsSecondMeasurementAborts() {
        SimulatedRollout rollout = rollout("10,analysis:errors,100").measurements("errors", List.of(errors(0.1), errors(0.9)));
        RolloutStatus end = rollout.settle();

        assertThat(end.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(end.abort().reason())
                .isEqualTo("analysis 'errors' failed: 1 failed measurement, more than failureLimit 0 (last: 0.9 > 0.5 (failIf))");
        AnalysisRun run = end.analysisRunAt(1);
        assertThat(run.phase()).isEqualTo(AnalysisPhase.FAILED);
        assertThat(run.measurements()).extracting(Measurement::takenAt).containsExactly(T0, T0.plusSeconds(30));
        assertThat(rollout.actions).contains(new Action.RunMeasurement("errors", 1, 0), new Action.RunMeasurement("errors", 1, 1))
                .doesNotContain(new Action.RunMeasurement("errors", 1, 2));
        assertThat(rollout.actions).contains(new Action.AbortToStable(end.abort().reason()), new Action.RemoveCanary());
        assertThat(promotedStable(rollout)).isFalse();
    }

    @Test
    void analysisPassingAllMeasurementsGoesOn() {
        SimulatedRollout rollout = rollout("10,analysis:errors,100").measurements("errors", repeat(4, errors(0.1)));
        RolloutStatus end = rollout.settle();
        assertThat(end.phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(end.analysisRunAt(1).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
        assertThat(end.analysisRunAt(1).message()).isEqualTo("passed: 4 of 4 measurements successful");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void inconclusiveAnalysisPausesForADecision(boolean promote) {
        SimulatedRollout rollout = rollout("10,analysis:errors,100")
                .measurements("errors", List.of(errors(0.1), noData(plan("100").analysis("errors"))));
        RolloutStatus paused = rollout.settle();

        assertThat(paused.phase()).isEqualTo(RolloutPhase.PAUSED);
        assertThat(paused.pause().reason()).isEqualTo(PauseState.Reason.INCONCLUSIVE);
        assertThat(paused.analysisRunAt(1).phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
        assertThat(paused.message()).contains("inconclusive: 1 inconclusive measurement, more than inconclusiveLimit 0 (last: query returned no data)");
        assertThat(promotedStable(rollout)).isFalse();

        if (promote) {
            rollout.promote("carol");
            assertThat(rollout.settle().phase()).isEqualTo(RolloutPhase.HEALTHY);
        } else {
            rollout.abort("carol", null);
            assertThat(rollout.settle().phase()).isEqualTo(RolloutPhase.ABORTED);
            assertThat(promotedStable(rollout)).isFalse();
        }
    }

    @Test
    void consecutiveErrorsAbort() {
        SimulatedRollout rollout = rollout("10,analysis:errors,100").measurements("errors", repeat(5, queryError()));
        RolloutStatus end = rollout.settle();
        assertThat(end.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(end.abort().reason()).isEqualTo(
                "analysis 'errors' errored: 5 errors in a row, more than consecutiveErrorLimit 4 (last: HTTP 503 from Prometheus)");
        assertThat(end.analysisRunAt(1).phase()).isEqualTo(AnalysisPhase.ERROR);
    }

    @Test
    void errorsAreRetriedAndASuccessResetsTheRun() {
        List<Function<Instant, Measurement>> script = new java.util.ArrayList<>(repeat(4, queryError()));
        script.addAll(repeat(4, errors(0.1)));
        SimulatedRollout rollout = rollout("10,analysis:errors,100").measurements("errors", script);
        RolloutStatus end = rollout.settle();
        assertThat(end.phase()).isEqualTo(RolloutPhase.HEALTHY);
        AnalysisRun run = end.analysisRunAt(1);
        assertThat(run.errors()).isEqualTo(4);
        assertThat(run.successful()).isEqualTo(4);
        assertThat(run.consecutiveErrors()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError"})
    void failingCanaryAbortsAtOnceWithTheReason(String reason) {
        SimulatedRollout rollout = rollout("10,pause:1h,100");
        rollout.canaryFailure = new PodFailure("api-canary-7c9d-x2x", "api", reason, "back-off 10s", 3);
        RolloutStatus end = rollout.settle();

        assertThat(end.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(end.abort().reason()).isEqualTo("canary pod api-canary-7c9d-x2x container api: " + reason + " (3 restarts): back-off 10s");
        assertThat(end.finishedAt()).isEqualTo(T0);
        assertThat(promotedStable(rollout)).isFalse();
        assertThat(rollout.actions).contains(new Action.RecordOutcome(IMAGE, RolloutPhase.DEGRADED, end.abort().reason(),
                end.startedBy(), T0, T0));
    }

    @Test
    void changedPlanRestartsFromStepZero() {
        SimulatedRollout rollout = rollout("10,pause:manual,100");
        RolloutStatus paused = rollout.settle();
        RolloutPlan changed = plan("20,pause:manual,100");

        Decision decision = new RolloutPlanner().plan(changed, paused, rollout.world, T0.plusSeconds(5));

        assertThat(decision.newStatus().planHash()).isEqualTo(changed.hash()).isNotEqualTo(paused.planHash());
        assertThat(decision.newStatus().position()).isEqualTo(new Position(Stage.STEPS, 0, T0.plusSeconds(5)));
        assertThat(decision.newStatus().pause()).isNull();
        assertThat(decision.newStatus().weight()).isEqualTo(10);
        assertThat(decision.actions()).containsExactly(new Action.SetCanaryWeight(IMAGE, 20));
        assertThat(decision.phase()).isEqualTo(RolloutPhase.PROGRESSING);
        assertThat(RolloutPhase.of(changed, paused)).isEqualTo(RolloutPhase.PROGRESSING);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void abortAtAnyStepReturnsTrafficToStable(int step) {
        SimulatedRollout rollout = rollout("10,pause:2m,analysis:errors,50,pause:manual,100")
                .measurements("errors", repeat(4, errors(0.1)));
        advanceUntil(rollout, s -> s.position().stepIndex() == step);
        rollout.abort("dave", null);
        RolloutStatus end = rollout.settle();

        assertThat(end.phase()).isEqualTo(RolloutPhase.ABORTED);
        assertThat(end.weight()).isZero();
        assertThat(end.requests()).last().extracting(UserRequest::effect).isEqualTo("aborted at steps[" + step + "]");
        assertThat(rollout.world.canary().present()).isFalse();
        if (step == 0) {
            assertThat(rollout.actions).as("nothing to undo before the first weight").noneMatch(a -> a instanceof Action.AbortToStable);
        } else {
            assertThat(rollout.actions).contains(new Action.AbortToStable("aborted by dave"), new Action.RemoveCanary());
        }
        assertThat(promotedStable(rollout)).isFalse();
    }

    @Test
    void cancellationAborts() {
        SimulatedRollout rollout = rollout("10,pause:manual,100");
        rollout.settle();
        rollout.cancel("the Jenkins build was aborted");
        RolloutStatus end = rollout.settle();
        assertThat(end.phase()).isEqualTo(RolloutPhase.ABORTED);
        assertThat(end.abort().cause()).isEqualTo(AbortState.Cause.CANCELLED);
        assertThat(end.abort().reason()).isEqualTo("cancelled: the Jenkins build was aborted");
        assertThat(rollout.world.canary().present()).isFalse();
    }

    static Stream<Arguments> waitingForWeight() {
        ObservedState notReady = ObservedState.initial().withCanary(Canary.running(3, 1));
        Action setWeight = new Action.SetCanaryWeight(IMAGE, 10);
        Instant deadline = T0.plus(Duration.ofMinutes(10));
        return Stream.of(
                Arguments.of("weight not yet in effect", notReady, Duration.ofMinutes(9), RolloutPhase.PROGRESSING,
                        Stage.STEPS, List.of(setWeight), deadline),
                Arguments.of("weight in effect", notReady.withWeightInEffect(10), Duration.ofMinutes(9), RolloutPhase.PROGRESSING,
                        Stage.STEPS, List.of(new Action.SetCanaryWeight(IMAGE, 100)), T0.plus(Duration.ofMinutes(19))),
                Arguments.of("another weight in effect", notReady.withWeightInEffect(5), Duration.ofMinutes(1), RolloutPhase.PROGRESSING,
                        Stage.STEPS, List.of(setWeight), deadline),
                Arguments.of("deadline reached", notReady, Duration.ofMinutes(10), RolloutPhase.DEGRADED,
                        Stage.RESTORING_TRAFFIC, List.of(new Action.AbortToStable(
                                "canary did not reach weight 10 within 10m (1 of 3 canary pods ready)")), null),
                Arguments.of("cancelled", notReady.cancelled("Ctrl-C"), Duration.ofMinutes(1), RolloutPhase.ABORTED,
                        Stage.RESTORING_TRAFFIC, List.of(new Action.AbortToStable("cancelled: Ctrl-C")), null),
                Arguments.of("canary failing", notReady.withCanary(Canary.running(3, 1).failing(
                                new PodFailure("api-canary-1", "api", "Restarted", null, 1))), Duration.ofMinutes(1),
                        RolloutPhase.DEGRADED, Stage.RESTORING_TRAFFIC,
                        List.of(new Action.AbortToStable("canary pod api-canary-1 container api: Restarted (1 restart)")), null),
                Arguments.of("promote while not paused", notReady.withCommand(UserCommand.promote("erin", T0)), Duration.ofMinutes(1),
                        RolloutPhase.PROGRESSING, Stage.STEPS, List.of(setWeight), deadline));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("waitingForWeight")
    void decidesFromObservedFactsAtTheFirstWeight(String situation, ObservedState observed, Duration elapsed,
            RolloutPhase phase, Stage stage, List<Action> actions, Instant wakeAt) {
        RolloutPlan plan = plan("10,100");
        RolloutStatus start = RolloutStatus.start(plan, "cli:alice", T0);
        Instant now = T0.plus(elapsed);

        Decision decision = new RolloutPlanner().plan(plan, start, observed, now);

        assertThat(decision.phase()).isEqualTo(phase);
        assertThat(decision.newStatus().position().stage()).isEqualTo(stage);
        assertThat(decision.actions()).containsExactlyInAnyOrderElementsOf(actions);
        assertThat(decision.wakeAt()).isEqualTo(java.util.Optional.ofNullable(wakeAt));
        assertThat(new RolloutPlanner().plan(plan, start, observed, now)).as("deterministic").isEqualTo(decision);
    }

    @Test
    void promoteWhileNotPausedIsRecordedAndIgnored() {
        RolloutPlan plan = plan("10,100");
        ObservedState observed = ObservedState.initial().withCommand(UserCommand.promote("erin", T0));
        Decision decision = new RolloutPlanner().plan(plan, RolloutStatus.start(plan, null, T0), observed, T0);
        assertThat(decision.newStatus().requests()).extracting(UserRequest::effect).containsExactly("ignored: the rollout was not paused");
        Decision again = new RolloutPlanner().plan(plan, decision.newStatus(), observed, T0.plusSeconds(1));
        assertThat(again.newStatus().requests()).as("a command is handled once").hasSize(1);
    }

    @Test
    void abortOnceStableIsBeingPromotedIsRefused() {
        SimulatedRollout rollout = rollout("10,100");
        advanceUntil(rollout, s -> s.position().stage() == Stage.PROMOTING_STABLE);
        rollout.abort("frank", null);
        RolloutStatus end = rollout.settle();
        assertThat(end.phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(end.requests()).extracting(UserRequest::effect)
                .containsExactly("ignored: promotion to stable has begun; use rollbackTo to return to the previous release");
    }

    @Test
    void imageDriftAfterPromotionIsAFailure() {
        SimulatedRollout rollout = rollout("10,100");
        rollout.imageCheck = new ImageCheck(List.of("api-7d9f-abcde runs sha256:" + "0".repeat(64)));
        RolloutStatus end = rollout.settle();
        assertThat(end.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(end.abort().reason()).startsWith("image drift: stable pods do not run sha256:" + "c".repeat(64))
                .endsWith("api-7d9f-abcde runs sha256:" + "0".repeat(64));
        assertThat(end.weight()).as("the new image serves through stable").isEqualTo(100);
    }

    @Test
    void staleAndRepeatedMeasurementsAreIgnored() {
        RolloutPlan plan = plan("10,analysis:errors,100");
        RolloutStatus atAnalysis = RolloutStatus.start(plan, null, T0).withPosition(new Position(Stage.STEPS, 1, T0)).withWeight(10);
        Action.RunMeasurement first = new Action.RunMeasurement("errors", 1, 0);
        Measurement ok = errors(0.1).apply(T0.plusSeconds(1));
        ObservedState observed = ObservedState.initial().withCanary(Canary.running(1, 1)).withWeightInEffect(10)
                .withMeasurement(new MeasurementTaken(first, ok))
                .withMeasurement(new MeasurementTaken(first, ok))
                .withMeasurement(new MeasurementTaken(new Action.RunMeasurement("errors", 0, 1), ok))
                .withMeasurement(new MeasurementTaken(new Action.RunMeasurement("errors", 1, 1), errors(0.1).apply(T0.minusSeconds(60))));

        Decision decision = new RolloutPlanner().plan(plan, atAnalysis, observed, T0.plusSeconds(2));

        AnalysisRun run = decision.newStatus().analysisRunAt(1);
        assertThat(run.successful()).isEqualTo(1);
        assertThat(run.taken()).isEqualTo(1);
        assertThat(decision.wakeAt()).contains(T0.plusSeconds(31));
    }

    @Test
    void finishedRolloutIsLeftAlone() {
        SimulatedRollout rollout = rollout("100");
        RolloutStatus end = rollout.settle();
        Decision decision = new RolloutPlanner().plan(rollout.plan, end,
                ObservedState.initial().withCommand(UserCommand.abort("x", T0.plusSeconds(9), null)), T0.plusSeconds(10));
        assertThat(decision.actions()).isEmpty();
        assertThat(decision.newStatus()).isEqualTo(end);
        assertThat(decision.wakeAt()).isEmpty();
    }
}
