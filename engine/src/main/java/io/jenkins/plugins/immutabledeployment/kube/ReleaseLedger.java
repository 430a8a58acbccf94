package io.jenkins.plugins.immutabledeployment.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;

/**
 * A Deployment's release history, kept in the cluster: a ConfigMap {@code <deployment>-releases} whose data key
 * {@value #DATA_KEY} holds a JSON array of the last {@code capacity} {@link Release}s, newest first. Appends are
 * read-modify-write cycles locked to the ConfigMap's resourceVersion and repeated on 409 Conflict, so two
 * processes recording at once both land.
 */
public final class ReleaseLedger {

    public static final int DEFAULT_CAPACITY = 20;
    public static final String DATA_KEY = "releases.json";

    private static final TypeReference<List<Release>> RELEASES = new TypeReference<>() {};

    private final KubernetesClient client;
    private final int capacity;

    public ReleaseLedger(KubernetesClient client) {
        this(client, DEFAULT_CAPACITY);
    }

    public ReleaseLedger(KubernetesClient client, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.capacity = capacity;
    }

    public static String configMapName(DeploymentTarget target) {
        return target.deployment() + "-releases";
    }

    /** The recorded releases, newest first; empty when nothing was recorded yet. */
    public List<Release> history(DeploymentTarget target) {
        ConfigMap map = KubeCalls.call("read the release ledger " + describe(target), () -> configMap(target).get());
        return map == null ? List.of() : releases(map, target);
    }

    /**
     * Records {@code release} as the newest entry, dropping the oldest beyond the capacity. Appending a release
     * equal to one already recorded changes nothing, so a process that repeats an append after a crash (it cannot
     * know whether the first one landed) does not record it twice.
     *
     * @return the history after the append, newest first
     */
    public List<Release> append(DeploymentTarget target, Release release) {
        Objects.requireNonNull(release, "release");
        return KubeCalls.retryOnConflict("record a release in the ledger " + describe(target), () -> {
            ConfigMap map = configMap(target).get();
            List<Release> releases = new ArrayList<>();
            releases.add(release);
            if (map == null) {
                configMap(target).create(newConfigMap(target, releases));
                return List.copyOf(releases);
            }
            List<Release> recorded = releases(map, target);
            if (recorded.contains(release)) {
                return recorded;
            }
            releases.addAll(recorded);
            List<Release> kept = List.copyOf(releases.subList(0, Math.min(capacity, releases.size())));
            if (map.getData() == null) {
                map.setData(new HashMap<>());
            }
            map.getData().put(DATA_KEY, json(kept));
            client.configMaps().inNamespace(target.namespace()).resource(map).update();
            return kept;
        });
    }

    /** Resolves a rollback target against the recorded history; see {@link RollbackTarget} for the rules. */
    public ResolvedRelease resolve(DeploymentTarget target, RollbackTarget revision, Digest liveDigest) {
        return revision.resolveIn(history(target), liveDigest);
    }

    private Resource<ConfigMap> configMap(DeploymentTarget target) {
        return client.configMaps().inNamespace(target.namespace()).withName(configMapName(target));
    }

    private static ConfigMap newConfigMap(DeploymentTarget target, List<Release> releases) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(configMapName(target))
                .withNamespace(target.namespace())
                .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .addToAnnotations(Labels.DEPLOYMENT, target.deployment())
                .endMetadata()
                .addToData(DATA_KEY, json(releases))
                .build();
    }

    private static List<Release> releases(ConfigMap map, DeploymentTarget target) {
        String json = map.getData() == null ? null : map.getData().get(DATA_KEY);
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(json, RELEASES);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new DeploymentException("the release ledger " + describe(target) + " holds unreadable data under "
                    + DATA_KEY + " (" + e.getMessage() + "); repair or delete that ConfigMap", e);
        }
    }

    private static String json(List<Release> releases) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(releases);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise releases", e);
        }
    }

    private static String describe(DeploymentTarget target) {
        return "ConfigMap " + target.namespace() + "/" + configMapName(target);
    }
}
