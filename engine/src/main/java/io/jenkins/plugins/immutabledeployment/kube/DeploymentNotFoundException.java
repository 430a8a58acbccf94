package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/** The stable Deployment named by the user does not exist in its namespace. */
public class DeploymentNotFoundException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    public DeploymentNotFoundException(DeploymentTarget target) {
        super("Deployment " + target + " not found; check the deployment and namespace names and the kubeconfig context");
    }
}
