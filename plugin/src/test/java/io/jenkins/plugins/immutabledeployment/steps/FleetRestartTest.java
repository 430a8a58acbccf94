package io.jenkins.plugins.immutabledeployment.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseOutcome;
import io.jenkins.plugins.immutabledeployment.kube.RolloutLock;
import io.jenkins.plugins.immutabledeployment.model.RolloutView;
import io.jenkins.plugins.immutabledeployment.testing.LocalCluster;
import io.jenkins.plugins.immutabledeployment.testing.LocalRegistry;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * One controller drives many rollouts: twenty canaries, each its own build and Deployment, waiting at a manual pause
 * across a controller restart. After it every one resumes from its Deployment's annotation under its own build's
 * Lease, is promoted from its build page, and finishes healthy with exactly one release in its ledger: none is lost,
 * none is driven twice.
 */
class FleetRestartTest {

    private static final int ROLLOUTS = 20;
    private static final String NAMESPACE = "fleet";

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
        previous = registry.pushNew("fleet/api:release-1", "the fleet before the restart");
        next = registry.pushNew("fleet/api:release-2", "the fleet after the restart");
    }

    @Test
    void twentyRolloutsWaitingAcrossARestartEachResumeOnceAndFinish() throws Throwable {
        sessions.then(r -> {
            registry.configure();
            cluster.configure(KubernetesPipelineTest.CLUSTER);
            PromoteStepTest.secure(r);
            List<WorkflowRun> builds = new ArrayList<>();
            for (int i = 0; i < ROLLOUTS; i++) {
                cluster.createStable(NAMESPACE, deployment(i), 1, previous);
                WorkflowJob job = r.createProject(WorkflowJob.class, "fleet-" + i);
                job.setDefinition(new CpsFlowDefinition("def c = canaryRollout image: '" + next + "', deployment: '" + deployment(i)
                        + "', namespace: '" + NAMESPACE + "', cluster: '" + KubernetesPipelineTest.CLUSTER
                        + "', steps: [[setWeight: 50], [pause: 'manual'], [setWeight: 100]]\n"
                        + "echo \"outcome=${c.outcome} image=${c.image}\"\n", true));
                builds.add(job.scheduleBuild2(0).waitForStart());
            }
            for (WorkflowRun build : builds) {
                KubernetesPipelineTest.awaitManualPause(build);
            }
            assertEquals(0, r.jenkins.toComputer().countBusy(), "twenty waiting rollouts hold no executor");
        });
        sessions.then(r -> {
            PromoteStepTest.secure(r);
            List<WorkflowRun> builds = new ArrayList<>();
            for (int i = 0; i < ROLLOUTS; i++) {
                WorkflowRun build = r.jenkins.getItemByFullName("fleet-" + i, WorkflowJob.class).getBuildByNumber(1);
                assertTrue(build.isBuilding(), build + " still rolls out after the restart");
                builds.add(build);
            }
            for (int i = 0; i < ROLLOUTS; i++) {
                WorkflowRun build = builds.get(i);
                r.waitForMessage("Resumed the canary rollout of " + next, build);
                RolloutView paused = KubernetesPipelineTest.awaitManualPause(build);
                Lease lease = cluster.client().leases().inNamespace(NAMESPACE)
                        .withName(RolloutLock.leaseName(target(i))).get();
                assertEquals(r.getURL() + build.getUrl(), lease.getSpec().getHolderIdentity(), "resumed under its own build's Lease");
                assertEquals(previous, cluster.image(NAMESPACE, deployment(i)), "stable untouched while its canary waits");
                assertEquals(200, PromoteStepTest.post(r, "alice", build.getUrl() + DeploymentAction.URL_NAME + "/promote?rollout=" + paused.id()));
            }
            ReleaseLedger ledger = new ReleaseLedger(cluster.client());
            for (int i = 0; i < ROLLOUTS; i++) {
                WorkflowRun build = builds.get(i);
                r.assertBuildStatusSuccess(r.waitForCompletion(build));
                r.assertLogContains("outcome=healthy image=" + next, build);
                assertEquals(1, JenkinsRule.getLog(build).split("Resumed the canary rollout", -1).length - 1, "resumed once");
                assertEquals(next, cluster.image(NAMESPACE, deployment(i)), "stable runs the new digest");
                assertNull(cluster.deployment(NAMESPACE, deployment(i) + "-canary"), "the canary is gone");
                List<Release> history = ledger.history(target(i));
                assertEquals(1, history.size(), "one release recorded for " + deployment(i) + ": " + history);
                assertEquals(ReleaseOutcome.PROMOTED, history.get(0).outcome());
                assertEquals(r.getURL() + build.getUrl(), history.get(0).deployedBy());
            }
        });
    }

    private static String deployment(int i) {
        return "api-" + i;
    }

    private static DeploymentTarget target(int i) {
        return DeploymentTarget.of(NAMESPACE, deployment(i));
    }
}
