package io.jenkins.plugins.immutabledeployment.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.immutabledeployment.model.PromotionState;
import io.jenkins.plugins.immutabledeployment.testing.LocalRegistry;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A promotion waiting for approval keeps waiting across a controller restart, holding no executor, and then completes. */
class PromoteRestartTest {

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    private static String source;

    @BeforeAll
    static void pushSource() throws Exception {
        source = registry.pushNew("shop/api:build-7", "survives restarts");
    }

    @Test
    void keepsWaitingForApprovalAcrossARestart() throws Throwable {
        String digest = source.substring(source.indexOf('@') + 1);
        sessions.then(r -> {
            registry.configure();
            PromoteStepTest.secure(r);
            WorkflowJob job = r.createProject(WorkflowJob.class, "restart");
            job.setDefinition(new CpsFlowDefinition("def p = promote image: '" + source + "', to: '" + registry.host()
                    + "/shop-prod/api:release-7', approval: [submitters: 'alice', timeout: '1h']\necho \"approvedBy=${p.approvedBy}\"", true));
            WorkflowRun build = PromoteStepTest.startWaiting(r, job);
            assertEquals(0, r.jenkins.toComputer().countBusy(), "waiting holds no executor");
        });
        sessions.then(r -> {
            PromoteStepTest.secure(r);
            WorkflowRun build = r.jenkins.getItemByFullName("restart", WorkflowJob.class).getBuildByNumber(1);
            assertTrue(build.isBuilding(), "still waiting after the restart");
            assertEquals(PromotionState.AWAITING_APPROVAL, PromoteStepTest.promotion(build).state());
            assertEquals(null, registry.judge("shop-prod/api:release-7"));

            assertEquals(200, PromoteStepTest.decide(r, "alice", build, "approve", "after the restart"));

            r.assertBuildStatusSuccess(r.waitForCompletion(build));
            r.assertLogContains("approvedBy=alice", build);
            assertEquals(digest, registry.judge("shop-prod/api:release-7"));
        });
    }
}
