package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Stops whatever rollout of a Deployment is in progress: traffic back to stable first, then the canary removed.
 * Must be idempotent (it is also called when no rollout runs). {@link Rollback} calls it while holding the
 * Deployment's lock, which it has taken over from the rollout, so that rollout's process stops at its next renewal.
 */
@FunctionalInterface
public interface RolloutAbort {

    void abort(DeploymentTarget target, String reason);

    /**
     * The cluster-only abort: weight 0 through {@code router}, canary Deployment deleted, rollout status
     * annotation removed. A caller that understands the rollout status may record the abort in it instead.
     */
    static RolloutAbort removeCanary(KubernetesClient client, TrafficRouter router) {
        CanaryDeployments canaries = new CanaryDeployments(client);
        RolloutStatusStore status = new RolloutStatusStore(client);
        return (target, reason) -> {
            if (canaries.find(target).isPresent()) {
                router.setWeight(target, 0);
                canaries.delete(target);
            }
            status.clear(target);
        };
    }
}
