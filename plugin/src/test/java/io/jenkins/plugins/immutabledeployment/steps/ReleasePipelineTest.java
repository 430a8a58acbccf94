package io.jenkins.plugins.immutabledeployment.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.FilePath;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import io.jenkins.plugins.immutabledeployment.attestation.CheckedAttestation;
import io.jenkins.plugins.immutabledeployment.model.BuildFacts;
import io.jenkins.plugins.immutabledeployment.model.PromotionRecord;
import io.jenkins.plugins.immutabledeployment.model.PromotionState;
import io.jenkins.plugins.immutabledeployment.model.PromotionView;
import io.jenkins.plugins.immutabledeployment.provenance.PromotionPredicate;
import io.jenkins.plugins.immutabledeployment.provenance.SlsaProvenance;
import io.jenkins.plugins.immutabledeployment.testing.Attestations;
import io.jenkins.plugins.immutabledeployment.testing.LocalRegistry;
import io.jenkins.plugins.immutabledeployment.testing.OpensslKeyPair;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Build once, promote twice with gates, the second after an approval: the Jenkinsfile of docs/getting-started.md
 * without its Kubernetes part, against the real docker-registry.
 */
@WithJenkins
class ReleasePipelineTest {

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    @Test
    void buildsOnceAndPromotesTheSameBytesThroughGatesAndAnApproval(JenkinsRule r) throws Exception {
        registry.configure();
        PromoteStepTest.secure(r);
        OpensslKeyPair key = OpensslKeyPair.ecdsaP256();
        key.configureAsSigningKey("release-signing");
        WorkflowJob job = r.createProject(WorkflowJob.class, "release");
        new FilePath(registry.layout("the release").toFile()).copyRecursiveTo(r.jenkins.getWorkspaceFor(job).child("image"));
        String host = registry.host();
        job.setDefinition(new CpsFlowDefinition("def img\n"
                + "node {\n"
                + "  img = immutableBuild image: '" + host + "/shop/api', tag: 'b1', archive: 'image'\n"
                + "}\n"
                + "def staging = promote image: img.image, to: '" + host + "/shop-staging/api', tag: 'b1', stage: 'staging',"
                + " requireProvenance: true, publicKey: '''" + key.publicPem() + "'''\n"
                + "def prod = promote image: staging.image, to: '" + host + "/shop-prod/api', tag: 'release-1', stage: 'production',"
                + " requireProvenance: true, requirePromotedTo: 'staging', publicKey: '''" + key.publicPem() + "''',"
                + " approval: [submitters: 'alice', timeout: '1h']\n"
                + "echo \"prod=${prod.image} approvedBy=${prod.approvedBy}\"\n", true));
        WorkflowRun build = PromoteStepTest.startWaiting(r, job);

        BuildFacts waiting = build.getAction(DeploymentAction.class).getFacts();
        assertEquals(PromotionState.PROMOTED, waiting.promotions().get(0).state(), "staging needed no approval");
        assertEquals(200, PromoteStepTest.decide(r, "alice", build, "approve", null)); // the latest: production
        r.assertBuildStatusSuccess(r.waitForCompletion(build));

        String digest = waiting.images().get(0).digest();
        assertEquals(digest, registry.judge("shop-staging/api:b1"));
        assertEquals(digest, registry.judge("shop-prod/api:release-1"));
        r.assertLogContains("prod=" + host + "/shop-prod/api@" + digest + " approvedBy=alice", build);
        List<PromotionView> recorded = build.getAction(DeploymentAction.class).getFacts().promotions().stream().map(PromotionRecord::view).toList();
        assertEquals(List.of(host + "/shop-staging/api@" + digest, host + "/shop-prod/api@" + digest),
                recorded.stream().map(PromotionView::to).toList(), "each target recorded pinned by digest");
        assertEquals(List.of("b1", "release-1"), recorded.stream().map(PromotionView::tag).toList(), "with the tag beside it");
        JsonNode model = Json.mapper().readTree(r.createWebClient().login("alice")
                .goTo(build.getUrl() + DeploymentAction.URL_NAME + "/model.json", "application/json").getWebResponse().getContentAsString());
        assertEquals(host + "/shop-prod/api@" + digest, model.at("/promotions/1/to").asText());
        assertEquals("release-1", model.at("/promotions/1/tag").asText());
        assertEquals("image-1", model.at("/promotions/1/imageId").asText(), "the build's image it promoted");
        String attestation = model.at("/images/0/provenance/attestationDigest").asText();
        assertEquals(List.of(attestation, attestation), List.of(model.at("/promotions/0/verifiedProvenance").asText(),
                model.at("/promotions/1/verifiedProvenance").asText()), "each gate verified the build's provenance");
        assertTrue(model.at("/images/0/provenance/verified").asBoolean(), "the page may then say the signature is verified");
        String prod = host + "/shop-prod/api@" + digest;
        assertTrue(Attestations.of(prod, SlsaProvenance.PREDICATE_TYPE, key.publicPem()).get(0).verified(),
                "the provenance travelled with the image and still verifies");
        List<CheckedAttestation> promotions = Attestations.of(prod, PromotionPredicate.PREDICATE_TYPE, key.publicPem());
        CheckedAttestation production = promotions.stream()
                .filter(p -> p.statement().predicateAs(PromotionPredicate.class).stage().equals("production"))
                .findFirst().orElseThrow();
        assertTrue(production.verified(), "the promotion attestation is signed with the configured key");
        assertEquals("alice", production.statement().predicateAs(PromotionPredicate.class).approval().approver());
        r.assertLogNotContains(key.secretFragment(), build);
    }
}
