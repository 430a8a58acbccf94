package io.jenkins.plugins.immutabledeployment.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import hudson.FilePath;
import hudson.model.Result;
import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import io.jenkins.plugins.immutabledeployment.actions.ReleaseRecord;
import io.jenkins.plugins.immutabledeployment.model.BuildFacts;
import io.jenkins.plugins.immutabledeployment.model.PromotionState;
import io.jenkins.plugins.immutabledeployment.model.RollbackView;
import io.jenkins.plugins.immutabledeployment.model.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.model.RolloutView;
import io.jenkins.plugins.immutabledeployment.model.RolloutViews;
import io.jenkins.plugins.immutabledeployment.testing.Await;
import io.jenkins.plugins.immutabledeployment.testing.LocalCluster;
import io.jenkins.plugins.immutabledeployment.testing.LocalRegistry;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The four steps against a real docker-registry and a Kubernetes stand-in (the fabric8 mock server with the engine's
 * fake controller, in a process of its own: {@link LocalCluster}); and a build stopped while its canary waits.
 * Each test uses a namespace of its own in the class's cluster.
 */
@WithJenkins
class KubernetesPipelineTest {

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    @RegisterExtension
    static final LocalCluster cluster = new LocalCluster();

    static final String CLUSTER = "local";

    /** What stable runs before each test's rollout, and what a manual-pause rollout brings. */
    private static String previous;
    private static String next;

    @BeforeAll
    static void pushReleases() throws Exception {
        previous = registry.pushNew("shop-prod/api:release-1", "release 1");
        next = registry.pushNew("shop-prod/api:release-3", "release 3");
    }

    @Test
    void buildsPromotesRollsOutAndRollsBackWithTheFourSteps(JenkinsRule r) throws Exception {
        registry.configure();
        cluster.configure(CLUSTER);
        String namespace = "release";
        cluster.createStable(namespace, "api", 2, previous);
        cluster.recordRelease(namespace, "api", previous);
        WorkflowJob job = r.createProject(WorkflowJob.class, "release");
        new FilePath(registry.layout("release 2").toFile()).copyRecursiveTo(r.jenkins.getWorkspaceFor(job).child("image"));
        String host = registry.host();
        String where = "deployment: 'api', namespace: '" + namespace + "', cluster: '" + CLUSTER + "'";
        job.setDefinition(new CpsFlowDefinition("def img\n"
                + "node {\n"
                + "  img = immutableBuild image: '" + host + "/shop/api', tag: 'b2', archive: 'image'\n"
                + "}\n"
                + "def prod = promote image: img.image, to: '" + host + "/shop-prod/api', tag: 'release-2', stage: 'production'\n"
                + "def rollout = canaryRollout image: prod.image, " + where + ", steps: [[setWeight: 50], [setWeight: 100]]\n"
                + "echo \"rollout: outcome=${rollout.outcome} image=${rollout.image} digest=${rollout.digest}"
                + " deployment=${rollout.deployment} namespace=${rollout.namespace}\"\n"
                + "semaphore 'rolledOut'\n"
                + "def back = rollbackTo " + where + ", revision: 'previous'\n"
                + "echo \"rollback: image=${back.image} replaced=${back.replaced} revision=${back.revision}\"\n", true));

        WorkflowRun build = job.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("rolledOut/1", build);

        String digest = build.getAction(DeploymentAction.class).getFacts().images().get(0).digest();
        String released = host + "/shop-prod/api@" + digest;
        assertEquals(digest, registry.judge("shop-prod/api:release-2"), "promoted unchanged");
        r.assertLogContains("rollout: outcome=healthy image=" + released + " digest=" + digest
                + " deployment=api namespace=" + namespace, build);
        assertEquals(released, cluster.image(namespace, "api"), "stable runs the promoted image, pinned by digest");
        assertNull(cluster.deployment(namespace, "api-canary"), "the canary is gone");

        SemaphoreStep.success("rolledOut/1", null);
        r.assertBuildStatusSuccess(r.waitForCompletion(build));

        r.assertLogContains("rollback: image=" + previous + " replaced=" + released + " revision=previous", build);
        assertEquals(previous, cluster.image(namespace, "api"), "back on the previous release");
        cluster.awaitDeployment(namespace, "api", d -> LocalCluster.rolledOut(d, 2));
        assertNull(cluster.deployment(namespace, "api-canary"));

        DeploymentAction action = build.getAction(DeploymentAction.class);
        BuildFacts facts = Await.until("the rollout's last status on the build page", action::getFacts,
                f -> f.rollouts().size() == 1 && !f.rollouts().get(0).running());
        assertEquals(digest, facts.images().get(0).digest());
        assertEquals(1, facts.promotions().size());
        assertEquals(PromotionState.PROMOTED, facts.promotions().get(0).state());
        RolloutView rollout = facts.rollouts().get(0);
        assertEquals(RolloutPhase.HEALTHY, rollout.phase());
        assertEquals(released, rollout.image());
        assertEquals(CLUSTER, rollout.cluster());
        assertEquals(1, facts.rollbacks().size());
        RollbackView rollback = facts.rollbacks().get(0);
        assertEquals(digest, rollback.fromDigest());
        assertEquals(previous.substring(previous.indexOf('@') + 1), rollback.toDigest());
        assertEquals(r.getURL() + build.getUrl(), rollback.by());
        List<ReleaseRecord> releases = Await.until("both Deployment changes in the job's list", action::getReleases, l -> l.size() == 2);
        assertEquals(List.of("promoted " + released, "rolledBack " + previous),
                releases.stream().map(release -> release.getOutcome() + " " + release.getImage()).sorted().toList());
    }

    @Test
    void stoppingTheBuildAbortsItsRolloutBackToStable(JenkinsRule r) throws Exception {
        registry.configure();
        cluster.configure(CLUSTER);
        String namespace = "stopped";
        long generation = cluster.createStable(namespace, "api", 2, previous).getMetadata().getGeneration();
        WorkflowJob job = r.createProject(WorkflowJob.class, "stopped");
        job.setDefinition(new CpsFlowDefinition(manualPauseRollout(next, namespace) + "echo 'after the rollout'\n", true));
        WorkflowRun build = job.scheduleBuild2(0).waitForStart();
        awaitManualPause(build);
        assertEquals(next, cluster.image(namespace, "api-canary"), "the canary runs beside stable");

        build.doStop();

        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(build));
        r.assertLogContains("The build was stopped: aborting the rollout of " + namespace + "/api back to stable", build);
        r.assertLogNotContains("after the rollout", build);
        assertNull(cluster.deployment(namespace, "api-canary"), "the canary is gone");
        assertEquals(previous, cluster.image(namespace, "api"), "stable still runs the previous release");
        assertEquals(generation, cluster.deployment(namespace, "api").getMetadata().getGeneration(), "stable was never changed");
    }

    /** A canaryRollout of {@code image} on {@code namespace}/api that waits at a manual pause at 50%, then echoes its Map. */
    static String manualPauseRollout(String image, String namespace) {
        return "def c = canaryRollout image: '" + image + "', deployment: 'api', namespace: '" + namespace + "', cluster: '" + CLUSTER
                + "', steps: [[setWeight: 50], [pause: 'manual'], [setWeight: 100]]\n"
                + "echo \"outcome=${c.outcome} image=${c.image}\"\n";
    }

    /**
     * Waits until the build's latest rollout waits for a person (a manual pause), as its build page shows it; fails
     * at once if the build ends meanwhile.
     */
    static RolloutView awaitManualPause(WorkflowRun build) {
        RolloutView paused = Await.until("the rollout of " + build + " to wait at its manual pause", () -> {
            if (!build.isBuilding()) {
                throw new AssertionError(build + " ended " + build.getResult() + " instead of waiting at the manual pause");
            }
            DeploymentAction action = build.getAction(DeploymentAction.class);
            List<RolloutView> rollouts = action == null ? List.of() : action.getFacts().rollouts();
            return rollouts.isEmpty() ? null : rollouts.get(rollouts.size() - 1);
        }, rollout -> rollout != null && RolloutViews.awaitsDecision(rollout));
        assertNotNull(paused.currentWeight());
        assertEquals(50, paused.currentWeight());
        return paused;
    }
}
