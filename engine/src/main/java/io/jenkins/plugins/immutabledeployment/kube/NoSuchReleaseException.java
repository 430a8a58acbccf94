package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/** The ledger has no release that matches a rollback's target (nothing earlier, or fewer than N releases back). */
public class NoSuchReleaseException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    public NoSuchReleaseException(String message) {
        super(message);
    }
}
