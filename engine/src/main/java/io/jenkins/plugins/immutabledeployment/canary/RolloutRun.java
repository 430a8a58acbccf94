package io.jenkins.plugins.immutabledeployment.canary;

import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseOutcome;
import io.jenkins.plugins.immutabledeployment.kube.RolloutLock;
import io.jenkins.plugins.immutabledeployment.kube.RolloutLockedException;
import io.jenkins.plugins.immutabledeployment.kube.RolloutStatusStore;
import io.jenkins.plugins.immutabledeployment.rollout.Action;
import io.jenkins.plugins.immutabledeployment.rollout.Decision;
import io.jenkins.plugins.immutabledeployment.rollout.MeasurementTaken;
import io.jenkins.plugins.immutabledeployment.rollout.ObservedState;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlanner;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.rollout.Stage;
import io.jenkins.plugins.immutabledeployment.rollout.UserCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives one rollout, as docs/canary.md "How the engine runs a rollout" describes: observe, plan, carry out the
 * actions, save the status, and wait — for a watch event, a command, a measurement or the planner's
 * {@code wakeAt} — on the shared scheduler. No thread of its own and no sleeping: each look is a task on the
 * scheduler, debounced and never two at once for one rollout.
 */
final class RolloutRun {

    /** Changes arriving together (a Deployment and its pods) are looked at once. */
    static final Duration DEBOUNCE = Duration.ofMillis(20);
    /** Failed looks (API server unreachable) in a row before the run gives up, leaving the status to resume from. */
    static final int MAX_FAILURES = 5;

    private final DeploymentTarget target;
    private final RolloutPlan plan;
    private final String holder;
    private final PinnedImage image;
    private final CanaryCluster cluster;
    private final Services services;
    private final RolloutListener listener;
    private final RolloutPlanner planner = new RolloutPlanner();
    private final CompletableFuture<RolloutResult> completion = new CompletableFuture<>();

    // Guarded by this.
    private RolloutStatus status;
    private ScheduledFuture<?> pendingLook;
    private ScheduledFuture<?> wake;
    private ScheduledFuture<?> renewal;
    private boolean looking;
    private boolean lookAgain;
    private int failures;
    private AutoCloseable watch;
    private final List<UserCommand> commands = new ArrayList<>();
    private final List<MeasurementTaken> delivered = new ArrayList<>();
    private final Set<String> measurementsAsked = new HashSet<>();
    private String cancellation;
    private Integer requestedWeight;
    private boolean requestedFullSize;
    private ObservedState.ImageCheck imageCheck;
    private String lastMessage;
    private boolean stableChanged;

    /**
     * What a run needs besides its cluster: the shared scheduler, clock, lock, status store, ledger, the measurer
     * and where measurements run (not on the scheduler: they block).
     */
    record Services(Clock clock, ScheduledExecutorService scheduler, RolloutLock lock, Duration leaseDuration,
            RolloutStatusStore store, ReleaseLedger ledger, Measurer measurer, Executor measurements) {}

    /** Takes one measurement (blocking, up to the analysis timeout). */
    @FunctionalInterface
    interface Measurer {
        MeasurementTaken take(Action.RunMeasurement request, RolloutPlan plan, Instant takenAt);
    }

    RolloutRun(DeploymentTarget target, RolloutPlan plan, String holder, RolloutStatus initial, CanaryCluster cluster,
            Services services, RolloutListener listener) {
        this.target = target;
        this.plan = plan;
        this.holder = holder;
        this.image = PinnedImage.parse(plan.image(), "image");
        this.status = Objects.requireNonNull(initial, "initial");
        this.stableChanged = touchesStable(initial);
        this.cluster = cluster;
        this.services = services;
        this.listener = listener;
    }

    /** Starts watching, renewing the lease and looking; the lease is held and the initial status saved. */
    void begin() {
        long renewEvery = Math.max(1, services.leaseDuration().toMillis() / 3);
        synchronized (this) {
            watch = cluster.watch(this::look);
            renewal = services.scheduler().scheduleAtFixedRate(this::renewLease, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        }
        listener.onStatus(plan, status);
        look();
    }

    CompletableFuture<RolloutResult> completion() {
        return completion;
    }

    synchronized RolloutStatus status() {
        return status;
    }

    DeploymentTarget target() {
        return target;
    }

    RolloutPlan plan() {
        return plan;
    }

    void command(UserCommand command) {
        synchronized (this) {
            commands.add(command);
        }
        look();
    }

    void cancel(String reason) {
        synchronized (this) {
            if (cancellation == null) {
                cancellation = reason == null || reason.isBlank() ? "the caller went away" : reason;
            }
        }
        look();
    }

    /** Looks again soon: a watch event, a command, a measurement, or the clock moved. */
    void look() {
        synchronized (this) {
            if (completion.isDone() || pendingLook != null) {
                return;
            }
            pendingLook = services.scheduler().schedule(this::lookNow, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void lookNow() {
        synchronized (this) {
            pendingLook = null;
            if (completion.isDone()) {
                return;
            }
            if (looking) {
                lookAgain = true;
                return;
            }
            looking = true;
        }
        try {
            evaluate();
            synchronized (this) {
                failures = 0;
            }
        } catch (RolloutLockedException | InvalidInputException e) {
            stop(e);
        } catch (RuntimeException e) {
            retryOrStop(e);
        } finally {
            boolean again;
            synchronized (this) {
                looking = false;
                again = lookAgain;
                lookAgain = false;
            }
            if (again) {
                look();
            }
        }
    }

    private void evaluate() {
        Instant now = services.clock().instant();
        RolloutStatus before;
        ObservedState observed;
        synchronized (this) {
            before = status;
        }
        CanaryCluster.Observation seen = observeRequested();
        requireOurs(seen.storedStatus(), before);
        synchronized (this) {
            ObservedState.Stable stable = imageCheck == null ? seen.stable() : seen.stable().checked(imageCheck);
            List<UserCommand> all = new ArrayList<>(seen.commands());
            all.addAll(commands);
            observed = new ObservedState(seen.canary(), seen.weightInEffect(), stable, all,
                    Optional.ofNullable(cancellation), delivered);
            delivered.clear();
        }
        Decision decision = planner.plan(plan, before, observed, now);
        boolean factsInMemory = false;
        for (Action action : decision.actions()) {
            factsInMemory |= execute(action, decision.newStatus());
        }
        RolloutStatus next = decision.newStatus();
        if (!next.equals(before)) {
            save(next);
        }
        synchronized (this) {
            status = next;
            stableChanged |= touchesStable(before) || touchesStable(next);
        }
        report(next);
        if (decision.finished()) {
            finish(next);
            return;
        }
        decision.wakeAt().ifPresent(this::wakeAt);
        if (factsInMemory) {
            look();
        }
    }

    /** Carries out one action; returns whether it produced a fact the next look needs (no watch event will come). */
    private boolean execute(Action action, RolloutStatus next) {
        if (action instanceof Action.SetCanaryWeight setWeight) {
            boolean newWeight = setRequestedWeight(setWeight.weight(), setWeight.fullSize());
            cluster.setCanaryWeight(image, setWeight.weight(), setWeight.fullSize());
            // A weight already in effect changes nothing in the cluster, so no watch event tells us.
            return newWeight;
        } else if (action instanceof Action.AbortToStable) {
            boolean newWeight = setRequestedWeight(0, false);
            cluster.setCanaryWeight(image, 0, false);
            return newWeight;
        } else if (action instanceof Action.RemoveCanary) {
            setRequestedWeight(0, false);
            cluster.removeCanary();
        } else if (action instanceof Action.PromoteStable) {
            cluster.promoteStable(image);
        } else if (action instanceof Action.VerifyStableImages) {
            ObservedState.ImageCheck check = cluster.verifyStableImages(image);
            synchronized (this) {
                imageCheck = check;
            }
            return true;
        } else if (action instanceof Action.RunMeasurement measurement) {
            measure(measurement);
        } else if (action instanceof Action.RecordOutcome outcome) {
            record(outcome, next);
        }
        return false;
    }

    private void measure(Action.RunMeasurement request) {
        String key = request.stepIndex() + "/" + request.index();
        synchronized (this) {
            if (!measurementsAsked.add(key)) {
                return;
            }
        }
        Runnable take = () -> {
            MeasurementTaken taken;
            try {
                taken = services.measurer().take(request, plan, services.clock().instant());
            } catch (RuntimeException e) {
                taken = new MeasurementTaken(request, io.jenkins.plugins.immutabledeployment.rollout.Measurement.error(
                        services.clock().instant(), "measurement failed: " + e.getMessage()));
            }
            synchronized (this) {
                delivered.add(taken);
            }
            look();
        };
        try {
            services.measurements().execute(take);
        } catch (RejectedExecutionException closed) {
            // The runner was closed meanwhile: this run is abandoned, its next process measures again.
        }
    }

    private void record(Action.RecordOutcome outcome, RolloutStatus next) {
        ReleaseOutcome recorded = switch (outcome.outcome()) {
            case HEALTHY -> ReleaseOutcome.PROMOTED;
            case DEGRADED -> stableChanged() ? ReleaseOutcome.FAILED : ReleaseOutcome.ABORTED;
            default -> ReleaseOutcome.ABORTED;
        };
        String by = outcome.startedBy() == null ? holder : outcome.startedBy();
        List<Release> history = services.ledger().history(target);
        boolean already = !history.isEmpty() && history.get(0).image().equals(image) && history.get(0).deployedBy().equals(by)
                && history.get(0).outcome() == recorded && !history.get(0).time().isBefore(outcome.startedAt());
        if (!already) {
            services.ledger().append(target, new Release(image, by, outcome.finishedAt(), recorded, outcome.reason()));
        }
    }

    /** Whether the rollout got as far as changing the stable Deployment (an abort then came too late to keep it). */
    private synchronized boolean stableChanged() {
        return stableChanged;
    }

    /** Stops this run (before it acts) when the stored status is gone or belongs to another rollout. */
    private void requireOurs(String storedJson, RolloutStatus ours) {
        RolloutStatus stored = storedJson == null ? null : RolloutStatus.fromJson(storedJson);
        if (stored == null || !stored.startedAt().equals(ours.startedAt())) {
            throw replaced(stored);
        }
    }

    private RolloutLockedException replaced(RolloutStatus stored) {
        return new RolloutLockedException("the rollout status of " + target + (stored == null ? " was removed"
                : " was replaced by another rollout (started " + stored.startedAt() + " by " + stored.startedBy() + ")")
                + ", e.g. by a rollback; this rollout stops here without changing anything", stored == null ? null : stored.startedBy());
    }

    /** Saves {@code next} unless the stored status is no longer this rollout's (a rollback removed or replaced it). */
    private void save(RolloutStatus next) {
        String json = next.toJson();
        Instant ours = status().startedAt();
        services.store().update(target, current -> {
            RolloutStatus stored = current.map(RolloutStatus::fromJson).orElse(null);
            if (stored == null || !stored.startedAt().equals(ours) && !stored.startedAt().equals(next.startedAt())) {
                throw replaced(stored);
            }
            return Optional.of(json);
        });
    }

    private void report(RolloutStatus next) {
        listener.onStatus(plan, next);
        String line = "[" + label(next.phase()) + "] " + next.message();
        boolean changed;
        synchronized (this) {
            changed = !line.equals(lastMessage);
            lastMessage = line;
        }
        if (changed) {
            listener.progress(line);
        }
    }

    private static String label(RolloutPhase phase) {
        String name = phase == null ? "PROGRESSING" : phase.name();
        return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    private void wakeAt(Instant at) {
        long delay = Math.max(0, Duration.between(services.clock().instant(), at).toMillis());
        synchronized (this) {
            if (wake != null) {
                wake.cancel(false);
            }
            wake = services.scheduler().schedule(this::look, delay + 1, TimeUnit.MILLISECONDS);
        }
    }

    private void renewLease() {
        try {
            services.lock().renew(target, holder);
        } catch (RolloutLockedException e) {
            stop(e);
        } catch (RuntimeException e) {
            listener.progress("could not renew the rollout lock of " + target + " (will try again): " + e.getMessage());
        }
    }

    private void retryOrStop(RuntimeException e) {
        int failed;
        synchronized (this) {
            failed = ++failures;
        }
        if (failed >= MAX_FAILURES) {
            stop(new DeploymentException("the rollout of " + target + " stopped after " + failed + " failed attempts in a row;"
                    + " its state is kept in the cluster and another run can resume it: " + e.getMessage(), e));
            return;
        }
        long delay = 200L << Math.min(failed, 6);
        listener.progress("attempt failed (" + e.getMessage() + "); trying again in " + delay + " ms");
        services.scheduler().schedule(this::look, delay, TimeUnit.MILLISECONDS);
    }

    private void finish(RolloutStatus last) {
        closeAll();
        releaseLease();
        completion.complete(RolloutResult.of(plan, last));
    }

    /** Stops driving, as if the process ended: no lock released, the status kept for a resume. */
    void abandon(String reason) {
        closeAll();
        completion.completeExceptionally(new RolloutAbandonedException("stopped driving the rollout of " + target + ": " + reason
                + "; its state is kept in the cluster for a resume"));
    }

    /** Stops driving without finishing: the status stays in the cluster for a later resume. */
    private void stop(RuntimeException e) {
        closeAll();
        if (!(e instanceof RolloutLockedException)) {
            releaseLease();
        }
        completion.completeExceptionally(e);
    }

    private void releaseLease() {
        try {
            services.lock().release(target, holder);
        } catch (RuntimeException e) {
            listener.progress("could not release the rollout lock of " + target + " (it expires by itself): " + e.getMessage());
        }
    }

    private void closeAll() {
        AutoCloseable closing;
        synchronized (this) {
            for (ScheduledFuture<?> future : new ScheduledFuture<?>[] {pendingLook, wake, renewal}) {
                if (future != null) {
                    future.cancel(false);
                }
            }
            closing = watch;
            watch = null;
        }
        if (closing != null) {
            try {
                closing.close();
            } catch (Exception e) {
                listener.progress("could not close the watch of " + target + ": " + e.getMessage());
            }
        }
    }

    /** The cluster as seen for the weight (and canary size) last asked for. */
    private CanaryCluster.Observation observeRequested() {
        Integer weight;
        boolean fullSize;
        synchronized (this) {
            weight = requestedWeight;
            fullSize = requestedFullSize;
        }
        return cluster.observe(weight, fullSize);
    }

    /** Remembers the weight and canary size asked for; returns whether they differ from those asked for before. */
    private synchronized boolean setRequestedWeight(int weight, boolean fullSize) {
        boolean changed = requestedWeight == null || requestedWeight != weight || requestedFullSize != fullSize;
        requestedWeight = weight;
        requestedFullSize = fullSize;
        return changed;
    }

    private static boolean touchesStable(RolloutStatus status) {
        Stage stage = status.position().stage();
        return stage == Stage.PROMOTING_STABLE || stage == Stage.VERIFYING_STABLE;
    }

    /** The stage of the current status, for callers deciding whether an abort can still stop it. */
    synchronized Stage stage() {
        return status.position().stage();
    }
}
