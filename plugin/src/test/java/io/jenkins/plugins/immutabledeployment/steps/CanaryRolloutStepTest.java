package io.jenkins.plugins.immutabledeployment.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import io.jenkins.plugins.immutabledeployment.config.ImmutableDeploymentConfiguration;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.Step;
import io.jenkins.plugins.immutabledeployment.testing.LocalRegistry;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code canaryRollout} and {@code rollbackTo} refuse bad input in the build log, naming the field and the accepted
 * form, before any cluster or registry is contacted (no cluster exists here: reaching for one would fail otherwise);
 * a gate ({@code requireProvenance}, {@code requirePromotedTo}) is checked in the real registry before the cluster.
 */
@WithJenkins
class CanaryRolloutStepTest {

    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

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
    void withoutAClusterAControllerWithoutKubernetesConfigurationIsToldToNameOne(JenkinsRule r) throws Exception {
        String before = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", "/nonexistent/kubeconfig"); // what fabric8 reads before $KUBECONFIG
        try {
            WorkflowRun run = failing(r, "canaryRollout image: '" + IMAGE + "', deployment: 'api', weights: [100], interval: '1m'");
            r.assertLogContains("cluster: not given, and this Jenkins controller has no Kubernetes configuration of its own"
                    + " (looked at /nonexistent/kubeconfig", run);
            r.assertLogContains("expected the name of a cluster configured in Manage Jenkins", run);
            r.assertLogNotContains("Exception", run);
        } finally {
            if (before == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", before);
            }
        }
    }

    @Test
    void blueGreenWithWeightsIsRefusedNamingTheField(JenkinsRule r) throws Exception {
        WorkflowRun run = failing(r, "canaryRollout image: '" + IMAGE + "', deployment: 'api', blueGreen: true, weights: [100], interval: '1m'");
        r.assertLogContains("weights", run);
        r.assertLogContains("cannot be combined with blueGreen", run);
        r.assertLogContains("[[pause: 'manual']]", run);
        r.assertLogNotContains("Started the blue/green rollout", run);
    }

    @Test
    void blueGreenWithAWeightInItsGateIsRefusedNamingTheStep(JenkinsRule r) throws Exception {
        WorkflowRun run = failing(r, "canaryRollout image: '" + IMAGE + "', deployment: 'api', blueGreen: true,"
                + " steps: [[pause: 'manual'], [setWeight: 50]]");
        r.assertLogContains("steps[1].setWeight", run);
        r.assertLogContains("pause and analysis steps only", run);
    }

    /** Without steps, blue/green's gate is a manual pause: the global default canary plan (weights) does not apply. */
    @Test
    void blueGreenWithoutStepsGatesOnAManualPauseNotTheDefaultPlan(JenkinsRule r) {
        ImmutableDeploymentConfiguration.get().setDefaultCanaryPlan("10,50,100");
        CanaryRolloutStep step = new CanaryRolloutStep(IMAGE, "api");
        step.setBlueGreen(true);

        RolloutPlan plan = PlanParser.fromArguments(IMAGE, CanaryRolloutStepExecution.planArguments(step));

        assertTrue(plan.blueGreen());
        assertEquals(List.of(new Step.SetWeight(0), Step.Pause.manual(), new Step.SetWeight(100)), plan.steps());
    }

    /** The global default Prometheus URL serves the analyses that name none; one that names its own keeps it. */
    @Test
    void analysesWithoutAPrometheusOfTheirOwnQueryTheConfiguredDefault(JenkinsRule r) throws Exception {
        CanaryRolloutStep step = new CanaryRolloutStep(IMAGE, "api");
        step.setSteps(List.of(Map.of("setWeight", 50), Map.of("analysis", "errors"), Map.of("analysis", "latency"), Map.of("setWeight", 100)));
        step.setAnalysis(Map.of(
                "errors", Map.of("query", "sum(rate(errors[1m]))", "failIf", "> 0.5"),
                "latency", Map.of("prometheus", "http://latency-prometheus:9090", "query", "p99", "failIf", "> 2")));
        r.assertLogContains("analysis.errors.prometheus", failing(r, "canaryRollout image: '" + IMAGE + "', deployment: 'api',"
                + " steps: [[setWeight: 100], [analysis: 'errors']], analysis: [errors: [query: 'up', failIf: '< 1']]"));

        ImmutableDeploymentConfiguration.get().setDefaultPrometheusUrl("http://prometheus.monitoring:9090");
        RolloutPlan plan = PlanParser.fromArguments(IMAGE, CanaryRolloutStepExecution.planArguments(step));

        assertEquals(URI.create("http://prometheus.monitoring:9090"), plan.analyses().get("errors").prometheus());
        assertEquals(URI.create("http://latency-prometheus:9090"), plan.analyses().get("latency").prometheus());
    }

    @Test
    void badGateInputIsRefusedNamingTheField(JenkinsRule r) throws Exception {
        r.assertLogContains("publicKey", failing(r, "canaryRollout image: '" + IMAGE + "', deployment: 'api',"
                + " requireProvenance: true, publicKey: 'not a key', weights: [100], interval: '1m'"));
        r.assertLogContains("requirePromotedTo", failing(r, "canaryRollout image: '" + IMAGE + "', deployment: 'api',"
                + " requirePromotedTo: 'no stage!', weights: [100], interval: '1m'"));
    }

    /** The gate is checked in the registry before the cluster is reached (there is no cluster here). */
    @Test
    void aFailedGateStopsTheRolloutBeforeTheClusterIsReached(JenkinsRule r) throws Exception {
        registry.configure();
        String image = registry.pushNew("shop/bare:1", "no provenance");
        WorkflowRun run = failing(r, "canaryRollout image: '" + image + "', deployment: 'api', namespace: 'shop',"
                + " requireProvenance: true, weights: [100], interval: '1m'");
        r.assertLogContains("gate requireProvenance failed for ", run);
        r.assertLogContains("no SLSA provenance attestation is attached", run);
        r.assertLogNotContains("Started the canary rollout", run);
    }

    @Test
    void rollbackToRefusesABadRevisionAndImagePlusRevision(JenkinsRule r) throws Exception {
        r.assertLogContains("previous, or a number of releases back", failing(r, "rollbackTo deployment: 'api', revision: 'last'"));
        r.assertLogContains("cannot be combined with image",
                failing(r, "rollbackTo deployment: 'api', revision: 2, image: '" + IMAGE + "'"));
    }
}
