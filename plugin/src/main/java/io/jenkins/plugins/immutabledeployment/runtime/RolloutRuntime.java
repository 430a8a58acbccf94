package io.jenkins.plugins.immutabledeployment.runtime;

import hudson.init.Terminator;
import hudson.model.Run;
import hudson.util.ClassLoaderSanityThreadFactory;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import io.jenkins.plugins.immutabledeployment.canary.CanaryRollouts;
import io.jenkins.plugins.immutabledeployment.canary.ClusterRunners;
import io.jenkins.plugins.immutabledeployment.kube.ClusterConnection;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.ImagePresence;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.metrics.AnalysisMeasurer;
import io.jenkins.plugins.immutabledeployment.metrics.PrometheusOptions;
import io.jenkins.plugins.immutabledeployment.model.RolloutView;
import io.jenkins.plugins.immutabledeployment.rollout.UserCommand;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The process-wide canary runner: the engine's {@link ClusterRunners} — one {@link CanaryRollouts} per cluster and
 * connection settings, so a rotated credential is used by the next rollout while running ones finish on the old
 * client, which is closed once idle — all on one small shared scheduler; and the way the build page's Promote /
 * Abort reach a build's rollout ({@link #decide}). Closed when Jenkins shuts down: rollouts are abandoned,
 * not finished, so their builds resume them from the cluster after the restart.
 *
 * <p>The registry check of each rollout uses the credentials of the build that started it (registered by image
 * name before the start), since the runner is shared across builds.
 */
public final class RolloutRuntime {

    private static final Logger LOGGER = Logger.getLogger(RolloutRuntime.class.getName());
    private static final RolloutRuntime INSTANCE = new RolloutRuntime();
    private static final int SCHEDULER_THREADS = 4;
    private static final long IDLE_CHECK_MINUTES = 1;

    private final Map<String, ImagePresence> registries = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private ClusterRunners runners;

    private RolloutRuntime() {}

    public static RolloutRuntime get() {
        return INSTANCE;
    }

    /**
     * The runner for {@code clusterKey} (a configured cluster name, or "" for the default) reached through
     * {@code connection} ({@link ClusterClients#resolve}): a new one when the cluster's resolved settings changed.
     */
    public CanaryRollouts rollouts(String clusterKey, ClusterConnection connection) {
        return runners().get(clusterKey, connection);
    }

    /** The registry check for rollouts of images named like {@code image} (a build's credentials). */
    public void registerRegistry(PinnedImage image, ImagePresence presence) {
        registries.put(image.name(), presence);
    }

    /**
     * Hands a person's promote or abort to the rollout {@code view} of {@code run}, wherever it runs (the engine's
     * {@link CanaryRollouts#send}): to the run itself when this Jenkins drives it, else through the Deployment's
     * commands annotation, which the driving process reads — this Jenkins once the build's step has resumed the
     * rollout after a restart, or another one.
     */
    public void decide(Run<?, ?> run, RolloutView view, UserCommand command) throws IOException {
        rollouts(clusterKey(view.cluster()), ClusterClients.resolve(run, view.cluster()))
                .send(DeploymentTarget.of(view.namespace(), view.deployment()), command);
    }

    /** How a step's {@code cluster} keys the runners: its name, or "" for the controller's default cluster. */
    public static String clusterKey(String cluster) {
        return cluster == null ? "" : cluster;
    }

    private boolean exists(PinnedImage image) {
        ImagePresence presence = registries.get(image.name());
        if (presence == null) {
            throw new IllegalStateException("no build registered how to reach the registry of " + image.name());
        }
        return presence.exists(image);
    }

    /** Made on first use, with the scheduler and a periodic check that closes outdated runners once idle. */
    private synchronized ClusterRunners runners() {
        if (runners == null) {
            ScheduledExecutorService threads = Executors.newScheduledThreadPool(SCHEDULER_THREADS, new NamingThreadFactory(
                    new ClassLoaderSanityThreadFactory(new DaemonThreadFactory()), "Immutable Deployment rollouts"));
            ClusterRunners made = new ClusterRunners(client -> new CanaryRollouts(client, Clock.systemUTC(), threads,
                    AnalysisMeasurer.withOptions(PrometheusOptions.defaults()), this::exists), Clock.systemUTC());
            threads.scheduleWithFixedDelay(() -> closeIdle(made), IDLE_CHECK_MINUTES, IDLE_CHECK_MINUTES, TimeUnit.MINUTES);
            scheduler = threads;
            runners = made;
        }
        return runners;
    }

    private static void closeIdle(ClusterRunners runners) {
        try {
            runners.closeIdle();
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "could not close an outdated canary runner", e);
        }
    }

    /** Abandons every rollout of this process (their locks expire, their builds resume them) and stops the threads. */
    @Terminator
    public static void shutdown() {
        INSTANCE.close();
    }

    private synchronized void close() {
        if (runners != null) {
            try {
                runners.close();
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "could not close a canary runner", e);
            }
            runners = null;
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
