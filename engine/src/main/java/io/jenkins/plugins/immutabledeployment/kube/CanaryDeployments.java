package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The canary Deployment {@code <name>-canary}: a copy of the stable Deployment's pod template with the pinned
 * image in the target container, running beside the stable Deployment during a rollout.
 *
 * <p>Its pods keep all the stable pod labels, so the Services that select the stable pods select them too, and
 * add {@value #ROLE_LABEL}{@code =canary} (also on the Deployment, and in its selector, so it never claims stable
 * pods) and {@value #DIGEST_LABEL} (the first 32 hex characters of the digest, to tell this canary's pods from a
 * previous one's). It has no owner reference: it is removed explicitly at the end of a rollout. Nothing here
 * writes to the stable Deployment.
 */
public final class CanaryDeployments {

    public static final String ROLE_LABEL = Labels.PREFIX + "role";
    public static final String ROLE_CANARY = "canary";
    public static final String DIGEST_LABEL = Labels.PREFIX + "canary-digest";
    public static final String IMAGE_ANNOTATION = Labels.PREFIX + "image";
    public static final String STABLE_ANNOTATION = Labels.PREFIX + "stable";

    private final KubernetesClient client;
    private final ClusterReads reads;

    public CanaryDeployments(KubernetesClient client) {
        this(client, ClusterReads.direct(client));
    }

    /** Reading the Deployments through {@code reads} (e.g. a {@link WatchedNamespaces} cache). */
    public CanaryDeployments(KubernetesClient client, ClusterReads reads) {
        this.client = Objects.requireNonNull(client, "client");
        this.reads = Objects.requireNonNull(reads, "reads");
    }

    /**
     * Creates the canary Deployment with zero replicas, or brings an existing one up to date with the stable pod
     * template and {@code image} (keeping its replica count).
     */
    public Deployment ensure(DeploymentTarget target, PinnedImage image) {
        Objects.requireNonNull(image, "image");
        return KubeCalls.retryOnConflict("create or update the canary Deployment of " + target, reads, r -> {
            Deployment stable = StableDeployments.require(r, target);
            Deployment existing = r.deployment(target.namespace(), target.canaryName());
            if (existing == null) {
                return wrote(canary(target).create(canaryOf(stable, target, image, 0)));
            }
            requireOurs(existing, target);
            Deployment desired = canaryOf(stable, target, image, StableDeployments.specReplicas(existing));
            if (!desired.getSpec().getSelector().equals(existing.getSpec().getSelector())) {
                // A Deployment's selector cannot change: the stable one's did, so start the canary afresh.
                canary(target).lockResourceVersion(existing.getMetadata().getResourceVersion()).delete();
                reads.deleted(target.namespace(), target.canaryName());
                return wrote(canary(target).create(canaryOf(stable, target, image, 0)));
            }
            KubernetesSerialization json = client.getKubernetesSerialization();
            Map<?, ?> template = json.convertValue(desired.getSpec().getTemplate(), Map.class);
            if (template.equals(json.convertValue(existing.getSpec().getTemplate(), Map.class))) {
                return existing;
            }
            JsonPatch patch = JsonPatch.lockedTo(existing.getMetadata().getResourceVersion())
                    .replace("/spec/template", template)
                    .add("/metadata/annotations/" + JsonPatch.escape(IMAGE_ANNOTATION), image.reference());
            return wrote(canary(target).patch(PatchContext.of(PatchType.JSON), patch.toJson()));
        });
    }

    /** The canary Deployment, if there is one. */
    public Optional<Deployment> find(DeploymentTarget target) {
        Deployment canary = reads.deployment(target.namespace(), target.canaryName());
        if (canary != null) {
            requireOurs(canary, target);
        }
        return Optional.ofNullable(canary);
    }

    /** Sets the canary's replica count. */
    public Deployment scale(DeploymentTarget target, int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        return KubeCalls.retryOnConflict("scale the canary Deployment of " + target, reads, r -> {
            Deployment canary = r.deployment(target.namespace(), target.canaryName());
            if (canary == null) {
                throw new DeploymentException("the canary Deployment " + target.namespace() + "/" + target.canaryName()
                        + " does not exist (it is created when a rollout starts)");
            }
            requireOurs(canary, target);
            if (canary.getSpec().getReplicas() != null && canary.getSpec().getReplicas() == replicas) {
                return canary;
            }
            JsonPatch patch = JsonPatch.lockedTo(canary.getMetadata().getResourceVersion()).add("/spec/replicas", replicas);
            return wrote(canary(target).patch(PatchContext.of(PatchType.JSON), patch.toJson()));
        });
    }

    /** Removes the canary Deployment (its pods go with it); returns whether there was one. */
    public boolean delete(DeploymentTarget target) {
        return KubeCalls.retryOnConflict("delete the canary Deployment of " + target, reads, r -> {
            Deployment canary = r.deployment(target.namespace(), target.canaryName());
            if (canary == null) {
                return false;
            }
            requireOurs(canary, target);
            canary(target).lockResourceVersion(canary.getMetadata().getResourceVersion()).delete();
            reads.deleted(target.namespace(), target.canaryName());
            return true;
        });
    }

    private Deployment wrote(Deployment written) {
        reads.wrote(written);
        return written;
    }

    /** The label value that marks the pods of a canary running {@code digest}. */
    public static String digestLabel(Digest digest) {
        return digest.hex().substring(0, 32);
    }

    /**
     * Whether {@code canary} (null: absent) runs exactly {@code replicas} ready pods of its current template and
     * no others: the Deployment controller has seen its spec, and old or surplus pods are gone.
     */
    static boolean runsExactly(Deployment canary, int replicas) {
        if (canary == null) {
            return replicas == 0;
        }
        var status = canary.getStatus();
        int specReplicas = StableDeployments.specReplicas(canary);
        if (status == null) {
            return replicas == 0 && specReplicas == 0;
        }
        return specReplicas == replicas
                && orZero(status.getObservedGeneration()) >= StableDeployments.generation(canary)
                && orZero(status.getReplicas()) == replicas
                && orZero(status.getUpdatedReplicas()) == replicas
                && orZero(status.getReadyReplicas()) == replicas;
    }

    static int readyReplicas(Deployment deployment) {
        return deployment == null || deployment.getStatus() == null ? 0 : (int) orZero(deployment.getStatus().getReadyReplicas());
    }

    private static long orZero(Number number) {
        return number == null ? 0 : number.longValue();
    }

    private RollableScalableResource<Deployment> canary(DeploymentTarget target) {
        return StableDeployments.resource(client, target.namespace(), target.canaryName());
    }

    private Deployment canaryOf(Deployment stable, DeploymentTarget target, PinnedImage image, int replicas) {
        KubernetesSerialization json = client.getKubernetesSerialization();
        int container = StableDeployments.containerIndex(stable, target);
        PodTemplateSpec template = json.clone(stable.getSpec().getTemplate());
        if (template.getMetadata() == null) {
            template.setMetadata(new ObjectMeta());
        }
        ObjectMeta podMeta = template.getMetadata();
        podMeta.setLabels(new LinkedHashMap<>(podMeta.getLabels() == null ? Map.of() : podMeta.getLabels()));
        podMeta.getLabels().put(ROLE_LABEL, ROLE_CANARY);
        podMeta.getLabels().put(DIGEST_LABEL, digestLabel(image.digest()));
        podMeta.setAnnotations(new LinkedHashMap<>(podMeta.getAnnotations() == null ? Map.of() : podMeta.getAnnotations()));
        podMeta.getAnnotations().put(IMAGE_ANNOTATION, image.reference());
        template.getSpec().getContainers().get(container).setImage(image.reference());

        LabelSelector selector = json.clone(stable.getSpec().getSelector());
        selector.setMatchLabels(new LinkedHashMap<>(selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels()));
        selector.getMatchLabels().put(ROLE_LABEL, ROLE_CANARY);

        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(target.canaryName())
                .withNamespace(target.namespace())
                .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .addToLabels(ROLE_LABEL, ROLE_CANARY)
                .addToAnnotations(STABLE_ANNOTATION, target.deployment())
                .addToAnnotations(IMAGE_ANNOTATION, image.reference())
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withSelector(selector)
                .withTemplate(template)
                .withMinReadySeconds(stable.getSpec().getMinReadySeconds())
                .withProgressDeadlineSeconds(stable.getSpec().getProgressDeadlineSeconds())
                .withRevisionHistoryLimit(1)
                .endSpec()
                .build();
    }

    private static void requireOurs(Deployment canary, DeploymentTarget target) {
        Map<String, String> labels = canary.getMetadata().getLabels();
        if (labels == null || !ROLE_CANARY.equals(labels.get(ROLE_LABEL))) {
            throw new DeploymentException("a Deployment " + target.namespace() + "/" + target.canaryName()
                    + " exists but is not a canary made by immutable-deployment (no label " + ROLE_LABEL + "=canary);"
                    + " it is left alone: rename or remove it before rolling out " + target);
        }
    }
}
