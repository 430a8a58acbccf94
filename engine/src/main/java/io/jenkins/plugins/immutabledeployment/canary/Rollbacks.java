package io.jenkins.plugins.immutabledeployment.canary;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.kube.CanaryDeployments;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.GatewayApiRouter;
import io.jenkins.plugins.immutabledeployment.kube.ImagePresence;
import io.jenkins.plugins.immutabledeployment.kube.ReplicaRatioRouter;
import io.jenkins.plugins.immutabledeployment.kube.Rollback;
import io.jenkins.plugins.immutabledeployment.kube.RollbackRequest;
import io.jenkins.plugins.immutabledeployment.kube.RollbackResult;
import io.jenkins.plugins.immutabledeployment.kube.RolloutAbort;
import io.jenkins.plugins.immutabledeployment.kube.RolloutStatusStore;
import io.jenkins.plugins.immutabledeployment.kube.TrafficRouter;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Rollbacks, the fast path (no canary steps, no analysis): the target ({@code previous}, N back, or an explicit
 * image) is resolved against the ledger, the registry is asked that the image still exists before anything
 * changes, a rollout in progress is stopped (its lock taken over, traffic to stable, its canary and status
 * removed), then the stable Deployment is set surge first, waited on through an informer, and the outcome recorded.
 *
 * <p>Traffic is returned to stable the way the Deployment's last rollout moved it, as that rollout recorded it in
 * the cluster ({@link RecordedTraffic}); nobody has to repeat the traffic settings. With the Gateway API the
 * HTTPRoute sends all traffic to the stable Service afterwards, whether or not a rollout was in progress.
 */
public final class Rollbacks {

    private final KubernetesClient client;
    private final ImagePresence registry;
    private final Clock clock;
    private final Executor executor;

    public Rollbacks(KubernetesClient client, ImagePresence registry, Clock clock, Executor executor) {
        this.client = Objects.requireNonNull(client, "client");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Refusals (unknown revision, image gone from the registry, bad input, an unreadable traffic record) are thrown
     * here, before anything changed; the future completes once stable runs the image on every pod and the ledger
     * has the entry.
     */
    public CompletableFuture<RollbackResult> start(RollbackRequest request, Progress progress) {
        Optional<Traffic> recorded = new RecordedTraffic(client).read(request.target());
        Traffic traffic = recorded.orElse(Traffic.replicas());
        progress.report("Traffic of " + request.target() + ": " + traffic.describe()
                + (recorded.isPresent() ? ", as its last rollout recorded" : " (no rollout recorded another)"));
        RolloutAbort abort = abort(traffic, progress);
        return new Rollback(client, registry, abort, clock, executor, progress).start(request);
    }

    /**
     * Stops a rollout: the status goes first (a rollout process looking meanwhile stops before it acts, rather than
     * recreating the canary it sees missing), then traffic to stable, then the canary deleted. {@link Rollback}
     * calls it again once stable has rolled out, for a canary that a stopping rollout brought back meanwhile.
     */
    private RolloutAbort abort(Traffic traffic, Progress progress) {
        CanaryDeployments canaries = new CanaryDeployments(client);
        RolloutStatusStore statuses = new RolloutStatusStore(client);
        return (target, reason) -> {
            statuses.clear(target);
            boolean canary = canaries.find(target).isPresent();
            toStable(target, traffic, canary, progress);
            if (canary) {
                canaries.delete(target);
                progress.report("Removed the canary of " + target + " (" + reason + ")");
            }
        };
    }

    private void toStable(DeploymentTarget target, Traffic traffic, boolean canary, Progress progress) {
        if (traffic.kind() == Traffic.Kind.GATEWAY) {
            GatewayApiRouter gateway = new GatewayApiRouter(client, traffic.httpRoute(), traffic.stableService(),
                    traffic.canaryService());
            if (!gateway.routeExists(target)) {
                progress.report("HTTPRoute " + target.namespace() + "/" + traffic.httpRoute()
                        + " of the last rollout no longer exists; no route weights to return to stable");
                return;
            }
            int before = gateway.observe(target, 0).canaryPercent();
            gateway.setWeight(target, 0);
            if (before > 0) {
                progress.report("HTTPRoute " + target.namespace() + "/" + traffic.httpRoute() + ": canary weight " + before
                        + "% back to 0%, all traffic to Service " + traffic.stableService());
            }
        } else if (canary) {
            TrafficRouter replicas = new ReplicaRatioRouter(client);
            replicas.setWeight(target, 0);
        }
    }
}
