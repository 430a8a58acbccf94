package io.jenkins.plugins.immutabledeployment.canary;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.kube.DeferredReleases;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.GatewayApiRouter;
import io.jenkins.plugins.immutabledeployment.kube.ImageMissingException;
import io.jenkins.plugins.immutabledeployment.kube.ImagePresence;
import io.jenkins.plugins.immutabledeployment.kube.LockHolder;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.kube.PreviewServices;
import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;
import io.jenkins.plugins.immutabledeployment.kube.ReplicaRatioRouter;
import io.jenkins.plugins.immutabledeployment.kube.RolloutLock;
import io.jenkins.plugins.immutabledeployment.kube.RolloutLockedException;
import io.jenkins.plugins.immutabledeployment.kube.RolloutStatusStore;
import io.jenkins.plugins.immutabledeployment.kube.TrafficRouter;
import io.jenkins.plugins.immutabledeployment.kube.WatchedNamespaces;
import io.jenkins.plugins.immutabledeployment.metrics.AnalysisMeasurer;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.rollout.TakeOver;
import io.jenkins.plugins.immutabledeployment.rollout.UserCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs canary rollouts on one cluster; one instance per process and cluster client. Each rollout is driven by
 * watches and timers on the shared {@code scheduler} (no thread per rollout, no sleeping). Before anything in the
 * cluster changes, {@link #start} checks the image exists in its registry (and, for a blue/green plan, that no
 * Service would send traffic to the preview, see {@link PreviewServices}) and takes the Deployment's lock; the
 * rollout's state lives in the status annotation, so another process can {@link #resume} it.
 */
public final class CanaryRollouts implements AutoCloseable {

    /** How long the lock holds without renewal; it is renewed every half of it (and sooner after a failed renewal). */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final RolloutRun.Measurer measurer;
    private final ImagePresence registry;
    private final Duration leaseDuration;
    private final WatchedNamespaces namespaces;
    private final RolloutLock lock;
    private final RolloutStatusStore store;
    private final ReleaseLedger ledger;
    private final RecordedTraffic traffic;
    private final DeferredReleases deferred;
    private final TakeOvers takeOvers;
    private final Map<DeploymentTarget, RolloutRun> active = new ConcurrentHashMap<>();

    /**
     * @param measurer  takes analysis measurements (e.g. {@code AnalysisMeasurer.withOptions(prometheusOptions)})
     * @param registry  answers whether the pinned image exists in its registry (see {@link RegistryImagePresence})
     * @param scheduler shared; runs every look at the cluster (a few threads suffice: looks read cached objects, and
     *                  measurements are queries in flight, not threads)
     */
    public CanaryRollouts(KubernetesClient client, Clock clock, ScheduledExecutorService scheduler, AnalysisMeasurer measurer,
            ImagePresence registry) {
        this(client, clock, scheduler, measurer::takeAsync, registry, DEFAULT_LEASE);
    }

    CanaryRollouts(KubernetesClient client, Clock clock, ScheduledExecutorService scheduler, RolloutRun.Measurer measurer,
            ImagePresence registry, Duration leaseDuration) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.measurer = Objects.requireNonNull(measurer, "measurer");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
        this.namespaces = new WatchedNamespaces(client);
        this.lock = new RolloutLock(client, clock);
        this.store = new RolloutStatusStore(client, namespaces.reads());
        this.ledger = new ReleaseLedger(client);
        this.deferred = new DeferredReleases(client, ledger);
        this.takeOvers = new TakeOvers(ledger, clock);
        this.traffic = new RecordedTraffic(client, namespaces.reads());
    }

    /**
     * Starts a rollout. Refused before anything changes: bad input ({@code InvalidInputException}), a missing
     * Deployment, an image gone from its registry ({@link ImageMissingException}), a rollout of the same
     * Deployment held by another process ({@link RolloutLockedException}, naming the holder). An unfinished
     * rollout whose lock expired is taken over: with the same plan it carries on, with another plan it restarts.
     */
    public RolloutHandle start(RolloutRequest request, RolloutListener listener) {
        return launch(request, listener, false);
    }

    /**
     * Picks up the unfinished rollout recorded in the Deployment's status annotation (a new process after a
     * crash or a Jenkins restart). {@code request.holder()} must be the original holder, or the lock must have
     * expired. A rollout already finished gives a handle that is complete at once.
     */
    public RolloutHandle resume(RolloutRequest request, RolloutListener listener) {
        return launch(request, listener, true);
    }

    /** {@link #resume(RolloutRequest, RolloutListener)} with replica-ratio traffic. */
    public RolloutHandle resume(DeploymentTarget target, RolloutPlan plan, String holder, RolloutListener listener) {
        return resume(RolloutRequest.of(target, plan, holder), listener);
    }

    /**
     * Sends a promote or abort to the rollout of {@code target}, wherever it runs: to the run in this process if
     * there is one, else through the Deployment's commands annotation (see {@link RolloutCommands}).
     */
    public void send(DeploymentTarget target, UserCommand command) {
        RolloutRun run = active.get(target);
        if (run != null) {
            run.command(command);
        } else {
            RolloutCommands.send(client, target, command);
        }
    }

    /** The rollout this process is driving for {@code target}, if any. */
    public Optional<RolloutStatus> active(DeploymentTarget target) {
        return Optional.ofNullable(active.get(target)).map(RolloutRun::status);
    }

    /** Whether this runner drives no rollout now. */
    public boolean isIdle() {
        return active.isEmpty();
    }

    /** Every rollout of this process looks at the cluster and the clock again (e.g. after the clock jumped). */
    public void wakeAll() {
        active.values().forEach(RolloutRun::wake);
    }

    /**
     * Stops driving every rollout of this process without finishing them, as if the process ended: locks are not
     * released (they expire) and statuses stay in the cluster for {@link #resume}.
     */
    @Override
    public void close() {
        active.values().forEach(run -> run.abandon("the runner was closed"));
        active.clear();
        namespaces.close();
    }

    private RolloutHandle launch(RolloutRequest request, RolloutListener listener, boolean resuming) {
        DeploymentTarget target = request.target();
        RolloutPlan plan = request.plan();
        String holder = request.holder();
        PinnedImage image = PinnedImage.parse(plan.image(), "image");
        TrafficRouter router = router(request);
        Optional<RolloutStatus> stored = store.read(target).map(RolloutStatus::fromJson);
        if (resuming) {
            if (stored.isEmpty()) {
                throw new DeploymentException("there is no rollout of " + target + " to resume (no status annotation)");
            }
            if (!stored.get().startedBy().equals(holder)) {
                return finished(plan, takeOvers.fate(target, plan, holder, stored.get()), listener);
            }
            if (stored.get().isFinished()) {
                return finished(plan, stored.get(), listener);
            }
        }
        if (plan.blueGreen()) {
            PreviewServices.Preview preview = PreviewServices.verify(client, target);
            List<String> services = preview.services();
            listener.progress("blue/green: the preview of " + plan.image() + " will be reachable through Service"
                    + (services.size() == 1 ? " " : "s ") + String.join(", ", services) + " in namespace " + target.namespace()
                    + ", with no share of the stable traffic until the switch");
            listener.onPreview(preview);
        }
        if (!registry.exists(image)) {
            throw new ImageMissingException(image);
        }
        RolloutRun running = active.get(target);
        if (running != null) {
            throw new RolloutLockedException("Deployment " + target + " is being rolled out by this process already ("
                    + running.plan().image() + "); wait for it to finish or abort it", null);
        }
        Optional<RolloutStatus> abandoned = stored.filter(s -> !s.isFinished() && !s.startedBy().equals(holder));
        Optional<LockHolder> lockBefore = abandoned.isPresent() ? lock.current(target) : Optional.empty();
        lock.acquire(target, holder, leaseDuration);
        RolloutRun run;
        try {
            recordDeferred(target, listener);
            RolloutStatus initial = stored.filter(s -> !s.isFinished() && s.startedBy().equals(holder)).orElse(null);
            boolean fresh = initial == null;
            if (fresh) {
                initial = RolloutStatus.start(plan, holder, clock.instant());
                if (abandoned.isPresent()) {
                    TakeOver takeover = takeOvers.takeOver(target, abandoned.get(), lockBefore, holder);
                    initial = initial.withTakeover(takeover);
                    listener.progress("Took " + target + " over from " + takeover.describe()
                            + "; the ledger records that rollout as aborted, and this one starts from step 0");
                }
            }
            traffic.write(target, request.traffic()); // before any traffic moves: a rollback returns it the same way
            if (fresh) {
                store.write(target, initial.toJson());
            }
            CanaryCluster cluster = new KubeCanaryCluster(client, namespaces, target, image, router);
            RolloutRun.Services services = new RolloutRun.Services(clock, scheduler, lock, leaseDuration, store, ledger, deferred, measurer);
            run = new RolloutRun(target, plan, holder, initial, cluster, services, listener);
            if (active.putIfAbsent(target, run) != null) {
                throw new RolloutLockedException("Deployment " + target + " is being rolled out by this process already", null);
            }
        } catch (RuntimeException e) {
            lock.release(target, holder);
            throw e;
        }
        run.completion().whenComplete((result, failure) -> active.remove(target, run));
        try {
            run.begin();
        } catch (RuntimeException e) {
            run.abandon("could not start watching the cluster: " + e.getMessage());
            lock.release(target, holder);
            throw e;
        }
        return new RolloutHandle(run, clock);
    }

    /** A rollout that ended before this process looked: the listener hears its last status, the handle is complete. */
    private RolloutHandle finished(RolloutPlan plan, RolloutStatus last, RolloutListener listener) {
        listener.onStatus(plan, last);
        return RolloutHandle.finished(plan, last, clock);
    }

    /** Writes what earlier runs could not write to the ledger, before this run adds to it; a failure is only reported. */
    private void recordDeferred(DeploymentTarget target, RolloutListener listener) {
        try {
            for (Release release : deferred.flush(target)) {
                listener.progress("Recorded in the release ledger of " + target + " what an earlier run could not: "
                        + release.outcome().json() + " " + release.image() + " by " + release.deployedBy() + " at " + release.time());
            }
        } catch (DeploymentException e) {
            listener.progress("The release ledger of " + target + " still cannot be written (" + e.getMessage()
                    + "); the releases kept on the Deployment wait for the next run");
        }
    }

    private TrafficRouter router(RolloutRequest request) {
        Traffic traffic = request.traffic();
        if (traffic.kind() == Traffic.Kind.GATEWAY) {
            GatewayApiRouter gateway = new GatewayApiRouter(client, namespaces.reads(), traffic.httpRoute(), traffic.stableService(),
                    traffic.canaryService());
            gateway.verify(request.target());
            return gateway;
        }
        return new ReplicaRatioRouter(client, namespaces.reads());
    }
}
