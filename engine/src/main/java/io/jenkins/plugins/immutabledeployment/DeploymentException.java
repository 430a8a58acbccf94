package io.jenkins.plugins.immutabledeployment;

/**
 * An operation that was attempted and failed (the CLI exits with 1): a registry refused, a gate failed,
 * a rollout aborted, an integrity check failed. Each failure kind the user can act on has its own subclass.
 */
public class DeploymentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DeploymentException(String message) {
        super(message);
    }

    public DeploymentException(String message, Throwable cause) {
        super(message, cause);
    }
}
