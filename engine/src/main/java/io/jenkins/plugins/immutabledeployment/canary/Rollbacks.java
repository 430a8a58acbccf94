package io.jenkins.plugins.immutabledeployment.canary;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.kube.CanaryDeployments;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Rollbacks, the fast path (no canary steps, no analysis): the target ({@code previous}, N back, or an explicit
 * image) is resolved against the ledger, the registry is asked that the image still exists before anything
 * changes, a rollout in progress is stopped (its lock taken over, traffic to stable, its canary and status
 * removed), then the stable Deployment is set surge first, waited on through an informer, and the outcome recorded.
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
     * Refusals (unknown revision, image gone from the registry, bad input) are thrown here, before anything
     * changed; the future completes once stable runs the image on every pod and the ledger has the entry.
     * {@code traffic} says how a rollout in progress routes traffic, so that it can be returned to stable.
     */
    public CompletableFuture<RollbackResult> start(RollbackRequest request, Traffic traffic, Progress progress) {
        TrafficRouter router = traffic.kind() == Traffic.Kind.GATEWAY
                ? new GatewayApiRouter(client, traffic.httpRoute(), traffic.stableService(), traffic.canaryService())
                : new ReplicaRatioRouter(client);
        CanaryDeployments canaries = new CanaryDeployments(client);
        RolloutStatusStore statuses = new RolloutStatusStore(client);
        // The status goes first: a rollout process looking meanwhile stops before it acts, rather than recreating
        // the canary it sees missing.
        RolloutAbort abort = (target, reason) -> {
            statuses.clear(target);
            if (canaries.find(target).isPresent()) {
                router.setWeight(target, 0);
                canaries.delete(target);
            }
        };
        return new Rollback(client, registry, abort, clock, executor, progress).start(request)
                .thenApplyAsync(result -> removeLeftoverCanary(canaries, request, progress, result), executor);
    }

    /** A rollout process that was in the middle of a look when the rollback began may have recreated its canary. */
    private static RollbackResult removeLeftoverCanary(CanaryDeployments canaries, RollbackRequest request, Progress progress,
            RollbackResult result) {
        if (canaries.delete(request.target())) {
            progress.report("Removed a canary of " + request.target() + " that a stopping rollout had left behind");
        }
        return result;
    }
}
