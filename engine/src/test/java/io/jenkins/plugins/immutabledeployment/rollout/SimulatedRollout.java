package io.jenkins.plugins.immutabledeployment.rollout;

import io.jenkins.plugins.immutabledeployment.rollout.ObservedState.Canary;
import io.jenkins.plugins.immutabledeployment.rollout.ObservedState.ImageCheck;
import io.jenkins.plugins.immutabledeployment.rollout.ObservedState.PodFailure;
import io.jenkins.plugins.immutabledeployment.rollout.ObservedState.Stable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Drives the pure planner against a tiny simulated world that carries actions out at once, on a clock the test
 * moves. Tests look at the resulting status and at the set of actions asked for, never at call order.
 */
final class SimulatedRollout {

    final RolloutPlanner planner = new RolloutPlanner();
    final RolloutPlan plan;
    Instant now;
    RolloutStatus status;
    ObservedState world = ObservedState.initial();
    final Set<Action> actions = new LinkedHashSet<>();
    final List<Decision> decisions = new ArrayList<>();
    final Map<String, Deque<Function<Instant, Measurement>>> scriptedMeasurements = new HashMap<>();
    /** When set, the canary fails this way as soon as it is asked for {@link #failAtWeight} or more, or at full size. */
    PodFailure canaryFailure;
    int failAtWeight = 1;
    ImageCheck imageCheck = ImageCheck.passed();
    private final List<MeasurementTaken> deliveries = new ArrayList<>();
    private final List<UserCommand> commands = new ArrayList<>();
    private String cancellation;

    SimulatedRollout(RolloutPlan plan, Instant start) {
        this.plan = plan;
        this.now = start;
        this.status = RolloutStatus.start(plan, "https://jenkins.example.com/job/api/42/", start);
    }

    SimulatedRollout measurements(String analysis, List<Function<Instant, Measurement>> script) {
        scriptedMeasurements.put(analysis, new ArrayDeque<>(script));
        return this;
    }

    void promote(String by) {
        commands.add(UserCommand.promote(by, now));
    }

    void abort(String by, String reason) {
        commands.add(UserCommand.abort(by, now, reason));
    }

    void cancel(String reason) {
        cancellation = reason;
    }

    /** One planner call with what the world shows now, then the world carries the actions out. */
    Decision reconcile() {
        ObservedState observed = new ObservedState(world.canary(), world.weightInEffect(), world.stable(),
                List.copyOf(commands), Optional.ofNullable(cancellation), List.copyOf(deliveries));
        deliveries.clear();
        Decision decision = planner.plan(plan, status, observed, now);
        decisions.add(decision);
        actions.addAll(decision.actions());
        decision.actions().forEach(this::carryOut);
        status = decision.newStatus();
        return decision;
    }

    /**
     * Reconciles until {@code stop} holds, the rollout finishes or it waits for a person: whenever the world
     * stops changing, the clock jumps to the decision's wakeAt. Gives up after {@code limit} of simulated time.
     */
    RolloutStatus runUntil(Predicate<RolloutStatus> stop, Duration limit) {
        Instant giveUp = now.plus(limit);
        for (int i = 0; i < 10_000; i++) {
            if (stop.test(status)) {
                return status;
            }
            ObservedState before = world;
            Decision decision = reconcile();
            if (decision.finished()) {
                return status;
            }
            boolean changed = !world.equals(before) || !deliveries.isEmpty();
            if (!changed && !stop.test(status)) {
                if (decision.wakeAt().isEmpty() || decision.wakeAt().get().isAfter(giveUp)) {
                    return status;
                }
                now = decision.wakeAt().get().isAfter(now) ? decision.wakeAt().get() : now;
            }
        }
        throw new AssertionError("the rollout did not settle: " + status);
    }

    RolloutStatus settle() {
        return runUntil(s -> false, Duration.ofDays(1));
    }

    private void carryOut(Action action) {
        if (action instanceof Action.SetCanaryWeight set) {
            int pods = set.fullSize() ? 10 : set.weight() / 10;
            world = canaryFailure != null && (set.fullSize() || set.weight() >= Math.max(1, failAtWeight))
                    ? world.withCanary(Canary.running(Math.max(pods, 1), 0).failing(canaryFailure))
                    : world.withCanary(Canary.running(pods, pods)).withWeightInEffect(set.weight());
        } else if (action instanceof Action.RunMeasurement run) {
            Deque<Function<Instant, Measurement>> script = scriptedMeasurements.get(run.analysis());
            if (script == null || script.isEmpty()) {
                throw new AssertionError("no measurement scripted for " + run);
            }
            deliveries.add(new MeasurementTaken(run, script.poll().apply(now)));
        } else if (action instanceof Action.PromoteStable) {
            world = world.withStable(Stable.PROMOTED);
        } else if (action instanceof Action.RemoveCanary) {
            world = new ObservedState(Canary.ABSENT, OptionalInt.empty(), world.stable(), List.of(), Optional.empty(), List.of());
        } else if (action instanceof Action.VerifyStableImages) {
            world = world.withStable(world.stable().checked(imageCheck));
        } else if (action instanceof Action.AbortToStable) {
            world = world.withWeightInEffect(0);
        }
    }

    static Function<Instant, Measurement> value(AnalysisSpec spec, double value) {
        return at -> spec.judge(at, List.of(value));
    }

    static Function<Instant, Measurement> noData(AnalysisSpec spec) {
        return at -> spec.judge(at, List.of());
    }

    static Function<Instant, Measurement> queryError() {
        return at -> Measurement.error(at, "HTTP 503 from Prometheus");
    }
}
