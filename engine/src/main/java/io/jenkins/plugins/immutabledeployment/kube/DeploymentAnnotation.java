package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One annotation of the stable Deployment that this product keeps its state in. Writes are JSON patches of the
 * annotation alone, locked to the resourceVersion read just before and repeated from the read on 409 Conflict;
 * metadata changes do not bump the Deployment's generation, so they never start a Kubernetes rollout of it.
 */
public final class DeploymentAnnotation {

    private final KubernetesClient client;
    private final ClusterReads reads;
    private final String name;
    private final String path;

    /** {@code name}: the annotation key, e.g. {@code immutable-deployment.jenkins.io/rollout}. */
    public DeploymentAnnotation(KubernetesClient client, String name) {
        this(client, ClusterReads.direct(client), name);
    }

    /** Reading the Deployment through {@code reads} (e.g. a {@link WatchedNamespaces} cache). */
    public DeploymentAnnotation(KubernetesClient client, ClusterReads reads, String name) {
        this.client = Objects.requireNonNull(client, "client");
        this.reads = Objects.requireNonNull(reads, "reads");
        this.name = Objects.requireNonNull(name, "name");
        this.path = "/metadata/annotations/" + JsonPatch.escape(name);
    }

    /** The annotation's value, if the Deployment has it. */
    public Optional<String> read(DeploymentTarget target) {
        return valueOn(StableDeployments.require(reads, target));
    }

    /**
     * Replaces the value by {@code change(current)} (empty removes the annotation). {@code change} may be called
     * more than once: again with the newer value whenever another writer got in between.
     *
     * @return the value now stored
     */
    public Optional<String> update(DeploymentTarget target, UnaryOperator<Optional<String>> change) {
        return KubeCalls.retryOnConflict("write the annotation " + name + " of " + target, reads, r -> {
            Deployment deployment = StableDeployments.require(r, target);
            Optional<String> current = valueOn(deployment);
            Optional<String> next = change.apply(current);
            if (next.equals(current)) {
                return current;
            }
            JsonPatch patch = JsonPatch.lockedTo(deployment.getMetadata().getResourceVersion());
            if (next.isEmpty()) {
                patch.remove(path);
            } else if (deployment.getMetadata().getAnnotations() == null || deployment.getMetadata().getAnnotations().isEmpty()) {
                // "add" below a missing parent fails; an absent or empty map is replaced whole.
                patch.add("/metadata/annotations", Map.of(name, next.get()));
            } else {
                patch.add(path, next.get());
            }
            reads.wrote(StableDeployments.resource(client, target.namespace(), target.deployment())
                    .patch(PatchContext.of(PatchType.JSON), patch.toJson()));
            return next;
        });
    }

    private Optional<String> valueOn(Deployment deployment) {
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        return Optional.ofNullable(annotations == null ? null : annotations.get(name));
    }
}
