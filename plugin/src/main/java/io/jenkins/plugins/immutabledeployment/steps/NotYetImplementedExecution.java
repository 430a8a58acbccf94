package io.jenkins.plugins.immutabledeployment.steps;

import hudson.AbortException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * TEMPORARY placeholder for {@code canaryRollout} and {@code rollbackTo} only, whose executions come with the
 * rollout runner (their data, forms and help are in place). Until then those steps fail at once, before touching
 * any registry or cluster. The runner change deletes this class.
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
