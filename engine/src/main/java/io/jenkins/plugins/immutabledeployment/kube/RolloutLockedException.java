package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/**
 * Another process holds the Deployment's rollout lock, or the lock this process held was taken over. The message
 * names the holder (a build URL or CLI user), so the user knows whom to wait for.
 */
public class RolloutLockedException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    private final String holder;

    public RolloutLockedException(String message, String holder) {
        super(message);
        this.holder = holder;
    }

    /** The identity holding the lock now, or null when nobody does. */
    public String holder() {
        return holder;
    }
}
