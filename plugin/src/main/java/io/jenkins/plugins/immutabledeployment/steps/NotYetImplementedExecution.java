package io.jenkins.plugins.immutabledeployment.steps;

import hudson.AbortException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * TEMPORARY placeholder, the only one: the four steps' data, forms and help are in place, and their executions
 * are wired to the engine by the next change, which deletes this class. Until then every step fails at once,
 * before touching any registry or cluster.
 */
final class NotYetImplementedExecution extends StepExecution {

    private static final long serialVersionUID = 1L;

    private final String functionName;

    NotYetImplementedExecution(StepContext context, String functionName) {
        super(context);
        this.functionName = functionName;
    }

    @Override
    public boolean start() {
        getContext().onFailure(new AbortException(
                functionName + " is not yet implemented in this build of the Immutable Deployment plugin; nothing was changed."));
        return true;
    }
}
