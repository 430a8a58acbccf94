package io.jenkins.plugins.immutabledeployment.canary;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.kube.ClusterConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The canary runners of one process (a Jenkins controller): one {@link CanaryRollouts}, with its own client, per
 * cluster and connection settings. The cluster is named by the caller (a configured cluster's name, {@code ""} for
 * the default one), the settings by {@link ClusterConnection#fingerprint()}. When a cluster's settings change — a
 * rotated token, a replaced kubeconfig or CA — the next {@link #get} opens a new client and runner with them, while
 * rollouts already running on the outdated runner carry on with its client.
 *
 * <p>An outdated runner and its client are closed by {@link #closeIdle} once it drives no rollout, and not before
 * {@code grace} has passed since it was outdated: a caller that got it just before may still be starting a rollout
 * on it (checking the registry, taking the lock) that the runner does not count yet.
 */
public final class ClusterRunners implements AutoCloseable {

    /** How long an outdated runner stays open at least; far longer than starting a rollout takes. */
    public static final Duration GRACE = Duration.ofMinutes(5);

    private final Function<KubernetesClient, CanaryRollouts> factory;
    private final Clock clock;
    private final Duration grace;
    private final Map<String, Runner> current = new HashMap<>();
    private final List<Outdated> outdated = new ArrayList<>();

    private record Runner(String fingerprint, KubernetesClient client, CanaryRollouts rollouts) {
        void close() {
            try {
                rollouts.close();
            } finally {
                client.close();
            }
        }
    }

    private record Outdated(Runner runner, Instant since) {}

    /** {@code factory} makes the runner for a newly opened client (which this class closes with it). */
    public ClusterRunners(Function<KubernetesClient, CanaryRollouts> factory, Clock clock) {
        this(factory, clock, GRACE);
    }

    ClusterRunners(Function<KubernetesClient, CanaryRollouts> factory, Clock clock, Duration grace) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.grace = Objects.requireNonNull(grace, "grace");
    }

    /**
     * The runner for {@code cluster} reached through {@code connection}: the current one if its settings are the
     * same, else a new one (the previous one becomes outdated). Opening a client does not connect.
     */
    public synchronized CanaryRollouts get(String cluster, ClusterConnection connection) {
        Objects.requireNonNull(cluster, "cluster");
        Runner runner = current.get(cluster);
        if (runner != null && runner.fingerprint().equals(connection.fingerprint())) {
            return runner.rollouts();
        }
        KubernetesClient client = connection.get();
        CanaryRollouts rollouts;
        try {
            rollouts = factory.apply(client);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        current.put(cluster, new Runner(connection.fingerprint(), client, rollouts));
        if (runner != null) {
            outdated.add(new Outdated(runner, clock.instant()));
        }
        closeIdle();
        return rollouts;
    }

    /**
     * Closes every outdated runner that drives no rollout and was outdated at least the grace period ago.
     *
     * @return how many were closed
     */
    public synchronized int closeIdle() {
        Instant due = clock.instant().minus(grace);
        int closed = 0;
        for (Iterator<Outdated> it = outdated.iterator(); it.hasNext(); ) {
            Outdated old = it.next();
            if (!old.since().isAfter(due) && old.runner().rollouts().isIdle()) {
                it.remove();
                old.runner().close();
                closed++;
            }
        }
        return closed;
    }

    /** How many runners are open, current and outdated. */
    public synchronized int open() {
        return current.size() + outdated.size();
    }

    /** Closes every runner (their rollouts are abandoned, to be resumed elsewhere) and its client. */
    @Override
    public synchronized void close() {
        List<Runner> all = new ArrayList<>(current.values());
        outdated.forEach(o -> all.add(o.runner()));
        current.clear();
        outdated.clear();
        RuntimeException failure = null;
        for (Runner runner : all) {
            try {
                runner.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
