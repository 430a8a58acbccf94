package io.jenkins.plugins.immutabledeployment.canary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.kube.ClusterReads;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentAnnotation;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The traffic of a Deployment's last rollout, recorded on the stable Deployment in the annotation
 * {@value #ANNOTATION} ({@code {"kind":"gateway","httpRoute":…,"stableService":…,"canaryService":…}} or
 * {@code {"kind":"replicas"}}). Every rollout writes it before it moves any traffic, and it stays after the rollout
 * ends, so a rollback — usually run by another process that was not told how the rollout routed — can return the
 * same traffic to stable: for the Gateway API, the HTTPRoute's weights.
 */
public final class RecordedTraffic {

    public static final String ANNOTATION = "immutable-deployment.jenkins.io/traffic";

    private final DeploymentAnnotation annotation;

    public RecordedTraffic(KubernetesClient client) {
        this(client, ClusterReads.direct(client));
    }

    /** Reading the Deployment through {@code reads} (e.g. a {@link io.jenkins.plugins.immutabledeployment.kube.WatchedNamespaces} cache). */
    public RecordedTraffic(KubernetesClient client, ClusterReads reads) {
        this.annotation = new DeploymentAnnotation(client, reads, ANNOTATION);
    }

    /** Records {@code traffic} as the traffic of {@code target}'s rollouts (no write when it is already recorded). */
    public void write(DeploymentTarget target, Traffic traffic) {
        String json = toJson(traffic);
        annotation.update(target, current -> Optional.of(json));
    }

    /**
     * The traffic the last rollout of {@code target} recorded; empty when none did (the Deployment was never rolled
     * out by a version that records it).
     *
     * @throws DeploymentException when the annotation was edited into something unreadable, naming how to fix it
     */
    public Optional<Traffic> read(DeploymentTarget target) {
        return annotation.read(target).map(json -> fromJson(target, json));
    }

    static String toJson(Traffic traffic) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("kind", traffic.kind().name().toLowerCase(Locale.ROOT));
        if (traffic.kind() == Traffic.Kind.GATEWAY) {
            fields.put("httpRoute", traffic.httpRoute());
            fields.put("stableService", traffic.stableService());
            fields.put("canaryService", traffic.canaryService());
        }
        try {
            return Json.mapper().writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the traffic settings", e);
        }
    }

    static Traffic fromJson(DeploymentTarget target, String json) {
        try {
            JsonNode node = Json.mapper().readTree(json);
            if (node == null || !node.isObject() || !node.path("kind").isTextual()) {
                throw new InvalidInputException("kind", "is missing", Traffic.ACCEPTED_FORM);
            }
            return Traffic.parse(node.path("kind").asText(), text(node, "httpRoute"), text(node, "stableService"),
                    text(node, "canaryService"));
        } catch (JsonProcessingException | InvalidInputException e) {
            throw new DeploymentException("the annotation " + ANNOTATION + " of Deployment " + target
                    + " does not say how its rollouts route traffic (" + (e instanceof InvalidInputException ? e.getMessage()
                    : "not JSON") + "); set it to {\"kind\":\"replicas\"} or {\"kind\":\"gateway\",\"httpRoute\":\"…\","
                    + "\"stableService\":\"…\",\"canaryService\":\"…\"}, or remove it to use replica-ratio traffic", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }
}
