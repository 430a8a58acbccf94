package io.jenkins.plugins.immutabledeployment.kube;

/**
 * The stable Deployment a rollout or rollback acts on, and the container in it that carries the image.
 *
 * @param namespace  the Deployment's namespace
 * @param deployment the stable Deployment's name
 * @param container  the container whose image is rolled out; {@code null} means the first container of the
 *                   pod template (the only one, for most workloads)
 */
public record DeploymentTarget(String namespace, String deployment, String container) {

    /** Room for the longest suffix this package appends to the name ({@code -immutable-deployment}). */
    static final int MAX_DEPLOYMENT_NAME = 253 - RolloutLock.LEASE_SUFFIX.length();

    public DeploymentTarget {
        Names.requireLabel("namespace", namespace);
        requireDeploymentName("deployment", deployment);
        if (container != null) {
            Names.requireLabel("container", container);
        }
    }

    /** A stable Deployment's name as {@link DeploymentTarget} accepts it. */
    public static String requireDeploymentName(String field, String name) {
        return Names.requireSubdomain(field, name, MAX_DEPLOYMENT_NAME);
    }

    public static DeploymentTarget of(String namespace, String deployment) {
        return new DeploymentTarget(namespace, deployment, null);
    }

    /** The name of the canary Deployment that runs beside the stable one during a rollout. */
    public String canaryName() {
        return deployment + "-canary";
    }

    /** {@code namespace/deployment}, for messages. */
    @Override
    public String toString() {
        return namespace + "/" + deployment;
    }
}
