package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.rollout.CanaryReadiness;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Traffic by Gateway API weights: the user's {@code HTTPRoute} has, in one or more rules, a backendRef to the
 * stable Service and one to the canary Service; this router sets their weights to {@code 100 - w} and {@code w}.
 * The canary Deployment gets {@code ceil(N * w / 100)} replicas (at least one for a positive weight, none at 0),
 * {@code N} being the stable replica count, and the route's weights move only once those pods are ready; when the
 * weight goes down the route moves first and the canary is scaled down after. Blue/green ({@code fullSize}): the
 * canary runs {@code max(N, 1)} pods whatever the weight, so at weight 0 it is a preview behind the canary Service
 * alone, and 100 switches the route at once.
 *
 * <p>The Services must tell the two sets of pods apart: the stable pod template carries
 * {@code immutable-deployment.jenkins.io/role: stable}, which the canary's copy replaces by {@code canary}; the
 * stable Service selects {@code role: stable} and the canary Service {@code role: canary} (see docs/kubernetes.md).
 * {@link #verify} checks this before a rollout changes anything.
 */
public final class GatewayApiRouter implements TrafficRouter {

    public static final String STABLE_ROLE = "stable";

    private final KubernetesClient client;
    private final ClusterReads reads;
    private final CanaryDeployments canaries;
    private final String route;
    private final String stableService;
    private final String canaryService;

    public GatewayApiRouter(KubernetesClient client, String httpRoute, String stableService, String canaryService) {
        this(client, ClusterReads.direct(client), httpRoute, stableService, canaryService);
    }

    /** Reading the Deployments through {@code reads} (e.g. a {@link WatchedNamespaces} cache); the route from the API server. */
    public GatewayApiRouter(KubernetesClient client, ClusterReads reads, String httpRoute, String stableService, String canaryService) {
        this.client = Objects.requireNonNull(client, "client");
        this.reads = Objects.requireNonNull(reads, "reads");
        this.canaries = new CanaryDeployments(client, reads);
        this.route = Names.requireObjectName("httpRoute", httpRoute);
        this.stableService = Names.requireLabel("stableService", stableService);
        this.canaryService = Names.requireLabel("canaryService", canaryService);
        if (stableService.equals(canaryService)) {
            throw new InvalidInputException("canaryService", "names the same Service as stableService",
                    "a Service that selects only the canary pods");
        }
    }

    /** Canary replicas for {@code weight} percent of {@code stableReplicas}: enough pods to carry that share. */
    public static int canaryReplicas(int stableReplicas, int weight) {
        TrafficRouter.requirePercent(weight);
        return weight == 0 ? 0 : Math.max(1, (stableReplicas * weight + 99) / 100);
    }

    /**
     * Checks that the route and both Services exist and that the Services select only their own pods, before a
     * rollout changes anything.
     *
     * @throws DeploymentException naming what is missing or mis-selected, and how to set it up
     */
    public void verify(DeploymentTarget target) {
        Deployment stable = StableDeployments.require(reads, target);
        matchingRules(readRoute(target));
        Map<String, String> stablePod = podLabels(stable);
        Map<String, String> canaryPod = new HashMap<>(stablePod);
        canaryPod.put(CanaryDeployments.ROLE_LABEL, CanaryDeployments.ROLE_CANARY);
        requireSelects(target, stableService, stablePod, canaryPod, "stable");
        requireSelects(target, canaryService, canaryPod, stablePod, "canary");
    }

    /** Whether the HTTPRoute exists (a rollback skips the route of a Gateway API set-up that was taken down). */
    public boolean routeExists(DeploymentTarget target) {
        return KubeCalls.call("read HTTPRoute " + target.namespace() + "/" + route, () -> routeResource(target).get()) != null;
    }

    @Override
    public TrafficState setWeight(DeploymentTarget target, int percent, boolean fullSize) {
        TrafficRouter.requirePercent(percent);
        Deployment stable = StableDeployments.require(reads, target);
        int replicas = replicas(stable, percent, fullSize);
        HTTPRoute current = readRoute(target);
        Deployment canary = canaries.find(target).orElse(null);
        if (percent < canaryWeight(current)) {
            current = writeWeights(target, percent);
            if (canary != null) {
                canary = canaries.scale(target, replicas);
            }
        } else {
            if (canary != null || replicas > 0) {
                canary = canaries.scale(target, replicas);
            }
            if (CanaryDeployments.runsExactly(canary, replicas)) {
                current = writeWeights(target, percent);
            }
        }
        return state(current, canary, percent, replicas);
    }

    @Override
    public TrafficState observe(DeploymentTarget target, int percent, boolean fullSize) {
        TrafficRouter.requirePercent(percent);
        Deployment stable = StableDeployments.require(reads, target);
        return state(readRoute(target), canaries.find(target).orElse(null), percent, replicas(stable, percent, fullSize));
    }

    private static int replicas(Deployment stable, int percent, boolean fullSize) {
        int stableReplicas = StableDeployments.specReplicas(stable);
        return fullSize ? Math.max(stableReplicas, 1) : canaryReplicas(stableReplicas, percent);
    }

    private TrafficState state(HTTPRoute current, Deployment canary, int percent, int replicas) {
        int share = canaryWeight(current);
        boolean weightsSet = matchingRules(current).stream().allMatch(r -> r.weightsAre(100 - percent, percent));
        int ready = CanaryDeployments.readyReplicas(canary);
        return new TrafficState(percent, share, replicas, ready, weightsSet && CanaryDeployments.runsExactly(canary, replicas),
                "HTTPRoute " + route + ": canary weight " + share + "% (" + percent + "% requested), "
                        + new CanaryReadiness(ready, replicas));
    }

    /** Sets the weights in every matching rule, locked to the route's resourceVersion. */
    private HTTPRoute writeWeights(DeploymentTarget target, int percent) {
        return KubeCalls.retryOnConflict("set the weights of HTTPRoute " + target.namespace() + "/" + route, () -> {
            HTTPRoute current = readRoute(target);
            List<MatchingRule> rules = matchingRules(current);
            if (rules.stream().allMatch(r -> r.weightsAre(100 - percent, percent))) {
                return current;
            }
            JsonPatch patch = JsonPatch.lockedTo(current.getMetadata().getResourceVersion());
            for (MatchingRule rule : rules) {
                String refs = "/spec/rules/" + rule.rule() + "/backendRefs/";
                patch.add(refs + rule.stableRef() + "/weight", 100 - percent).add(refs + rule.canaryRef() + "/weight", percent);
            }
            return routeResource(target).patch(PatchContext.of(PatchType.JSON), patch.toJson());
        });
    }

    private HTTPRoute readRoute(DeploymentTarget target) {
        HTTPRoute current = KubeCalls.call("read HTTPRoute " + target.namespace() + "/" + route, () -> routeResource(target).get());
        if (current == null) {
            throw new DeploymentException("HTTPRoute " + target.namespace() + "/" + route + " not found; the Gateway API"
                    + " traffic mode needs an HTTPRoute with backendRefs to " + stableService + " and " + canaryService);
        }
        return current;
    }

    private Resource<HTTPRoute> routeResource(DeploymentTarget target) {
        return client.resources(HTTPRoute.class).inNamespace(target.namespace()).withName(route);
    }

    private record MatchingRule(int rule, int stableRef, int canaryRef, Integer stableWeight, Integer canaryWeight) {
        boolean weightsAre(int stable, int canary) {
            return weight(stableWeight) == stable && weight(canaryWeight) == canary;
        }
    }

    /** The rules that route to both Services; the route must have at least one. */
    private List<MatchingRule> matchingRules(HTTPRoute current) {
        List<MatchingRule> matching = new ArrayList<>();
        List<HTTPRouteRule> rules = current.getSpec() == null ? List.of() : current.getSpec().getRules();
        for (int i = 0; i < rules.size(); i++) {
            List<HTTPBackendRef> refs = rules.get(i).getBackendRefs();
            int stable = indexOf(refs, stableService, current);
            int canary = indexOf(refs, canaryService, current);
            if (stable >= 0 && canary >= 0) {
                matching.add(new MatchingRule(i, stable, canary, refs.get(stable).getWeight(), refs.get(canary).getWeight()));
            }
        }
        if (matching.isEmpty()) {
            throw new DeploymentException("HTTPRoute " + current.getMetadata().getNamespace() + "/" + route
                    + " has no rule with backendRefs to both Service " + stableService + " and Service " + canaryService
                    + "; add the canary Service as a second backendRef (weight 0) beside the stable one");
        }
        return matching;
    }

    private int canaryWeight(HTTPRoute current) {
        MatchingRule first = matchingRules(current).get(0);
        int total = weight(first.stableWeight()) + weight(first.canaryWeight());
        return total == 0 ? 0 : Math.round(100f * weight(first.canaryWeight()) / total);
    }

    /** An absent weight means 1, as the Gateway API defines it. */
    private static int weight(Integer weight) {
        return weight == null ? 1 : weight;
    }

    private static int indexOf(List<HTTPBackendRef> refs, String service, HTTPRoute route) {
        for (int i = 0; refs != null && i < refs.size(); i++) {
            HTTPBackendRef ref = refs.get(i);
            boolean core = ref.getGroup() == null || ref.getGroup().isEmpty();
            boolean isService = ref.getKind() == null || "Service".equals(ref.getKind());
            boolean sameNamespace = ref.getNamespace() == null || ref.getNamespace().equals(route.getMetadata().getNamespace());
            if (core && isService && sameNamespace && service.equals(ref.getName())) {
                return i;
            }
        }
        return -1;
    }

    private void requireSelects(DeploymentTarget target, String name, Map<String, String> own, Map<String, String> other,
            String role) {
        Service service = KubeCalls.call("read Service " + target.namespace() + "/" + name,
                () -> client.services().inNamespace(target.namespace()).withName(name).get());
        if (service == null) {
            throw new DeploymentException("Service " + target.namespace() + "/" + name + " (the " + role
                    + " Service of HTTPRoute " + route + ") not found");
        }
        Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
        boolean selectsOwn = selector != null && !selector.isEmpty() && own.entrySet().containsAll(selector.entrySet());
        boolean selectsOther = selector != null && other.entrySet().containsAll(selector.entrySet());
        if (!selectsOwn || selectsOther) {
            throw new DeploymentException("Service " + target.namespace() + "/" + name + " must select only the " + role
                    + " pods of " + target + ", but its selector " + selector + (selectsOwn ? " also selects the "
                    + ("stable".equals(role) ? "canary" : "stable") + " pods" : " does not select them")
                    + "; label the stable pod template " + CanaryDeployments.ROLE_LABEL + ": " + STABLE_ROLE
                    + " and select " + CanaryDeployments.ROLE_LABEL + " in both Services (see docs/kubernetes.md)");
        }
    }

    private static Map<String, String> podLabels(Deployment deployment) {
        var metadata = deployment.getSpec().getTemplate().getMetadata();
        return metadata == null || metadata.getLabels() == null ? Map.of() : metadata.getLabels();
    }
}
