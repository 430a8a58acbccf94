package io.jenkins.plugins.immutabledeployment.testing.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plays the Deployment controller and the kubelet against the fabric8 mock server (CRUD mode), which has neither.
 * Driven by a Deployment informer: on every change of a Deployment it makes the Deployment's pods match its spec
 * and writes the Deployment's status through the status subresource.
 *
 * <p>Per Deployment it keeps pods of the current template (labels from the template plus {@code pod-template-hash},
 * an owner reference to the Deployment) at {@code spec.replicas}; pods of older templates are deleted once all new
 * pods are ready (surge first, as with {@code maxUnavailable: 0}), and kept while the new ones fail. A new pod's
 * status is final at creation: what {@link PodBehaviour} the test chose for its image (ready by default), with
 * {@code imageID} {@code docker-pullable://REPO@sha256:…} (the pinned digest, a digest made up from a tag, or an
 * override for drift). Reconciles run one at a time on a single thread of the controller's own; the informer's
 * handler only queues them.
 */
public final class FakeClusterController implements AutoCloseable {

    public static final String POD_TEMPLATE_HASH = "pod-template-hash";

    private final KubernetesClient client;
    private final ExecutorService reconciler = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "fake-cluster-controller");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, PodBehaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, String> imageIds = new ConcurrentHashMap<>();
    private final Set<String> deadlineExceeded = ConcurrentHashMap.newKeySet();
    private final Set<String> statusHeld = ConcurrentHashMap.newKeySet();
    private final AtomicInteger podCounter = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private SharedIndexInformer<Deployment> informer;

    public FakeClusterController(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Starts reacting to Deployments in every namespace. */
    public FakeClusterController start() {
        informer = client.apps().deployments().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment deployment) {
                queue(deployment);
            }

            @Override
            public void onUpdate(Deployment before, Deployment after) {
                queue(after);
            }

            @Override
            public void onDelete(Deployment deployment, boolean finalStateUnknown) {
                reconciler.execute(() -> guarded(() -> deletePodsOf(deployment)));
            }
        });
        return this;
    }

    /** Containers running {@code image} behave as told (from the next pod created on). */
    public FakeClusterController behave(String image, PodBehaviour behaviour) {
        behaviours.put(image, behaviour);
        return this;
    }

    /** Containers running {@code image} report {@code imageId} instead of the image's own digest (drift). */
    public FakeClusterController reportImageId(String image, String imageId) {
        imageIds.put(image, imageId);
        return this;
    }

    /**
     * Makes the controller report ProgressDeadlineExceeded for the Deployment as long as its rollout is
     * incomplete, as the real controller does once {@code progressDeadlineSeconds} passed.
     */
    public void expireProgressDeadline(String namespace, String name) {
        deadlineExceeded.add(namespace + "/" + name);
        reconciler.execute(() -> guarded(() -> reconcile(namespace, name)));
    }

    /**
     * Leaves the status of Deployment {@code namespace/name} (which need not exist yet) as it is while its pods still
     * change, until {@link #releaseStatus}: a controller slow to report what the kubelet already shows.
     */
    public void holdStatus(String namespace, String name) {
        statusHeld.add(namespace + "/" + name);
    }

    /** Writes the status {@link #holdStatus} held back. */
    public void releaseStatus(String namespace, String name) {
        statusHeld.remove(namespace + "/" + name);
        reconciler.execute(() -> guarded(() -> reconcile(namespace, name)));
    }

    /** The first exception a reconcile threw, if any (tests assert there was none). */
    public Throwable failure() {
        return failure.get();
    }

    /** The imageID the fake kubelet reports for a container running {@code image}. */
    public String imageIdOf(String image) {
        String override = imageIds.get(image);
        if (override != null) {
            return override;
        }
        int at = image.indexOf('@');
        String repository = at >= 0 ? image.substring(0, at) : image.replaceFirst(":[^:/]+$", "");
        String digest = at >= 0 ? image.substring(at + 1) : "sha256:" + sha256(image);
        return "docker-pullable://" + repository + "@" + digest;
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        reconciler.shutdownNow();
        try {
            reconciler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void queue(Deployment deployment) {
        String namespace = deployment.getMetadata().getNamespace();
        String name = deployment.getMetadata().getName();
        reconciler.execute(() -> guarded(() -> reconcile(namespace, name)));
    }

    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                failure.compareAndSet(null, e);
            }
            // 409/404: the object changed or went away meanwhile; the event that follows reconciles again.
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private void reconcile(String namespace, String name) {
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (deployment == null) {
            return;
        }
        String hash = templateHash(deployment);
        int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        List<Pod> owned = ownedPods(deployment);
        List<Pod> current = new ArrayList<>(owned.stream().filter(p -> hash.equals(labels(p).get(POD_TEMPLATE_HASH))).toList());
        List<Pod> old = owned.stream().filter(p -> !hash.equals(labels(p).get(POD_TEMPLATE_HASH))).toList();

        while (current.size() < replicas) {
            current.add(client.pods().inNamespace(namespace).resource(newPod(deployment, hash)).create());
        }
        while (current.size() > replicas) {
            Pod surplus = current.remove(current.size() - 1);
            client.pods().inNamespace(namespace).withName(surplus.getMetadata().getName()).delete();
        }
        boolean newReady = current.stream().allMatch(FakeClusterController::isReady);
        List<Pod> remaining = new ArrayList<>(current);
        if (newReady) {
            for (Pod pod : old) {
                client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
            }
        } else {
            remaining.addAll(old);
        }
        writeStatus(deployment, replicas, current, remaining);
    }

    private void writeStatus(Deployment deployment, int replicas, List<Pod> current, List<Pod> all) {
        int ready = (int) all.stream().filter(FakeClusterController::isReady).count();
        boolean complete = current.size() == replicas && all.size() == replicas && ready == replicas;
        String key = deployment.getMetadata().getNamespace() + "/" + deployment.getMetadata().getName();
        List<DeploymentCondition> conditions = new ArrayList<>();
        conditions.add(condition("Available", ready >= replicas ? "True" : "False",
                ready >= replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"));
        if (!complete && deadlineExceeded.contains(key)) {
            conditions.add(condition("Progressing", "False", "ProgressDeadlineExceeded"));
        } else {
            conditions.add(condition("Progressing", "True", complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated"));
        }
        DeploymentStatus status = new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(all.size())
                .withUpdatedReplicas(current.size())
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withUnavailableReplicas(Math.max(0, replicas - ready))
                .withConditions(conditions)
                .build();
        if (statusHeld.contains(key) || sameStatus(status, deployment.getStatus())) {
            return;
        }
        deployment.setStatus(status);
        client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace()).resource(deployment).updateStatus();
    }

    private static boolean sameStatus(DeploymentStatus wanted, DeploymentStatus actual) {
        if (actual == null) {
            return false;
        }
        return Objects.equals(wanted.getObservedGeneration(), actual.getObservedGeneration())
                && Objects.equals(wanted.getReplicas(), actual.getReplicas())
                && Objects.equals(wanted.getUpdatedReplicas(), actual.getUpdatedReplicas())
                && Objects.equals(wanted.getReadyReplicas(), actual.getReadyReplicas())
                && Objects.equals(wanted.getAvailableReplicas(), actual.getAvailableReplicas())
                && reasons(wanted).equals(reasons(actual));
    }

    private static List<String> reasons(DeploymentStatus status) {
        return status.getConditions() == null ? List.of()
                : status.getConditions().stream().map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason()).toList();
    }

    private static DeploymentCondition condition(String type, String status, String reason) {
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).build();
    }

    private void deletePodsOf(Deployment deployment) {
        for (Pod pod : ownedPods(deployment)) {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
        }
    }

    private List<Pod> ownedPods(Deployment deployment) {
        String uid = deployment.getMetadata().getUid();
        return client.pods().inNamespace(deployment.getMetadata().getNamespace()).list().getItems().stream()
                .filter(p -> p.getMetadata().getOwnerReferences() != null
                        && p.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid())))
                .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
                .toList();
    }

    private Pod newPod(Deployment deployment, String hash) {
        String name = deployment.getMetadata().getName() + "-" + hash + "-" + podCounter.incrementAndGet();
        Map<String, String> labels = new LinkedHashMap<>(labels(deployment.getSpec().getTemplate().getMetadata().getLabels()));
        labels.put(POD_TEMPLATE_HASH, hash);
        OwnerReference owner = new OwnerReferenceBuilder()
                .withApiVersion("apps/v1").withKind("Deployment")
                .withName(deployment.getMetadata().getName()).withUid(deployment.getMetadata().getUid())
                .withController(true).build();
        List<ContainerStatus> statuses = new ArrayList<>();
        boolean ready = true;
        boolean pulled = true;
        for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
            PodBehaviour behaviour = behaviours.getOrDefault(container.getImage(), PodBehaviour.READY);
            ready &= behaviour == PodBehaviour.READY || behaviour == PodBehaviour.RESTARTED_ONCE;
            pulled &= behaviour != PodBehaviour.IMAGE_PULL_BACKOFF && behaviour != PodBehaviour.ERR_IMAGE_PULL;
            statuses.add(containerStatus(name, container, behaviour));
        }
        List<PodCondition> conditions = List.of(
                podCondition("PodScheduled", true),
                podCondition("Initialized", true),
                podCondition("ContainersReady", ready),
                podCondition("Ready", ready));
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(deployment.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(labels(deployment.getSpec().getTemplate().getMetadata().getAnnotations()))
                .withOwnerReferences(owner)
                .endMetadata()
                .withSpec(deployment.getSpec().getTemplate().getSpec())
                .withNewStatus()
                .withPhase(pulled ? "Running" : "Pending")
                .withConditions(conditions)
                .withContainerStatuses(statuses)
                .endStatus()
                .build();
    }

    private ContainerStatus containerStatus(String pod, Container container, PodBehaviour behaviour) {
        String image = container.getImage();
        ContainerStatusBuilder status = new ContainerStatusBuilder()
                .withName(container.getName())
                .withImage(image)
                .withImageID(imageIdOf(image))
                .withReady(behaviour == PodBehaviour.READY || behaviour == PodBehaviour.RESTARTED_ONCE)
                .withRestartCount(0)
                .withStarted(true);
        switch (behaviour) {
            case READY, NEVER_READY -> status.withNewState().withNewRunning().withStartedAt("2024-01-01T00:00:00Z").endRunning().endState();
            case RESTARTED_ONCE -> status.withRestartCount(1)
                    .withNewState().withNewRunning().withStartedAt("2024-01-01T00:01:00Z").endRunning().endState()
                    .withNewLastState().withNewTerminated().withExitCode(137).withReason("OOMKilled").endTerminated().endLastState();
            case CRASH_LOOP -> status.withRestartCount(3).withStarted(false)
                    .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                    .withMessage("back-off 40s restarting failed container=" + container.getName() + " pod=" + pod)
                    .endWaiting().endState()
                    .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endLastState();
            case IMAGE_PULL_BACKOFF -> status.withImageID("").withStarted(false)
                    .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                    .withMessage("Back-off pulling image \"" + image + "\"").endWaiting().endState();
            case ERR_IMAGE_PULL -> status.withImageID("").withStarted(false)
                    .withNewState().withNewWaiting().withReason("ErrImagePull")
                    .withMessage("rpc error: code = NotFound desc = failed to pull and unpack image \"" + image + "\": not found")
                    .endWaiting().endState();
            case CREATE_CONTAINER_CONFIG_ERROR -> status.withImageID("").withStarted(false)
                    .withNewState().withNewWaiting().withReason("CreateContainerConfigError")
                    .withMessage("secret \"db-password\" not found").endWaiting().endState();
        }
        return status.build();
    }

    private static PodCondition podCondition(String type, boolean status) {
        return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False").build();
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private String templateHash(Deployment deployment) {
        String json = client.getKubernetesSerialization().asJson(deployment.getSpec().getTemplate());
        return sha256(json).substring(0, 10);
    }

    private static Map<String, String> labels(Pod pod) {
        return labels(pod.getMetadata().getLabels());
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
