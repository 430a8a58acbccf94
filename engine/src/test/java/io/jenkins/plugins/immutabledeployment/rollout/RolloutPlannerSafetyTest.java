package io.jenkins.plugins.immutabledeployment.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.rollout.ObservedState.PodFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Safety properties of the planner over random plans, measurements, failures and human decisions. */
class RolloutPlannerSafetyTest {

    record Scenario(String steps, List<Integer> measurementKinds, Integer failAtWeight, List<Boolean> decisions) {}

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<String> step = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 100).map(String::valueOf),
                Arbitraries.of("pause:30s", "pause:5m", "pause:manual", "analysis:errors"));
        Arbitrary<String> steps = step.list().ofMinSize(0).ofMaxSize(7).map(list -> {
            List<String> sorted = new ArrayList<>();
            int weight = 0;
            for (String s : list) {
                if (s.matches("\\d+")) {
                    weight = Math.max(weight, Integer.parseInt(s));
                    sorted.add(String.valueOf(weight));
                } else {
                    sorted.add(s);
                }
            }
            return sorted.isEmpty() ? "100" : String.join(",", sorted);
        });
        return Combinators.combine(steps,
                Arbitraries.integers().between(0, 3).list().ofMinSize(60).ofMaxSize(60),
                Arbitraries.integers().between(1, 100).injectNull(0.7),
                Arbitraries.of(true, false).list().ofMinSize(10).ofMaxSize(10)).as(Scenario::new);
    }

    @Property(tries = 300)
    void neverPromotesStableUnlessAllStepsPassedAndAlwaysCleansUpAfterAnAbort(@ForAll("scenarios") Scenario scenario) {
        RolloutPlan plan = RolloutPlannerTest.plan(scenario.steps());
        AnalysisSpec spec = plan.analyses().get("errors");
        List<Function<Instant, Measurement>> script = new ArrayList<>();
        for (int kind : scenario.measurementKinds()) {
            script.add(switch (kind) {
                case 0 -> SimulatedRollout.value(spec, 0.1);
                case 1 -> SimulatedRollout.value(spec, 0.9);
                case 2 -> SimulatedRollout.noData(spec);
                default -> SimulatedRollout.queryError();
            });
        }
        SimulatedRollout rollout = new SimulatedRollout(plan, RolloutPlannerTest.T0).measurements("errors", script);
        if (scenario.failAtWeight() != null) {
            rollout.canaryFailure = new PodFailure("api-canary-1", "api", "CrashLoopBackOff", null, 2);
            rollout.failAtWeight = scenario.failAtWeight();
        }

        for (boolean promote : scenario.decisions()) {
            rollout.runUntil(s -> false, Duration.ofDays(1));
            if (rollout.status.isFinished()) {
                break;
            }
            assertThat(rollout.status.phase()).as("only a person is awaited").isEqualTo(RolloutPhase.PAUSED);
            if (promote) {
                rollout.promote("p");
            } else {
                rollout.abort("a", null);
            }
            rollout.now = rollout.now.plusSeconds(1);
        }
        rollout.abort("last", null);
        rollout.runUntil(s -> false, Duration.ofDays(1));

        RolloutStatus end = rollout.status;
        assertThat(end.isFinished()).isTrue();
        assertThat(rollout.world.canary().present()).as("no canary left behind").isFalse();
        boolean aborted = false;
        int records = 0;
        for (Decision decision : rollout.decisions) {
            for (Action action : decision.actions()) {
                if (action instanceof Action.PromoteStable) {
                    assertThat(aborted).as("no promotion after an abort").isFalse();
                    assertThat(decision.newStatus().position()).as("promotion only after every step")
                            .extracting(Position::stage, Position::stepIndex)
                            .containsExactly(Stage.PROMOTING_STABLE, plan.steps().size());
                    assertThat(decision.newStatus().weight()).as("promotion only after weight 100 took effect").isEqualTo(100);
                }
                if (action instanceof Action.SetCanaryWeight set && aborted) {
                    throw new AssertionError("weight " + set.weight() + " asked for after the abort");
                }
                if (action instanceof Action.RecordOutcome) {
                    records++;
                }
            }
            aborted |= decision.newStatus().abort() != null;
        }
        assertThat(records).as("the outcome is recorded once").isEqualTo(1);
        if (end.abort() != null) {
            assertThat(end.weight()).isZero();
            assertThat(end.phase()).isIn(RolloutPhase.ABORTED, RolloutPhase.DEGRADED);
        } else {
            assertThat(end.phase()).isEqualTo(RolloutPhase.HEALTHY);
            assertThat(rollout.actions).contains(new Action.PromoteStable(plan.image()));
        }
    }
}
