package io.jenkins.plugins.immutabledeployment.canary;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.GatewayApiRouter;
import io.jenkins.plugins.immutabledeployment.kube.ImageMissingException;
import io.jenkins.plugins.immutabledeployment.kube.ImagePresence;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.kube.PreviewServices;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;
import io.jenkins.plugins.immutabledeployment.kube.ReplicaRatioRouter;
import io.jenkins.plugins.immutabledeployment.kube.RolloutLock;
import io.jenkins.plugins.immutabledeployment.kube.RolloutLockedException;
import io.jenkins.plugins.immutabledeployment.kube.RolloutStatusStore;
import io.jenkins.plugins.immutabledeployment.kube.TrafficRouter;
import io.jenkins.plugins.immutabledeployment.metrics.AnalysisMeasurer;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.rollout.UserCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs canary rollouts on one cluster; one instance per process and cluster client. Each rollout is driven by
 * watches and timers on the shared {@code scheduler} (no thread per rollout, no sleeping). Before anything in the
 * cluster changes, {@link #start} checks the image exists in its registry (and, for a blue/green plan, that no
 * Service would send traffic to the preview, see {@link PreviewServices}) and takes the Deployment's lock; the
 * rollout's state lives in the status annotation, so another process can {@link #resume} it.
 */
public final class CanaryRollouts implements AutoCloseable {

    /** How long the lock holds without renewal; it is renewed every third of it. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final RolloutRun.Measurer measurer;
    private final ImagePresence registry;
    private final Duration leaseDuration;
    private final RolloutLock lock;
    private final RolloutStatusStore store;
    private final ReleaseLedger ledger;
    private final RecordedTraffic traffic;
    private final Map<DeploymentTarget, RolloutRun> active = new ConcurrentHashMap<>();
    /**
     * Measurements block for up to their query timeout, so they run on threads of their own (made as needed, one
     * per measurement in flight): a slow Prometheus never holds the shared scheduler, which must stay free to react
     * to aborts, watch events and other rollouts.
     */
    private final ExecutorService measurements = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "rollout-measurement");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param measurer  takes analysis measurements (e.g. {@code AnalysisMeasurer.withOptions(prometheusOptions)})
     * @param registry  answers whether the pinned image exists in its registry (see {@link RegistryImagePresence})
     * @param scheduler shared; runs every look at the cluster (a few threads suffice; measurements run elsewhere)
     */
    public CanaryRollouts(KubernetesClient client, Clock clock, ScheduledExecutorService scheduler, AnalysisMeasurer measurer,
            ImagePresence registry) {
        this(client, clock, scheduler, measurer::take, registry, DEFAULT_LEASE);
    }

    CanaryRollouts(KubernetesClient client, Clock clock, ScheduledExecutorService scheduler, RolloutRun.Measurer measurer,
            ImagePresence registry, Duration leaseDuration) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.measurer = Objects.requireNonNull(measurer, "measurer");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
        this.lock = new RolloutLock(client, clock);
        this.store = new RolloutStatusStore(client);
        this.ledger = new ReleaseLedger(client);
        this.traffic = new RecordedTraffic(client);
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
        active.values().forEach(RolloutRun::look);
    }

    /**
     * Stops driving every rollout of this process without finishing them, as if the process ended: locks are not
     * released (they expire) and statuses stay in the cluster for {@link #resume}.
     */
    @Override
    public void close() {
        active.values().forEach(run -> run.abandon("the runner was closed"));
        active.clear();
        measurements.shutdownNow();
    }

    private RolloutHandle launch(RolloutRequest request, RolloutListener listener, boolean resuming) {
        DeploymentTarget target = request.target();
        RolloutPlan plan = request.plan();
        PinnedImage image = PinnedImage.parse(plan.image(), "image");
        TrafficRouter router = router(request);
        Optional<RolloutStatus> stored = store.read(target).map(RolloutStatus::fromJson);
        if (resuming && stored.isEmpty()) {
            throw new DeploymentException("there is no rollout of " + target + " to resume (no status annotation)");
        }
        if (resuming && stored.get().isFinished()) {
            return RolloutHandle.finished(plan, stored.get(), clock);
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
        lock.acquire(target, request.holder(), leaseDuration);
        RolloutRun run;
        try {
            RolloutStatus initial = stored.filter(s -> !s.isFinished())
                    .orElseGet(() -> RolloutStatus.start(plan, request.holder(), clock.instant()));
            traffic.write(target, request.traffic()); // before any traffic moves: a rollback returns it the same way
            if (stored.isEmpty() || stored.get().isFinished()) {
                store.write(target, initial.toJson());
            }
            CanaryCluster cluster = new KubeCanaryCluster(client, target, image, router);
            RolloutRun.Services services = new RolloutRun.Services(clock, scheduler, lock, leaseDuration, store, ledger, measurer, measurements);
            run = new RolloutRun(target, plan, request.holder(), initial, cluster, services, listener);
            if (active.putIfAbsent(target, run) != null) {
                throw new RolloutLockedException("Deployment " + target + " is being rolled out by this process already", null);
            }
        } catch (RuntimeException e) {
            lock.release(target, request.holder());
            throw e;
        }
        run.completion().whenComplete((result, failure) -> active.remove(target, run));
        try {
            run.begin();
        } catch (RuntimeException e) {
            run.abandon("could not start watching the cluster: " + e.getMessage());
            lock.release(target, request.holder());
            throw e;
        }
        return new RolloutHandle(run, clock);
    }

    private TrafficRouter router(RolloutRequest request) {
        Traffic traffic = request.traffic();
        if (traffic.kind() == Traffic.Kind.GATEWAY) {
            GatewayApiRouter gateway = new GatewayApiRouter(client, traffic.httpRoute(), traffic.stableService(), traffic.canaryService());
            gateway.verify(request.target());
            return gateway;
        }
        return new ReplicaRatioRouter(client);
    }
}
