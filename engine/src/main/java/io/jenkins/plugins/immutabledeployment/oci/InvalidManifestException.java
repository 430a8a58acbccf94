package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/** A manifest that is not valid JSON of a supported kind (OCI manifest or index, Docker schema 2 or list). */
public class InvalidManifestException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    public InvalidManifestException(String message) {
        super(message);
    }
}
