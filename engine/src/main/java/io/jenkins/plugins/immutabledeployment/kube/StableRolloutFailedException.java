package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/** The stable Deployment did not finish rolling out to a new image (e.g. its progress deadline passed). */
public class StableRolloutFailedException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    public StableRolloutFailedException(String message) {
        super(message);
    }
}
