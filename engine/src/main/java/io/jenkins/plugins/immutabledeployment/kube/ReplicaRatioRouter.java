package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;

/**
 * Traffic by replica ratio (the default): the canary pods sit behind the same Service as the stable pods, so each
 * gets a share of the requests proportional to its ready pods. The stable Deployment keeps its replica count
 * {@code N} until promotion; the canary gets {@code c} replicas, the count in {@code 1..max(N,1)} whose share
 * {@code c / (N + c)} is closest to the weight (the smaller count on a tie), and none at weight 0. The canary
 * never outnumbers stable, so weights above 50% are served as 50% until the promotion; the state's
 * {@code canaryPercent} reports the share actually reached. Examples for N = 10: 10% → 1 pod (9%), 25% → 3 (23%),
 * 50% → 10 (50%); for N = 3: 10% → 1 (25%).
 *
 * <p>Blue/green ({@code fullSize}): the canary runs {@code max(N, 1)} pods whatever the weight, and its pods must
 * not be behind the stable Service at all ({@link PreviewServices#verify} checks this before the rollout starts):
 * the preview gets no traffic, and the switch is the promotion of the stable Deployment that follows.
 */
public final class ReplicaRatioRouter implements TrafficRouter {

    private final ClusterReads reads;
    private final CanaryDeployments canaries;

    public ReplicaRatioRouter(KubernetesClient client) {
        this(client, ClusterReads.direct(client));
    }

    /** Reading the Deployments through {@code reads} (e.g. a {@link WatchedNamespaces} cache). */
    public ReplicaRatioRouter(KubernetesClient client, ClusterReads reads) {
        this.reads = Objects.requireNonNull(reads, "reads");
        this.canaries = new CanaryDeployments(client, reads);
    }

    /** The canary replica count for {@code weight} percent beside {@code stableReplicas} stable pods. */
    public static int canaryReplicas(int stableReplicas, int weight) {
        TrafficRouter.requirePercent(weight);
        if (stableReplicas < 0) {
            throw new IllegalArgumentException("stable replicas must not be negative: " + stableReplicas);
        }
        if (weight == 0) {
            return 0;
        }
        int best = 1;
        for (int c = 2; c <= Math.max(stableReplicas, 1); c++) {
            // |c/(N+c) - w/100| compared as exact fractions: |100c - w(N+c)| / (N+c)
            long error = Math.abs(100L * c - (long) weight * (stableReplicas + c)) * (stableReplicas + best);
            long bestError = Math.abs(100L * best - (long) weight * (stableReplicas + best)) * (stableReplicas + c);
            if (error < bestError) {
                best = c;
            }
        }
        return best;
    }

    @Override
    public TrafficState setWeight(DeploymentTarget target, int percent, boolean fullSize) {
        TrafficRouter.requirePercent(percent);
        Deployment stable = StableDeployments.require(reads, target);
        int replicas = replicas(stable, percent, fullSize);
        Deployment canary = canaries.find(target).orElse(null);
        if (canary != null || replicas > 0) {
            canary = canaries.scale(target, replicas);
        }
        return state(stable, canary, percent, replicas, fullSize);
    }

    @Override
    public TrafficState observe(DeploymentTarget target, int percent, boolean fullSize) {
        TrafficRouter.requirePercent(percent);
        Deployment stable = StableDeployments.require(reads, target);
        return state(stable, canaries.find(target).orElse(null), percent, replicas(stable, percent, fullSize), fullSize);
    }

    private static int replicas(Deployment stable, int percent, boolean fullSize) {
        int stableReplicas = StableDeployments.specReplicas(stable);
        return fullSize ? Math.max(stableReplicas, 1) : canaryReplicas(stableReplicas, percent);
    }

    private static TrafficState state(Deployment stable, Deployment canary, int percent, int replicas, boolean fullSize) {
        int canaryReady = CanaryDeployments.readyReplicas(canary);
        boolean settled = CanaryDeployments.runsExactly(canary, replicas);
        if (fullSize) {
            return new TrafficState(percent, 0, replicas, canaryReady, settled, "blue/green: canary " + canaryReady + " of "
                    + replicas + " pods ready, outside the stable Service (0% of its traffic); the stable Deployment's"
                    + " promotion switches the traffic");
        }
        int stableReady = CanaryDeployments.readyReplicas(stable);
        int total = canaryReady + stableReady;
        int share = total == 0 ? 0 : Math.round(100f * canaryReady / total);
        return new TrafficState(percent, share, replicas, canaryReady, settled,
                "canary " + canaryReady + " of " + total + " ready pods (" + share + "%) for weight " + percent + "%, "
                        + replicas + " canary replica" + (replicas == 1 ? "" : "s") + " wanted");
    }
}
