package io.jenkins.plugins.immutabledeployment.steps;

import hudson.AbortException;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.kube.NoClusterConfigurationException;
import io.jenkins.plugins.immutabledeployment.oci.TagConflictException;

/**
 * What a step fails with. The engine's messages already say what was wrong, with which input, and what is
 * accepted, so those failures become an {@link AbortException}: the build log shows the message, not a stack trace.
 * Where the engine's words are the command line's (a missing default Kubernetes configuration, how to allow a tag
 * to move), the step says it in its own: the {@code cluster} field, {@code tagPolicy: 'overwrite'}.
 */
final class BuildLogFailures {

    private BuildLogFailures() {}

    static Throwable forBuildLog(Throwable failure) {
        if (failure instanceof NoClusterConfigurationException none) {
            return new AbortException("cluster: not given, and this Jenkins controller has no Kubernetes configuration of its own"
                    + " (looked at " + String.join(", ", none.looked()) + "); expected the name of a cluster configured in"
                    + " Manage Jenkins » System » Immutable Deployment");
        }
        if (failure instanceof TagConflictException conflict && !conflict.race()) {
            return new AbortException("tag " + conflict.image() + " already points at " + conflict.existing() + ", not at "
                    + conflict.wanted() + "; tags are immutable by default: tagPolicy: 'overwrite' moves it");
        }
        if (failure instanceof InvalidInputException || failure instanceof DeploymentException) {
            return new AbortException(failure.getMessage());
        }
        return failure;
    }
}
