package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/** The Kubernetes API refused or failed a request (after the client's own retries). */
public class KubernetesApiException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    private final int code;

    public KubernetesApiException(String message, int code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The HTTP status code, or 0 when no response was received. */
    public int code() {
        return code;
    }
}
