package io.jenkins.plugins.immutabledeployment.kube;

/**
 * How far the cluster is from sending a requested share of traffic to the canary.
 *
 * @param requestedPercent    the weight asked for (0–100)
 * @param canaryPercent       the share the canary gets now: of the ready pods behind the shared Service
 *                            (replica ratio), or of the HTTPRoute backend weights (Gateway API)
 * @param canaryReplicas      the canary pods the weight calls for
 * @param canaryReadyReplicas the canary pods ready now
 * @param settled             whether the requested weight is fully in effect (for the Gateway API: the canary pods
 *                            are ready and the route carries the weights)
 * @param description         one line for people, e.g. "canary 1 of 11 ready pods (9%) for weight 10%"
 */
public record TrafficState(
        int requestedPercent,
        int canaryPercent,
        int canaryReplicas,
        int canaryReadyReplicas,
        boolean settled,
        String description) {}
