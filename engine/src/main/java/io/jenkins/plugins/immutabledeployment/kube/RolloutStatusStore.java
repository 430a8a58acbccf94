package io.jenkins.plugins.immutabledeployment.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The rollout status of a Deployment, kept in the cluster as a JSON annotation on the stable Deployment
 * ({@value #ANNOTATION}) so that another process can resume the rollout. The JSON is opaque here: the rollout
 * planner defines it. Written as {@link DeploymentAnnotation} writes (JSON patches locked to the resourceVersion).
 */
public final class RolloutStatusStore {

    public static final String ANNOTATION = Labels.PREFIX + "rollout";
    /** The API server allows 256 KiB for all annotations of an object together; stay well below. */
    static final int MAX_BYTES = 128 * 1024;

    private final DeploymentAnnotation annotation;

    public RolloutStatusStore(KubernetesClient client) {
        this(client, ClusterReads.direct(client));
    }

    /** Reading the Deployment through {@code reads} (e.g. a {@link WatchedNamespaces} cache). */
    public RolloutStatusStore(KubernetesClient client, ClusterReads reads) {
        this.annotation = new DeploymentAnnotation(client, reads, ANNOTATION);
    }

    /** The stored status JSON, if any. */
    public Optional<String> read(DeploymentTarget target) {
        return annotation.read(target);
    }

    /** Stores {@code statusJson}, replacing whatever was stored. */
    public void write(DeploymentTarget target, String statusJson) {
        requireJson(statusJson);
        update(target, current -> Optional.of(statusJson));
    }

    /** Removes the stored status (a rollout that finished or was abandoned). */
    public void clear(DeploymentTarget target) {
        update(target, current -> Optional.empty());
    }

    /**
     * Replaces the stored status by {@code change(current)} (empty removes it). {@code change} may be called more
     * than once: again with the newer value whenever another writer got in between.
     *
     * @return the status now stored
     */
    public Optional<String> update(DeploymentTarget target, UnaryOperator<Optional<String>> change) {
        return annotation.update(target, current -> {
            Optional<String> next = change.apply(current);
            next.ifPresent(RolloutStatusStore::requireJson);
            return next;
        });
    }

    private static void requireJson(String json) {
        if (json == null) {
            throw new IllegalArgumentException("status JSON is null");
        }
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new DeploymentException("the rollout status is " + json.length() + " characters, more than the "
                    + MAX_BYTES + " bytes an annotation may safely hold; keep fewer analysis measurements in it");
        }
        try {
            Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the rollout status to store is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
