package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Puts the stable Deployment on a pinned image and checks the result. The image and a surge-first strategy
 * ({@code maxUnavailable: 0}, {@code maxSurge} kept when positive, else {@code 25%}) are set in one JSON patch
 * locked to the resourceVersion read; the Deployment controller then rolls the pods, which
 * {@link #awaitCompletion} follows through an informer. {@link #verifyImages} finally checks, pod by pod, that
 * the container runtime reports the pinned digest.
 */
public final class StablePromoter {

    static final String DEFAULT_MAX_SURGE = "25%";

    private final KubernetesClient client;
    private final ClusterReads reads;

    public StablePromoter(KubernetesClient client) {
        this(client, ClusterReads.direct(client));
    }

    /** Reading the stable Deployment through {@code reads} (e.g. a {@link WatchedNamespaces} cache). */
    public StablePromoter(KubernetesClient client, ClusterReads reads) {
        this.client = Objects.requireNonNull(client, "client");
        this.reads = Objects.requireNonNull(reads, "reads");
    }

    /**
     * Sets the image of the target container to {@code image}, surge first.
     *
     * @return the Deployment generation that carries the image, for {@link #awaitCompletion}
     */
    public long promote(DeploymentTarget target, PinnedImage image) {
        Objects.requireNonNull(image, "image");
        return KubeCalls.retryOnConflict("set the image of Deployment " + target, reads, r -> {
            Deployment stable = StableDeployments.require(r, target);
            if (Boolean.TRUE.equals(stable.getSpec().getPaused())) {
                throw new DeploymentException("Deployment " + target + " is paused (spec.paused); resume it ("
                        + "kubectl rollout resume) before promoting or rolling back");
            }
            int container = StableDeployments.containerIndex(stable, target);
            boolean imageSet = image.reference().equals(stable.getSpec().getTemplate().getSpec().getContainers().get(container).getImage());
            Map<String, Object> strategy = surgeFirst(stable.getSpec().getStrategy());
            if (imageSet && strategy == null) {
                return StableDeployments.generation(stable);
            }
            JsonPatch patch = JsonPatch.lockedTo(stable.getMetadata().getResourceVersion());
            if (strategy != null) {
                patch.add("/spec/strategy", strategy);
            }
            if (!imageSet) {
                patch.replace("/spec/template/spec/containers/" + container + "/image", image.reference());
            }
            Deployment patched = StableDeployments.resource(client, target.namespace(), target.deployment())
                    .patch(PatchContext.of(PatchType.JSON), patch.toJson());
            reads.wrote(patched);
            return StableDeployments.generation(patched);
        });
    }

    /** The progress of the stable Deployment towards {@code generation}, looked at once. */
    public PromotionStatus observe(DeploymentTarget target, long generation) {
        return status(StableDeployments.require(reads, target), generation);
    }

    /**
     * Completes when the stable Deployment has rolled out {@code generation} completely; completes exceptionally
     * with {@link StableRolloutFailedException} when the controller reports ProgressDeadlineExceeded, or
     * {@link DeploymentNotFoundException} when the Deployment disappears. Driven by an informer that closes when
     * the future completes; cancel the future (or use {@code orTimeout}) to stop waiting. Dependent stages run on
     * the client's event thread unless attached with an {@code *Async} method and an executor: they must not block.
     */
    public CompletableFuture<PromotionStatus> awaitCompletion(DeploymentTarget target, long generation) {
        CompletableFuture<List<Deployment>> watched = KubeCalls.call("watch Deployment " + target,
                () -> StableDeployments.resource(client, target.namespace(), target.deployment())
                        .informOnCondition(list -> list.isEmpty() || finished(status(list.get(0), generation))));
        CompletableFuture<PromotionStatus> result = watched.thenApply(list -> {
            if (list.isEmpty()) {
                throw new DeploymentNotFoundException(target);
            }
            PromotionStatus status = status(list.get(0), generation);
            if (!status.complete()) {
                throw new StableRolloutFailedException("Deployment " + target + " did not finish rolling out: "
                        + status.summary() + "; the old pods keep serving (maxUnavailable 0)");
            }
            return status;
        });
        // Whoever completes the result (a timeout, a cancellation) also stops the informer behind it.
        result.whenComplete((status, failure) -> watched.cancel(false));
        // The informer reports what changes once its watch runs. A server that cannot resume a watch from the
        // resourceVersion of the initial list (the fabric8 mock server) loses changes made in between: one direct
        // read after the start catches up. Harmless on a real API server.
        Deployment now;
        try {
            now = KubeCalls.call("read Deployment " + target,
                    () -> StableDeployments.resource(client, target.namespace(), target.deployment()).get());
        } catch (RuntimeException e) {
            result.cancel(false);
            throw e;
        }
        if (now == null || finished(status(now, generation))) {
            watched.complete(now == null ? List.of() : List.of(now));
        }
        return result;
    }

    /**
     * Checks that every running stable pod reports the pinned digest in the target container's {@code imageID}.
     *
     * @return the names of the pods checked
     * @throws ImageDriftException naming each pod that runs something else, or when no pod runs at all
     */
    public List<String> verifyImages(DeploymentTarget target, PinnedImage image) {
        Deployment stable = StableDeployments.require(client, target);
        String container = StableDeployments.container(stable, target).getName();
        List<Pod> pods = KubeCalls.call("list the pods of Deployment " + target, () -> client.pods()
                .inNamespace(target.namespace()).withLabelSelector(stable.getSpec().getSelector()).list().getItems());
        String digest = image.digest().toString();
        List<String> checked = new ArrayList<>();
        List<String> drifted = new ArrayList<>();
        List<String> details = new ArrayList<>();
        pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getMetadata().getLabels() == null
                        || !CanaryDeployments.ROLE_CANARY.equals(p.getMetadata().getLabels().get(CanaryDeployments.ROLE_LABEL)))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .forEach(pod -> {
                    String name = pod.getMetadata().getName();
                    String imageId = imageId(pod, container);
                    checked.add(name);
                    if (imageId == null || !imageId.contains(digest)) {
                        drifted.add(name);
                        details.add(name + " (" + (imageId == null ? "no image ID reported" : "runs " + imageId) + ")");
                    }
                });
        if (!drifted.isEmpty()) {
            throw new ImageDriftException("stable pods of " + target + " do not run " + image + " in container "
                    + container + ": " + String.join(", ", details), drifted);
        }
        if (checked.isEmpty() && StableDeployments.specReplicas(stable) > 0) {
            throw new ImageDriftException("no running pod of " + target + " to check for " + image, List.of());
        }
        return checked;
    }

    private static String imageId(Pod pod, String container) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> container.equals(s.getName()))
                .map(ContainerStatus::getImageID)
                .filter(id -> id != null && !id.isEmpty())
                .findFirst().orElse(null);
    }

    private static boolean finished(PromotionStatus status) {
        return status.complete() || status.progressDeadlineExceeded();
    }

    static PromotionStatus status(Deployment deployment, long generation) {
        var status = deployment.getStatus();
        boolean deadline = status != null && status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()));
        return new PromotionStatus(
                generation,
                status == null || status.getObservedGeneration() == null ? 0 : status.getObservedGeneration(),
                StableDeployments.specReplicas(deployment),
                status == null || status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas(),
                status == null || status.getAvailableReplicas() == null ? 0 : status.getAvailableReplicas(),
                status == null || status.getReplicas() == null ? 0 : status.getReplicas(),
                deadline && status.getObservedGeneration() != null && status.getObservedGeneration() >= generation);
    }

    /** The surge-first strategy to write, or null when the Deployment already has one. */
    static Map<String, Object> surgeFirst(DeploymentStrategy strategy) {
        RollingUpdateDeployment rolling = strategy == null ? null : strategy.getRollingUpdate();
        boolean rollingUpdate = strategy == null || strategy.getType() == null || "RollingUpdate".equals(strategy.getType());
        IntOrString surge = rolling == null ? null : rolling.getMaxSurge();
        IntOrString unavailable = rolling == null ? null : rolling.getMaxUnavailable();
        if (rollingUpdate && isPositive(surge) && !isPositive(unavailable) && unavailable != null) {
            return null;
        }
        Map<String, Object> rollingUpdateFields = new LinkedHashMap<>();
        rollingUpdateFields.put("maxSurge", rollingUpdate && isPositive(surge) ? asJson(surge) : DEFAULT_MAX_SURGE);
        rollingUpdateFields.put("maxUnavailable", 0);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("type", "RollingUpdate");
        result.put("rollingUpdate", rollingUpdateFields);
        return result;
    }

    private static boolean isPositive(IntOrString value) {
        if (value == null) {
            return false;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal() > 0;
        }
        String text = value.getStrVal();
        return text != null && text.matches("0*[1-9][0-9]*%?");
    }

    private static Object asJson(IntOrString value) {
        return value.getIntVal() != null ? value.getIntVal() : value.getStrVal();
    }
}
