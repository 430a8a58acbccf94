package io.jenkins.plugins.immutabledeployment.runtime;

import hudson.init.Terminator;
import hudson.model.Run;
import hudson.util.ClassLoaderSanityThreadFactory;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.canary.CanaryRollouts;
import io.jenkins.plugins.immutabledeployment.canary.RolloutHandle;
import io.jenkins.plugins.immutabledeployment.kube.ImagePresence;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.metrics.AnalysisMeasurer;
import io.jenkins.plugins.immutabledeployment.metrics.PrometheusOptions;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The process-wide canary runner: one {@link CanaryRollouts} per cluster, all on one small shared scheduler, and
 * the handles of the rollouts this Jenkins drives (for the build page's Promote / Abort). Closed when Jenkins shuts
 * down: rollouts are abandoned, not finished, so their builds resume them from the cluster after the restart.
 *
 * <p>The registry check of each rollout uses the credentials of the build that started it (registered by image
 * name before the start), since the runner is shared across builds.
 */
public final class RolloutRuntime {

    private static final Logger LOGGER = Logger.getLogger(RolloutRuntime.class.getName());
    private static final RolloutRuntime INSTANCE = new RolloutRuntime();
    private static final int SCHEDULER_THREADS = 4;

    private final Map<String, CanaryRollouts> clusters = new ConcurrentHashMap<>();
    private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
    private final Map<String, ImagePresence> registries = new ConcurrentHashMap<>();
    private final Map<String, RolloutHandle> handles = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService scheduler;

    private RolloutRuntime() {}

    public static RolloutRuntime get() {
        return INSTANCE;
    }

    /** The runner for {@code clusterKey} (a configured cluster name, or "" for the default), made on first use. */
    public CanaryRollouts rollouts(String clusterKey, Supplier<KubernetesClient> client) {
        return clusters.computeIfAbsent(clusterKey, k -> {
            KubernetesClient opened = client.get();
            clients.put(k, opened);
            return new CanaryRollouts(opened, Clock.systemUTC(), scheduler(),
                    AnalysisMeasurer.withOptions(PrometheusOptions.defaults()), this::exists);
        });
    }

    /** The registry check for rollouts of images named like {@code image} (a build's credentials). */
    public void registerRegistry(PinnedImage image, ImagePresence presence) {
        registries.put(image.name(), presence);
    }

    /** The key of a build's rollout among the handles (the build page's Promote / Abort find it by it). */
    public static String key(Run<?, ?> run, String rolloutId) {
        return run.getExternalizableId() + "#" + rolloutId;
    }

    /** Remembers the handle of a rollout under {@code key} (the build and the rollout id) while it runs. */
    public void track(String key, RolloutHandle handle) {
        handles.put(key, handle);
        handle.completion().whenComplete((result, failure) -> handles.remove(key, handle));
    }

    public Optional<RolloutHandle> handle(String key) {
        return Optional.ofNullable(handles.get(key));
    }

    private boolean exists(PinnedImage image) {
        ImagePresence presence = registries.get(image.name());
        if (presence == null) {
            throw new IllegalStateException("no build registered how to reach the registry of " + image.name());
        }
        return presence.exists(image);
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newScheduledThreadPool(SCHEDULER_THREADS, new NamingThreadFactory(
                    new ClassLoaderSanityThreadFactory(new DaemonThreadFactory()), "Immutable Deployment rollouts"));
        }
        return scheduler;
    }

    /** Abandons every rollout of this process (their locks expire, their builds resume them) and stops the threads. */
    @Terminator
    public static void shutdown() {
        INSTANCE.close();
    }

    private synchronized void close() {
        clusters.values().forEach(r -> {
            try {
                r.close();
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "could not close a canary runner", e);
            }
        });
        clusters.clear();
        clients.values().forEach(KubernetesClient::close);
        clients.clear();
        handles.clear();
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
