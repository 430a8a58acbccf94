package io.jenkins.plugins.immutabledeployment.steps;

import hudson.AbortException;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;

/**
 * What a step fails with. The engine's messages already say what was wrong, with which input, and what is
 * accepted, so those failures become an {@link AbortException}: the build log shows the message, not a stack trace.
 */
final class BuildLogFailures {

    private BuildLogFailures() {}

    static Throwable forBuildLog(Throwable failure) {
        if (failure instanceof InvalidInputException || failure instanceof DeploymentException) {
            return new AbortException(failure.getMessage());
        }
        return failure;
    }
}
