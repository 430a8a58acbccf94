package io.jenkins.plugins.immutabledeployment.canary;

import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.kube.DeferredReleases;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.KubernetesApiException;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseOutcome;
import io.jenkins.plugins.immutabledeployment.kube.RolloutLock;
import io.jenkins.plugins.immutabledeployment.kube.RolloutLockedException;
import io.jenkins.plugins.immutabledeployment.kube.RolloutStatusStore;
import io.jenkins.plugins.immutabledeployment.rollout.Action;
import io.jenkins.plugins.immutabledeployment.rollout.Decision;
import io.jenkins.plugins.immutabledeployment.rollout.Durations;
import io.jenkins.plugins.immutabledeployment.rollout.Measurement;
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
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives one rollout, as docs/canary.md "How the engine runs a rollout" describes: observe, plan, carry out the
 * actions, save the status, and wait — for a watch event, a command, a measurement or the planner's
 * {@code wakeAt} — on the shared scheduler. No thread of its own and no sleeping: each look is a task on the
 * scheduler, debounced and never two at once for one rollout; a measurement is a query in flight, not a thread.
 *
 * <p>When the Kubernetes API fails a look, the look is made again after a backoff (at least what a 429's
 * Retry-After asks). A failure that repeats {@value #MAX_FAILURES} times, or one that retrying cannot cure (403, 404,
 * 422, a foreign canary Deployment), aborts the rollout to stable, saying why; that abort is retried in turn. The
 * lease is renewed every half of its duration, by the injected clock; when renewals fail for two thirds of it the
 * rollout aborts to stable, and once it has expired the run stops acting (another holder may have it by then).
 */
final class RolloutRun {

    /** Changes arriving together (a Deployment and its pods) are looked at once. */
    static final Duration DEBOUNCE = Duration.ofMillis(20);
    /** When the caches showed a status the API server says is still this rollout's: look again after this at most. */
    static final Duration STALE_CACHE_LOOK = Duration.ofMillis(250);
    /** Failed looks in a row that turn the rollout to an abort (a failure retrying cannot cure turns it at once). */
    static final int MAX_FAILURES = 5;
    /** The first retry of a failed look; each further one waits twice as long, up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** Failed attempts to write the outcome to the ledger before it is kept on the Deployment instead. */
    static final int LEDGER_ATTEMPTS = 3;

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
    private Instant renewedAt;
    private int renewFailures;
    private boolean looking;
    private boolean lookAgain;
    private int failures;
    private Instant abortingSince;
    private String runnerFailure;
    private int ledgerFailures;
    private RuntimeException unrecorded;
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
     * What a run needs besides its cluster: the shared scheduler, clock, lock, status store, ledger (and where
     * outcomes go that it refuses) and the measurer.
     */
    record Services(Clock clock, ScheduledExecutorService scheduler, RolloutLock lock, Duration leaseDuration,
            RolloutStatusStore store, ReleaseLedger ledger, DeferredReleases deferred, Measurer measurer) {}

    /** Takes one measurement without holding the caller: the answer completes the returned stage. */
    @FunctionalInterface
    interface Measurer {
        CompletionStage<MeasurementTaken> take(Action.RunMeasurement request, RolloutPlan plan, Instant takenAt);
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

    /** Starts watching, renewing the lease and looking; the lease is held (renewed now) and the initial status saved. */
    void begin() {
        synchronized (this) {
            renewedAt = services.clock().instant();
            watch = cluster.watch(this::look);
            scheduleRenewal(renewPeriod());
        }
        listener.onStatus(plan, status);
        look();
    }

    /** Looks again now, and renews the lease if the clock says it is due (e.g. after an injected clock moved). */
    void wake() {
        renewLeaseIfDue();
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
            retryOrAbort(e);
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
        if (!ours(seen.storedStatus(), before)) {
            // Only the API server may say the status is gone: the caches may not have brought this rollout's own
            // write yet (e.g. the namespace's first list was taken just before it).
            requireOurs(cluster.storedStatusNow(), before);
            services.scheduler().schedule(this::look, STALE_CACHE_LOOK.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        synchronized (this) {
            ObservedState.Stable stable = imageCheck == null ? seen.stable() : seen.stable().checked(imageCheck);
            List<UserCommand> all = new ArrayList<>(seen.commands());
            all.addAll(commands);
            observed = new ObservedState(seen.canary(), seen.weightInEffect(), stable, all,
                    Optional.ofNullable(cancellation), delivered, Optional.ofNullable(runnerFailure));
            delivered.clear();
        }
        Decision decision = planner.plan(plan, before, observed, now);
        boolean factsInMemory = false;
        for (Action action : decision.actions()) {
            factsInMemory |= execute(action, decision.newStatus(), observed.weightInEffect());
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

    /**
     * Carries out one action; returns whether it produced a fact the next look needs (no watch event will come).
     * {@code seenInEffect} is the weight the planner saw in effect, if any.
     */
    private boolean execute(Action action, RolloutStatus next, OptionalInt seenInEffect) {
        if (action instanceof Action.SetCanaryWeight setWeight) {
            return moveTraffic(setWeight.weight(), setWeight.fullSize(), seenInEffect);
        } else if (action instanceof Action.AbortToStable) {
            return moveTraffic(0, false, seenInEffect);
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

    /**
     * Neither a weight already in effect nor a route this call moved (routes are not watched) brings a watch event:
     * the next look is needed when the weight is new, or in effect now but was not when the planner looked.
     */
    private boolean moveTraffic(int weight, boolean fullSize, OptionalInt seenInEffect) {
        boolean newWeight = setRequestedWeight(weight, fullSize);
        boolean inEffect = cluster.setCanaryWeight(image, weight, fullSize);
        return newWeight || inEffect && !seenInEffect.equals(OptionalInt.of(weight));
    }

    private void measure(Action.RunMeasurement request) {
        String key = request.stepIndex() + "/" + request.index();
        synchronized (this) {
            if (!measurementsAsked.add(key)) {
                return;
            }
        }
        CompletionStage<MeasurementTaken> taking;
        try {
            taking = services.measurer().take(request, plan, services.clock().instant());
        } catch (RuntimeException e) {
            taking = CompletableFuture.failedFuture(e);
        }
        taking.whenComplete((taken, failure) -> {
            MeasurementTaken delivery = failure == null ? taken : new MeasurementTaken(request, Measurement.error(
                    services.clock().instant(), "measurement failed: " + (failure.getCause() != null ? failure.getCause() : failure).getMessage()));
            synchronized (this) {
                delivered.add(delivery);
            }
            look();
        });
    }

    private void record(Action.RecordOutcome outcome, RolloutStatus next) {
        ReleaseOutcome recorded = switch (outcome.outcome()) {
            case HEALTHY -> ReleaseOutcome.PROMOTED;
            case DEGRADED -> stableChanged() ? ReleaseOutcome.FAILED : ReleaseOutcome.ABORTED;
            default -> ReleaseOutcome.ABORTED;
        };
        String by = outcome.startedBy() == null ? holder : outcome.startedBy();
        Release release = new Release(image, by, outcome.finishedAt(), recorded, outcome.reason());
        try {
            List<Release> history = services.ledger().history(target);
            boolean already = !history.isEmpty() && history.get(0).image().equals(image) && history.get(0).deployedBy().equals(by)
                    && history.get(0).outcome() == recorded && !history.get(0).time().isBefore(outcome.startedAt());
            if (!already) {
                services.ledger().append(target, release);
            }
        } catch (DeploymentException e) {
            int failed;
            synchronized (this) {
                failed = ++ledgerFailures;
            }
            if (failed < LEDGER_ATTEMPTS) {
                throw e; // the look is made again, after a backoff
            }
            keepForLater(release, e);
        }
    }

    /**
     * The ledger kept refusing the outcome: it is kept on the Deployment for the next run to record, and the rollout
     * ends "released, not recorded" (the rollout itself is done; the status says how it ended).
     */
    private void keepForLater(Release release, DeploymentException ledgerFailure) {
        String kept;
        try {
            services.deferred().defer(target, release);
            kept = "it is kept on the Deployment (annotation " + DeferredReleases.ANNOTATION + ") and written to the ledger by the"
                    + " next rollout or rollback of " + target;
        } catch (RuntimeException e) {
            ledgerFailure.addSuppressed(e);
            kept = "it could not be kept on the Deployment either (" + e.getMessage() + "); record it by hand";
        }
        ReleaseNotRecordedException notRecorded = new ReleaseNotRecordedException(target, release, ledgerFailure.getMessage() + "; " + kept,
                ledgerFailure);
        listener.progress(notRecorded.getMessage());
        synchronized (this) {
            unrecorded = notRecorded;
        }
    }

    /** Whether the rollout got as far as changing the stable Deployment (an abort then came too late to keep it). */
    private synchronized boolean stableChanged() {
        return stableChanged;
    }

    /** Stops this run (before it acts) when the stored status is gone or belongs to another rollout. */
    private void requireOurs(String storedJson, RolloutStatus ours) {
        if (!ours(storedJson, ours)) {
            throw replaced(storedJson == null ? null : RolloutStatus.fromJson(storedJson));
        }
    }

    private static boolean ours(String storedJson, RolloutStatus ours) {
        RolloutStatus stored = storedJson == null ? null : RolloutStatus.fromJson(storedJson);
        return stored != null && stored.startedAt().equals(ours.startedAt());
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

    private long renewPeriod() {
        return Math.max(1, services.leaseDuration().toMillis() / 2);
    }

    private synchronized void scheduleRenewal(long delayMillis) {
        if (completion.isDone()) {
            return;
        }
        if (renewal != null) {
            renewal.cancel(false);
        }
        renewal = services.scheduler().schedule(this::renewLeaseIfDue, Math.max(1, delayMillis), TimeUnit.MILLISECONDS);
    }

    /** Renews the lease when half of it has passed since the last renewal (by the clock); else waits for that. */
    private void renewLeaseIfDue() {
        Instant due;
        synchronized (this) {
            if (completion.isDone() || renewedAt == null) {
                return;
            }
            due = renewedAt.plusMillis(renewPeriod());
        }
        Instant now = services.clock().instant();
        if (now.isBefore(due) && renewFailuresSoFar() == 0) {
            scheduleRenewal(Duration.between(now, due).toMillis());
            return;
        }
        renewLease(now);
    }

    private synchronized int renewFailuresSoFar() {
        return renewFailures;
    }

    private void renewLease(Instant now) {
        try {
            services.lock().renew(target, holder);
            synchronized (this) {
                renewedAt = now;
                renewFailures = 0;
            }
            scheduleRenewal(renewPeriod());
        } catch (RolloutLockedException e) {
            stop(e);
        } catch (RuntimeException e) {
            renewalFailed(now, e);
        }
    }

    /**
     * A renewal failed: try again soon, and abort to stable once the lease is at risk (two thirds of it gone without a
     * renewal). Once it has expired, another process may hold it: stop acting, leaving the status for a resume.
     */
    private void renewalFailed(Instant now, RuntimeException e) {
        Instant renewed;
        int failed;
        synchronized (this) {
            renewed = renewedAt;
            failed = ++renewFailures;
        }
        Duration lease = services.leaseDuration();
        Instant expires = renewed.plus(lease);
        if (!now.isBefore(expires)) {
            stop(new RolloutLockedException("the rollout lock of " + target + " expired at " + expires + " after its renewals"
                    + " failed since " + renewed + " (" + e.getMessage() + "); this process stops changing the Deployment, whose"
                    + " status is kept for a resume", null));
            return;
        }
        if (!now.isBefore(renewed.plus(lease.multipliedBy(2).dividedBy(3)))) {
            fail("could not renew the rollout lock of " + target + " since " + renewed + " (" + e.getMessage()
                    + "): returning all traffic to stable before the lock expires at " + expires);
        } else {
            listener.progress("could not renew the rollout lock of " + target + " (will try again): " + e.getMessage());
        }
        long backoff = Math.min(FIRST_BACKOFF.toMillis() << Math.min(failed, 6), MAX_BACKOFF.toMillis());
        scheduleRenewal(Math.min(backoff, Math.max(1, Duration.between(now, expires).toMillis())));
    }

    /**
     * A look failed: look again after a backoff (and at least what the server asked, on 429). A failure that keeps
     * coming, or one that retrying cannot cure, turns the rollout to an abort; an abort that keeps failing past the
     * progress deadline stops the run, its status kept for a resume.
     */
    private void retryOrAbort(RuntimeException e) {
        int failed;
        Instant since;
        synchronized (this) {
            failed = ++failures;
            since = abortingSince;
        }
        Instant now = services.clock().instant();
        String what = describe(e);
        if (since != null && !now.isBefore(since.plus(plan.progressDeadline()))) {
            stop(new DeploymentException("could not return the traffic of " + target + " to stable within "
                    + Durations.format(plan.progressDeadline()) + " (" + what + "); its status is kept in the cluster for a resume,"
                    + " or use rollbackTo", e));
            return;
        }
        if (since == null && (failed >= MAX_FAILURES || !KubernetesApiException.retryable(e))) {
            fail(failed >= MAX_FAILURES ? "the Kubernetes API failed " + failed + " times in a row: " + what
                    : "the Kubernetes API refused: " + what);
        }
        long delay = Math.max(KubernetesApiException.retryAfter(e).toMillis(),
                Math.min(FIRST_BACKOFF.toMillis() << Math.min(failed - 1, 6), MAX_BACKOFF.toMillis()));
        listener.progress("attempt failed (" + what + "); trying again in " + delay + " ms");
        services.scheduler().schedule(this::look, delay, TimeUnit.MILLISECONDS);
    }

    /** The rollout cannot go on safely: the next look aborts it to stable (Degraded), saying {@code reason}. */
    private void fail(String reason) {
        synchronized (this) {
            if (runnerFailure == null) {
                runnerFailure = reason;
                abortingSince = services.clock().instant();
            }
        }
        listener.progress(reason);
        look();
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void finish(RolloutStatus last) {
        closeAll();
        releaseLease();
        RolloutResult result = RolloutResult.of(plan, last);
        RuntimeException notRecorded;
        synchronized (this) {
            notRecorded = unrecorded;
        }
        if (notRecorded instanceof ReleaseNotRecordedException e) {
            completion.completeExceptionally(e.withResult(result));
        } else {
            completion.complete(result);
        }
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
