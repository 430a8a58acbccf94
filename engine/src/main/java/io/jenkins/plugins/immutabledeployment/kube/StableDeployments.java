package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.List;
import java.util.stream.Collectors;

/** Reading the stable Deployment and finding the target container in it. */
final class StableDeployments {

    private StableDeployments() {}

    static RollableScalableResource<Deployment> resource(KubernetesClient client, String namespace, String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name);
    }

    /** The stable Deployment, or {@link DeploymentNotFoundException}. */
    static Deployment require(KubernetesClient client, DeploymentTarget target) {
        return require(ClusterReads.direct(client), target);
    }

    /** The stable Deployment as {@code reads} has it (asking the API server before saying it is missing). */
    static Deployment require(ClusterReads reads, DeploymentTarget target) {
        Deployment deployment = reads.deployment(target.namespace(), target.deployment());
        if (deployment == null && reads.fresh() != reads) {
            deployment = reads.fresh().deployment(target.namespace(), target.deployment());
        }
        if (deployment == null) {
            throw new DeploymentNotFoundException(target);
        }
        return deployment;
    }

    /**
     * The index of the target container in the pod template: the named one, or the first when the target names
     * none. A name that is not there is bad input (nothing has been changed yet).
     */
    static int containerIndex(Deployment deployment, DeploymentTarget target) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        if (containers.isEmpty()) {
            throw new InvalidInputException("deployment", "Deployment " + target + " has no containers", null);
        }
        if (target.container() == null) {
            return 0;
        }
        for (int i = 0; i < containers.size(); i++) {
            if (target.container().equals(containers.get(i).getName())) {
                return i;
            }
        }
        throw new InvalidInputException("container", "Deployment " + target + " has no container \"" + target.container()
                + "\"", "one of " + containers.stream().map(Container::getName).collect(Collectors.joining(", ")));
    }

    static Container container(Deployment deployment, DeploymentTarget target) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(containerIndex(deployment, target));
    }

    static int specReplicas(Deployment deployment) {
        Integer replicas = deployment.getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    static long generation(Deployment deployment) {
        Long generation = deployment.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }
}
