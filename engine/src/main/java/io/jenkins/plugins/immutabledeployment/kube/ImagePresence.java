package io.jenkins.plugins.immutabledeployment.kube;

/**
 * Whether an image still exists in its registry. The caller implements it with the OCI registry client and the
 * user's registry credentials; {@link Rollback} asks it before changing anything in the cluster.
 */
@FunctionalInterface
public interface ImagePresence {

    boolean exists(PinnedImage image);
}
