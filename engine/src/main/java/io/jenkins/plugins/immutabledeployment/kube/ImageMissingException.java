package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/** The image to deploy is gone from its registry (e.g. pruned); nothing in the cluster was changed. */
public class ImageMissingException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    public ImageMissingException(PinnedImage image) {
        super("image " + image + " no longer exists in its registry; nothing in the cluster was changed."
                + " Pick another revision, or push the image again");
    }
}
