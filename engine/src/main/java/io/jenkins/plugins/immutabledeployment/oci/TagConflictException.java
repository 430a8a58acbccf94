package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/** The tag already points at a different digest and the tag policy does not allow moving it. Nothing was written. */
public class TagConflictException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    public TagConflictException(String image, Digest existing, Digest wanted) {
        super("tag " + image + " already points at " + existing + ", not at " + wanted
                + "; tags are immutable by default (tag policy \"overwrite\" allows moving it)");
    }
}
