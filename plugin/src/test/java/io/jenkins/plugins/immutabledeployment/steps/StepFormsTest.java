package io.jenkins.plugins.immutabledeployment.steps;

import io.jenkins.plugins.immutabledeployment.config.ClusterEntry;
import io.jenkins.plugins.immutabledeployment.config.ImmutableDeploymentConfiguration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Every step survives the Snippet Generator form and the Groovy it generates, field for field. */
@WithJenkins
class StepFormsTest {

    private static final String IMAGE = "registry.example.com/shop/api@sha256:" + "0f".repeat(32);
    private static final String PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----";

    private JenkinsRule r;

    @BeforeEach
    void setUp(JenkinsRule r) {
        this.r = r;
        // The cluster drop-down only keeps names the global configuration knows.
        ImmutableDeploymentConfiguration.get().setClusters(List.of(new ClusterEntry("prod")));
    }

    @Test
    void immutableBuild() throws Exception {
        ImmutableBuildStep step = new ImmutableBuildStep("registry.example.com/shop/api");
        step.setTag("abc123");
        step.setDockerfile("docker/Dockerfile");
        step.setContext("app");
        step.setBuilder("buildah");
        step.setCredentialsId("registry");
        step.setTagPolicy("overwrite");
        step.setSigningKeyCredentialsId("signing-key");
        step.setSbom("sbom.cdx.json");
        step.setProvenance(false);
        step.setBuildArgs(map("VERSION", "1.4", "DEBUG", "false"));
        step.setPlatform("linux/arm64");

        assertFormRoundTrip(step);
        assertSnippet(step, "immutableBuild buildArgs: [VERSION: '1.4', DEBUG: 'false'], builder: 'buildah', context: 'app', "
                + "credentialsId: 'registry', dockerfile: 'docker/Dockerfile', image: 'registry.example.com/shop/api', "
                + "platform: 'linux/arm64', provenance: false, sbom: 'sbom.cdx.json', signingKeyCredentialsId: 'signing-key', "
                + "tag: 'abc123', tagPolicy: 'overwrite'");
    }

    @Test
    void immutableBuildFromAnArchiveWithDefaults() throws Exception {
        ImmutableBuildStep step = new ImmutableBuildStep("registry.example.com/shop/api");
        step.setArchive("build/image.tar");

        assertFormRoundTrip(step);
        assertSnippet(step, "immutableBuild archive: 'build/image.tar', image: 'registry.example.com/shop/api'");
    }

    @Test
    void immutableBuildFormTurnsBuildArgumentLinesIntoAMap() throws Exception {
        new SnippetizerTester(r).assertGenerateSnippet(
                "{\"stapler-class\": \"" + ImmutableBuildStep.class.getName() + "\", \"$class\": \"" + ImmutableBuildStep.class.getName() + "\", "
                        + "\"image\": \"registry.example.com/shop/api\", \"buildArgsText\": \"VERSION=1.4\\nDEBUG=false\"}",
                "immutableBuild buildArgs: [VERSION: '1.4', DEBUG: 'false'], image: 'registry.example.com/shop/api'",
                null);
    }

    @Test
    void promoteWithApproval() throws Exception {
        PromoteStep step = new PromoteStep(IMAGE, "registry.example.com/shop-prod/api");
        step.setTag("release-42");
        step.setStage("production");
        step.setRequireProvenance(true);
        step.setRequirePromotedTo("staging");
        step.setCredentialsId("registry");
        step.setTargetCredentialsId("prod-registry");
        ApprovalSpec approval = new ApprovalSpec("release-managers");
        approval.setMessage("Ship it?");
        approval.setTimeout("24h");
        step.setApproval(approval);

        assertFormRoundTrip(step);
        step.setPublicKey(PUBLIC_KEY);
        assertSnippet(step, "promote approval: [message: 'Ship it?', submitters: 'release-managers', timeout: '24h'], "
                + "credentialsId: 'registry', image: '" + IMAGE + "', publicKey: '''" + PUBLIC_KEY + "''', "
                + "requirePromotedTo: 'staging', requireProvenance: true, stage: 'production', tag: 'release-42', "
                + "targetCredentialsId: 'prod-registry', to: 'registry.example.com/shop-prod/api'");
    }

    @Test
    void promoteResolvingATag() throws Exception {
        PromoteStep step = new PromoteStep("registry.example.com/shop/api:1.4", "registry.example.com/shop-prod/api:1.4");
        step.setResolve(true);

        assertFormRoundTrip(step);
        assertSnippet(step, "promote image: 'registry.example.com/shop/api:1.4', resolve: true, to: 'registry.example.com/shop-prod/api:1.4'");
    }

    @Test
    void canaryRolloutWithAPlanAndAnalysis() throws Exception {
        CanaryRolloutStep step = new CanaryRolloutStep(IMAGE, "api");
        step.setNamespace("shop");
        step.setCluster("prod");
        step.setContainer("app");
        step.setTraffic("gateway");
        step.setHttpRoute("api-route");
        step.setStableService("api");
        step.setCanaryService("api-canary");
        step.setSteps(List.of(map("setWeight", 10), map("pause", "2m"), map("analysis", "errors"), map("setWeight", 100)));
        step.setAnalysis(map("errors", map("prometheus", "http://prometheus:9090",
                "query", "sum(rate(http_errors_total[1m]))", "failIf", "> 0.5", "interval", "30s", "count", 4)));
        step.setProgressDeadline("10m");
        step.setRequireProvenance(true);
        step.setRequirePromotedTo("staging");

        assertFormRoundTrip(step);
        assertSnippet(step, "canaryRollout analysis: [errors: [prometheus: 'http://prometheus:9090', "
                + "query: 'sum(rate(http_errors_total[1m]))', failIf: '> 0.5', interval: '30s', count: 4]], "
                + "canaryService: 'api-canary', cluster: 'prod', container: 'app', deployment: 'api', httpRoute: 'api-route', "
                + "image: '" + IMAGE + "', namespace: 'shop', progressDeadline: '10m', requirePromotedTo: 'staging', "
                + "requireProvenance: true, stableService: 'api', "
                + "steps: [[setWeight: 10], [pause: '2m'], [analysis: 'errors'], [setWeight: 100]], traffic: 'gateway'");
    }

    @Test
    void canaryRolloutAsBlueGreenWithItsGate() throws Exception {
        CanaryRolloutStep step = new CanaryRolloutStep(IMAGE, "api");
        step.setSteps(List.of(Map.of("pause", "manual")));
        step.setBlueGreen(true);

        assertFormRoundTrip(step);
        assertSnippet(step, "canaryRollout blueGreen: true, deployment: 'api', image: '" + IMAGE + "', steps: [[pause: 'manual']]");
    }

    @Test
    void canaryRolloutFormTurnsItsTextFieldsIntoListsAndMaps() throws Exception {
        new SnippetizerTester(r).assertGenerateSnippet(
                "{\"stapler-class\": \"" + CanaryRolloutStep.class.getName() + "\", \"$class\": \"" + CanaryRolloutStep.class.getName() + "\", "
                        + "\"image\": \"" + IMAGE + "\", \"deployment\": \"api\", "
                        + "\"weightsText\": \"10, 50,100\", \"interval\": \"2m\", "
                        + "\"stepsJson\": \"[{\\\"setWeight\\\": 10}, {\\\"pause\\\": \\\"manual\\\"}]\", "
                        + "\"analysisJson\": \"{\\\"errors\\\": {\\\"query\\\": \\\"up\\\", \\\"count\\\": 2}}\"}",
                "canaryRollout analysis: [errors: [query: 'up', count: 2]], deployment: 'api', image: '" + IMAGE + "', interval: '2m', "
                        + "steps: [[setWeight: 10], [pause: 'manual']], weights: [10, 50, 100]",
                null);
    }

    @Test
    void rollbackTo() throws Exception {
        RollbackToStep step = new RollbackToStep("api");
        step.setNamespace("shop");
        step.setCluster("prod");
        step.setRevision(2);

        assertFormRoundTrip(step);
        assertSnippet(step, "rollbackTo cluster: 'prod', deployment: 'api', namespace: 'shop', revision: '2'");
        new SnippetizerTester(r).assertParseStep(step, "rollbackTo deployment: 'api', namespace: 'shop', cluster: 'prod', revision: 2");
    }

    @Test
    void rollbackToThePreviousReleaseIsOneArgument() throws Exception {
        RollbackToStep step = new RollbackToStep("api");

        assertFormRoundTrip(step);
        assertSnippet(step, "rollbackTo 'api'");
    }

    @Test
    void rollbackToAnExplicitImage() throws Exception {
        RollbackToStep step = new RollbackToStep("api");
        step.setImage(IMAGE);

        assertFormRoundTrip(step);
        assertSnippet(step, "rollbackTo deployment: 'api', image: '" + IMAGE + "'");
    }

    @Test
    void everyStepHasAGeneratedReference() throws Exception {
        for (Class<? extends Step> type : List.of(ImmutableBuildStep.class, PromoteStep.class, CanaryRolloutStep.class, RollbackToStep.class)) {
            SnippetizerTester.assertDocGeneration(type);
        }
    }

    private void assertFormRoundTrip(Step step) throws Exception {
        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));
    }

    private void assertSnippet(Step step, String groovy) throws Exception {
        new SnippetizerTester(r).assertRoundTrip(step, groovy);
    }

    /** An ordered map, as a Groovy map literal is. */
    @SuppressWarnings("rawtypes")
    private static Map map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
