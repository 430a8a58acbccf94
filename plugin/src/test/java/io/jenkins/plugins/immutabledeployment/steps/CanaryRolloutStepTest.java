package io.jenkins.plugins.immutabledeployment.steps;

import static org.junit.jupiter.api.Assertions.assertNull;

import hudson.model.Result;
import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code canaryRollout} and {@code rollbackTo} refuse bad input in the build log, naming the field and the accepted
 * form, before any cluster or registry is contacted (no cluster exists here: reaching for one would fail otherwise).
 */
@WithJenkins
class CanaryRolloutStepTest {

    private static final String IMAGE = "registry.example.com/shop/api@sha256:" + "ab".repeat(32);

    private static WorkflowRun failing(JenkinsRule r, String script) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return r.buildAndAssertStatus(Result.FAILURE, job);
    }

    @Test
    void aTagIsRefusedBeforeAnythingChanges(JenkinsRule r) throws Exception {
        WorkflowRun run = failing(r, "canaryRollout image: 'registry.example.com/shop/api:1.0', deployment: 'api', weights: [50, 100], interval: '1m'");
        r.assertLogContains("image", run);
        r.assertLogContains("sha256", run);
        assertNull(run.getAction(DeploymentAction.class), "nothing was recorded");
    }

    @Test
    void aBadPlanIsRefusedNamingTheField(JenkinsRule r) throws Exception {
        WorkflowRun run = failing(r, "canaryRollout image: '" + IMAGE + "', deployment: 'api', weights: [50, 20]");
        r.assertLogContains("weights[1]", run);
        r.assertLogContains("weights that never decrease", run);
    }

    @Test
    void anUnknownClusterIsRefused(JenkinsRule r) throws Exception {
        WorkflowRun run = failing(r, "canaryRollout image: '" + IMAGE + "', deployment: 'api', cluster: 'nowhere', weights: [100], interval: '1m'");
        r.assertLogContains("no cluster named \"nowhere\" is configured", run);
    }

    @Test
    void gatesNotYetInTheRunnerAreRefusedNotIgnored(JenkinsRule r) throws Exception {
        WorkflowRun run = failing(r, "canaryRollout image: '" + IMAGE + "', deployment: 'api', requirePromotedTo: 'staging', weights: [100], interval: '1m'");
        r.assertLogContains("requirePromotedTo", run);
        r.assertLogContains("nothing was changed", run);
    }

    @Test
    void rollbackToRefusesABadRevisionAndImagePlusRevision(JenkinsRule r) throws Exception {
        r.assertLogContains("previous, or a number of releases back", failing(r, "rollbackTo deployment: 'api', revision: 'last'"));
        r.assertLogContains("cannot be combined with image",
                failing(r, "rollbackTo deployment: 'api', revision: 2, image: '" + IMAGE + "'"));
    }
}
