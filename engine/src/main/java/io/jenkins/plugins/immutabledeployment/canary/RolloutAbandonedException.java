package io.jenkins.plugins.immutabledeployment.canary;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/**
 * This process stopped driving a rollout without finishing it (its runner was closed, e.g. the process shuts
 * down): the rollout's state stays in the cluster, and whoever resumes it finishes it. Not an outcome of the
 * rollout: a caller that will resume it (a Jenkins step after a restart) does not report it as a failure.
 */
public final class RolloutAbandonedException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    RolloutAbandonedException(String message) {
        super(message);
    }
}
