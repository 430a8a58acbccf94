package io.jenkins.plugins.immutabledeployment.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import io.jenkins.plugins.immutabledeployment.model.RolloutView;
import io.jenkins.plugins.immutabledeployment.runtime.RolloutRuntime;
import io.jenkins.plugins.immutabledeployment.testing.LocalCluster;
import io.jenkins.plugins.immutabledeployment.testing.LocalRegistry;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.CpsFlowExecution;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A canary waiting at a manual pause holds no executor, survives a controller restart (its state is in the cluster,
 * the step resumes it from there) and is then promoted from the build page.
 */
class CanaryRestartTest {

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    @RegisterExtension
    static final LocalCluster cluster = new LocalCluster();

    private static String previous;
    private static String next;

    @BeforeAll
    static void pushReleases() throws Exception {
        previous = registry.pushNew("shop-prod/api:release-1", "before the restart");
        next = registry.pushNew("shop-prod/api:release-2", "promoted after the restart");
    }

    @Test
    @SuppressWarnings("deprecation") // waitForSuspension: the one way to know the Pipeline has handled what the step did
    void aRolloutWaitingAtAManualPauseIsResumedAfterARestartAndPromoted() throws Throwable {
        String namespace = "restart";
        sessions.then(r -> {
            registry.configure();
            cluster.configure(KubernetesPipelineTest.CLUSTER);
            PromoteStepTest.secure(r);
            cluster.createStable(namespace, "api", 2, previous);
            WorkflowJob job = r.createProject(WorkflowJob.class, "canary");
            job.setDefinition(new CpsFlowDefinition(KubernetesPipelineTest.manualPauseRollout(next, namespace), true));
            WorkflowRun build = job.scheduleBuild2(0).waitForStart();
            KubernetesPipelineTest.awaitManualPause(build);
            assertEquals(0, r.jenkins.toComputer().countBusy(), "waiting holds no executor");
            assertEquals(next, cluster.image(namespace, "api-canary"));

            // What shutting down does first, made deterministic: the runner is closed while the Pipeline still runs.
            RolloutRuntime.shutdown();
            ((CpsFlowExecution) build.getExecution()).waitForSuspension();
            assertTrue(build.isBuilding(), "a rollout left for the restart does not end the build");
            assertTrue(build.getExecution().getCurrentExecutions(false).get().stream()
                    .anyMatch(e -> e instanceof CanaryRolloutStepExecution), "the canaryRollout step waits to be resumed");
            r.assertLogContains("the rollout of " + namespace + "/api continues after the restart", build);
        });
        sessions.then(r -> {
            PromoteStepTest.secure(r);
            WorkflowRun build = r.jenkins.getItemByFullName("canary", WorkflowJob.class).getBuildByNumber(1);
            assertTrue(build.isBuilding(), "still rolling out after the restart");
            r.waitForMessage("Resumed the canary rollout of " + next, build);
            RolloutView paused = KubernetesPipelineTest.awaitManualPause(build);
            assertEquals(previous, cluster.image(namespace, "api"), "stable untouched while the canary waits");

            assertEquals(200, PromoteStepTest.post(r, "alice", build.getUrl() + DeploymentAction.URL_NAME + "/promote?rollout=" + paused.id()));

            r.assertBuildStatusSuccess(r.waitForCompletion(build));
            r.assertLogContains("outcome=healthy image=" + next, build);
            assertEquals(next, cluster.image(namespace, "api"), "stable runs the new digest");
            cluster.awaitDeployment(namespace, "api", d -> LocalCluster.rolledOut(d, 2));
            assertNull(cluster.deployment(namespace, "api-canary"), "the canary is gone");
        });
    }
}
