package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/** Content whose bytes do not match the digest (or size) they were asked for: tampered with or corrupted. */
public class IntegrityException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    public IntegrityException(String message) {
        super(message);
    }
}
