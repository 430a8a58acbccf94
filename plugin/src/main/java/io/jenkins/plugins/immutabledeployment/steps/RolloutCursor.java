package io.jenkins.plugins.immutabledeployment.steps;

import io.jenkins.plugins.immutabledeployment.canary.Traffic;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.runtime.RolloutRuntime;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@code canaryRollout} keeps in the Pipeline's program state: enough to find its rollout in the cluster
 * again and to check it is the same plan (by hash). The plan's arguments are plain lists, maps and strings, parsed
 * again by the engine on resume. Everything else (where the rollout stands) lives in the Deployment's annotation.
 */
final class RolloutCursor implements Serializable {

    private static final long serialVersionUID = 1L;

    final String rolloutId;
    final String holder;
    final String cluster;
    final String namespace;
    final String deployment;
    final String container;
    final String image;
    final String planHash;
    final String traffic;
    final String httpRoute;
    final String stableService;
    final String canaryService;
    private final LinkedHashMap<String, Object> planArguments;

    RolloutCursor(String rolloutId, String holder, String cluster, DeploymentTarget target, RolloutPlan plan,
            Map<String, Object> planArguments, CanaryRolloutStep step) {
        this.rolloutId = rolloutId;
        this.holder = holder;
        this.cluster = cluster;
        this.namespace = target.namespace();
        this.deployment = target.deployment();
        this.container = target.container();
        this.image = plan.image();
        this.planHash = plan.hash();
        this.traffic = step.getTraffic();
        this.httpRoute = step.getHttpRoute();
        this.stableService = step.getStableService();
        this.canaryService = step.getCanaryService();
        this.planArguments = new LinkedHashMap<>(planArguments);
    }

    DeploymentTarget target() {
        return new DeploymentTarget(namespace, deployment, container);
    }

    Traffic trafficSettings() {
        return Traffic.parse(traffic, httpRoute, stableService, canaryService);
    }

    /** The plan again, refused if it no longer hashes the same (the engine's parsing changed under a running build). */
    RolloutPlan plan() {
        RolloutPlan plan = PlanParser.fromArguments(image, planArguments);
        if (!plan.hash().equals(planHash)) {
            throw new IllegalStateException("the rollout plan of " + rolloutId + " no longer parses to the plan it started with");
        }
        return plan;
    }

    String clusterKey() {
        return RolloutRuntime.clusterKey(cluster);
    }
}
