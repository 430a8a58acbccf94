package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cluster side of a rollback, the fast path: no canary, no analysis, the target is a known digest.
 * In order: resolve the target against the ledger; ask the registry that the image still exists (nothing changes
 * if not); take the Deployment's lock over (a rollout in progress loses it); stop that rollout; set the stable
 * image surge first; wait for the Deployment through an informer; check every pod's image ID; record the outcome in
 * the ledger; stop anything the stopped rollout brought back meanwhile; release the lock.
 */
public final class Rollback {

    /** Lock time beyond the rollout timeout, for the checks and the ledger write after it. */
    static final Duration LOCK_MARGIN = Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final ImagePresence registry;
    private final RolloutAbort abort;
    private final Clock clock;
    private final Executor executor;
    private final Progress progress;
    private final ReleaseLedger ledger;
    private final RolloutLock lock;
    private final StablePromoter promoter;

    /**
     * @param registry answers whether the target image still exists
     * @param abort    stops a rollout in progress
     * @param executor runs the blocking work after the wait (image checks, ledger, lock): never the client's event thread
     */
    public Rollback(KubernetesClient client, ImagePresence registry, RolloutAbort abort, Clock clock, Executor executor,
            Progress progress) {
        this.client = Objects.requireNonNull(client, "client");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.abort = Objects.requireNonNull(abort, "abort");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.ledger = new ReleaseLedger(client);
        this.lock = new RolloutLock(client, clock);
        this.promoter = new StablePromoter(client);
    }

    /**
     * Runs the rollback up to setting the stable image on the calling thread (so refusals — unknown revision,
     * missing image, bad input — are thrown here, before anything changed), then completes the returned future
     * when the stable Deployment has rolled out, been checked and the ledger written. The future fails with a
     * {@link DeploymentException} (wrapped in a {@link CompletionException}) when the rollout or the image check
     * fails or the timeout passes; the ledger then records {@code failed} and the lock is released either way.
     */
    public CompletableFuture<RollbackResult> start(RollbackRequest request) {
        DeploymentTarget target = request.target();
        Deployment stable = StableDeployments.require(client, target);
        String replaced = StableDeployments.container(stable, target).getImage();
        ResolvedRelease resolved = ledger.resolve(target, request.revision(), digestOf(replaced));
        PinnedImage image = resolved.image();
        if (!registry.exists(image)) {
            throw new ImageMissingException(image);
        }
        progress.report("Rolling back " + target + " from " + replaced + " to " + image + describe(resolved));
        Optional<LockHolder> previous = lock.takeOver(target, request.requestedBy(), request.timeout().plus(LOCK_MARGIN));
        previous.ifPresent(holder -> progress.report("Took the rollout lock of " + target + " over from " + holder.identity()));
        CompletableFuture<PromotionStatus> rolledOut;
        try {
            recordDeferred(target);
            abort.abort(target, "rolled back to " + image + " by " + request.requestedBy());
            rolledOut = promoter.awaitCompletion(target, promoter.promote(target, image));
        } catch (RuntimeException e) {
            release(request);
            throw e;
        }
        progress.report("Stable Deployment " + target + " set to " + image + " (surge first); waiting for it to roll out");
        return rolledOut
                .orTimeout(request.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((status, failure) -> finish(request, image, replaced, resolved.knownGood(), failure), executor);
    }

    /** {@link #start} and wait for it; failures are thrown as the {@link DeploymentException} they are. */
    public RollbackResult run(RollbackRequest request) {
        try {
            return start(request).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private RollbackResult finish(RollbackRequest request, PinnedImage image, String replaced, boolean knownGood,
            Throwable failure) {
        DeploymentTarget target = request.target();
        try {
            if (failure != null) {
                throw asDeploymentException(target, request.timeout(), failure);
            }
            List<String> pods = promoter.verifyImages(target, image);
            Release recorded = record(request, image, ReleaseOutcome.ROLLED_BACK, "replaced " + replaced);
            progress.report("Rolled back " + target + " to " + image + "; " + pods.size() + " pods run the digest");
            return new RollbackResult(image, replaced, knownGood, pods, recorded);
        } catch (DeploymentException e) {
            try {
                record(request, image, ReleaseOutcome.FAILED, "rollback failed: " + e.getMessage());
            } catch (RuntimeException ledgerFailure) {
                e.addSuppressed(ledgerFailure);
            }
            throw e;
        } finally {
            stopLeftovers(request, image);
            release(request);
        }
    }

    /**
     * A rollout process that was in the middle of a look when the rollback began may have brought its canary or
     * its traffic back before it noticed it lost the lock; stop it again while the lock is still held. This
     * cannot undo the rollback, so a failure here is reported, not thrown.
     */
    private void stopLeftovers(RollbackRequest request, PinnedImage image) {
        try {
            abort.abort(request.target(), "left behind by a stopping rollout, after the rollback to " + image);
        } catch (DeploymentException e) {
            progress.report("Could not check " + request.target() + " for a canary left behind by a stopping rollout: "
                    + e.getMessage());
        }
    }

    /** Writes what earlier runs could not write to the ledger, before the rollback's own entry; a failure is only reported. */
    private void recordDeferred(DeploymentTarget target) {
        try {
            for (Release release : new DeferredReleases(client, ledger).flush(target)) {
                progress.report("Recorded in the release ledger of " + target + " what an earlier run could not: "
                        + release.outcome().json() + " " + release.image() + " by " + release.deployedBy() + " at " + release.time());
            }
        } catch (DeploymentException e) {
            progress.report("The release ledger of " + target + " still cannot be written (" + e.getMessage()
                    + "); the releases kept on the Deployment wait for the next run");
        }
    }

    /** Gives the lock back; if that fails the lease simply expires, which must not hide the rollback's own outcome. */
    private void release(RollbackRequest request) {
        try {
            lock.release(request.target(), request.requestedBy());
        } catch (DeploymentException e) {
            progress.report("Could not release the rollout lock of " + request.target() + " (" + e.getMessage()
                    + "); it expires on its own");
        }
    }

    private Release record(RollbackRequest request, PinnedImage image, ReleaseOutcome outcome, String note) {
        Release release = new Release(image, request.requestedBy(), clock.instant(), outcome, note);
        ledger.append(request.target(), release);
        return release;
    }

    private static DeploymentException asDeploymentException(DeploymentTarget target, Duration timeout, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof DeploymentException e) {
            return e;
        }
        if (cause instanceof TimeoutException) {
            return new StableRolloutFailedException("Deployment " + target + " did not finish rolling out within " + timeout
                    + "; the old pods keep serving (maxUnavailable 0)");
        }
        return new DeploymentException("waiting for Deployment " + target + " failed: " + cause, cause);
    }

    private static Digest digestOf(String image) {
        try {
            return PinnedImage.parse(image, "image").digest();
        } catch (InvalidInputException notPinned) {
            return null;
        }
    }

    private static String describe(ResolvedRelease resolved) {
        return resolved.entry()
                .map(r -> " (" + r.outcome().json() + " " + r.time() + " by " + r.deployedBy() + ")")
                .orElse(" (not a release the ledger knows as good: deploying it as asked)");
    }
}
