package io.jenkins.plugins.immutabledeployment.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.Item;
import hudson.model.Result;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import io.jenkins.plugins.immutabledeployment.attestation.CheckedAttestation;
import io.jenkins.plugins.immutabledeployment.model.PromotionRecord;
import io.jenkins.plugins.immutabledeployment.model.PromotionState;
import io.jenkins.plugins.immutabledeployment.provenance.PromotionPredicate;
import io.jenkins.plugins.immutabledeployment.testing.Attestations;
import io.jenkins.plugins.immutabledeployment.testing.LocalRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code promote} with and without approval, against the real docker-registry, judged by skopeo. Users:
 * alice (named, Build), erin (in the named group, Build), bob (Build, not named), carol (in the group, no Build),
 * dave (named, cannot even read the job).
 */
@WithJenkins
class PromoteStepTest {

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    static final String SUBMITTERS = "alice,dave,release-managers";

    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    private static String source;

    private JenkinsRule r;

    @BeforeAll
    static void pushSource() throws Exception {
        source = registry.pushNew("shop/api:build-1", "promote me");
    }

    @BeforeEach
    void setUp(JenkinsRule r) {
        this.r = r;
        registry.configure();
        secure(r);
    }

    static void secure(JenkinsRule r) {
        JenkinsRule.DummySecurityRealm realm = r.createDummySecurityRealm();
        realm.addGroups("erin", "release-managers");
        realm.addGroups("carol", "release-managers");
        r.jenkins.setSecurityRealm(realm);
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, Item.BUILD).everywhere().to("alice", "bob", "erin")
                .grant(Jenkins.READ, Item.READ).everywhere().to("carol")
                .grant(Jenkins.READ).everywhere().to("dave"));
    }

    static String digest() {
        return source.substring(source.indexOf('@') + 1);
    }

    static String promoteWithApproval(String to, String timeout) {
        return "def p = promote image: '" + source + "', to: '" + registry.host() + "/" + to + "', stage: 'production',"
                + " approval: [submitters: '" + SUBMITTERS + "', message: 'Ship build 1?'" + (timeout == null ? "" : ", timeout: '" + timeout + "'") + "]\n"
                + "echo \"approvedBy=${p.approvedBy} image=${p.image} tag=${p.tag} stage=${p.stage}\"";
    }

    /** Starts the build and returns it once its promotion waits for a decision. */
    static WorkflowRun startWaiting(JenkinsRule r, WorkflowJob job) throws Exception {
        WorkflowRun build = job.scheduleBuild2(0).waitForStart();
        r.waitForMessage("to approve or reject it on", build);
        assertEquals(PromotionState.AWAITING_APPROVAL, promotion(build).state());
        return build;
    }

    /** The build's latest promotion. */
    static PromotionRecord promotion(WorkflowRun build) {
        List<PromotionRecord> promotions = build.getAction(DeploymentAction.class).getFacts().promotions();
        return promotions.get(promotions.size() - 1);
    }

    /** POSTs a decision as {@code user} (with the crumb, as the build page does) and returns the HTTP status. */
    static int decide(JenkinsRule r, String user, WorkflowRun build, String decision, String comment) throws Exception {
        String path = build.getUrl() + DeploymentAction.URL_NAME + "/" + decision + "?promotion=" + promotion(build).id()
                + (comment == null ? "" : "&comment=" + URLEncoder.encode(comment, StandardCharsets.UTF_8));
        return post(r, user, path);
    }

    static int post(JenkinsRule r, String user, String path) throws Exception {
        JenkinsRule.WebClient client = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        client.login(user);
        return client.getPage(new WebRequest(client.createCrumbedUrl(path), HttpMethod.POST)).getWebResponse().getStatusCode();
    }

    @Test
    void approvalByAPermittedUserResumesTheBuildAndRecordsTheApprover() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "approved");
        job.setDefinition(new CpsFlowDefinition(promoteWithApproval("shop-prod/api:release-1", "1h"), true));
        WorkflowRun build = startWaiting(r, job);

        assertEquals(403, decide(r, "bob", build, "approve", null), "Build permission, but not a submitter");
        assertEquals(403, decide(r, "carol", build, "approve", null), "a submitter by group, but without Build permission");
        assertEquals(404, decide(r, "dave", build, "approve", null), "a submitter who cannot read the job does not see it");
        assertEquals(PromotionState.AWAITING_APPROVAL, promotion(build).state(), "refusals change nothing");
        assertNull(registry.judge("shop-prod/api:release-1"), "nothing is copied before the approval");

        assertEquals(200, decide(r, "alice", build, "approve", "Go for the 10:00 window"));
        r.assertBuildStatusSuccess(r.waitForCompletion(build));

        assertEquals(digest(), registry.judge("shop-prod/api:release-1"), "the same bytes under the new name");
        r.assertLogContains("Approved by alice: Go for the 10:00 window", build);
        r.assertLogContains("approvedBy=alice image=" + registry.host() + "/shop-prod/api@" + digest()
                + " tag=release-1 stage=production", build);
        PromotionRecord promoted = promotion(build);
        assertEquals(PromotionState.PROMOTED, promoted.state());
        assertEquals("alice", promoted.view().approver());
        assertEquals("Go for the 10:00 window", promoted.view().comment());
        assertNull(promoted.view().resolvedFrom(), "given by digest: the build page names no tag");
        assertEquals(409, decide(r, "alice", build, "reject", null), "the first decision stands");
        List<CheckedAttestation> recorded = Attestations.of(registry.host() + "/shop-prod/api@" + digest(),
                PromotionPredicate.PREDICATE_TYPE, null);
        assertEquals(1, recorded.size(), "the registry carries the promotion");
        PromotionPredicate attested = recorded.get(0).statement().predicateAs(PromotionPredicate.class);
        assertEquals("production", attested.stage());
        assertEquals("alice", attested.approval().approver(), "the approver is in the promotion attestation");
        assertEquals("Go for the 10:00 window", attested.approval().comment());
        assertNull(attested.resolvedFrom(), "given by digest, nothing was resolved");
        assertEquals(r.getURL() + build.getUrl(), attested.buildUrl());
    }

    @Test
    void aGroupMemberWithBuildPermissionMayApprove() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "group");
        job.setDefinition(new CpsFlowDefinition(promoteWithApproval("shop-prod/group:release-1", null), true));
        WorkflowRun build = startWaiting(r, job);

        assertEquals(200, decide(r, "erin", build, "approve", null));

        r.assertBuildStatusSuccess(r.waitForCompletion(build));
        r.assertLogContains("approvedBy=erin", build);
    }

    @Test
    void aRejectionFailsTheStepNamingTheRejecterAndTheComment() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "rejected");
        job.setDefinition(new CpsFlowDefinition(promoteWithApproval("shop-prod/rejected:release-1", "1h"), true));
        WorkflowRun build = startWaiting(r, job);

        assertEquals(200, decide(r, "alice", build, "reject", "not during the freeze"));

        r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(build));
        r.assertLogContains("was rejected by alice: not during the freeze", build);
        r.assertLogNotContains("approvedBy=", build);
        assertNull(registry.judge("shop-prod/rejected:release-1"), "nothing was copied");
        assertEquals(PromotionState.REJECTED, promotion(build).state());
        assertEquals("alice", promotion(build).view().rejectedBy());
    }

    @Test
    void theTimeoutFailsTheStepAndCopiesNothing() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "timeout");
        job.setDefinition(new CpsFlowDefinition(promoteWithApproval("shop-prod/late:release-1", "2s"), true));

        WorkflowRun build = r.buildAndAssertStatus(Result.FAILURE, job);

        r.assertLogContains("No decision within 2s (submitters: alice, dave, release-managers); nothing was promoted", build);
        assertEquals(PromotionState.FAILED, promotion(build).state());
        assertNull(registry.judge("shop-prod/late:release-1"));
        assertEquals(409, decide(r, "alice", build, "approve", null), "too late to approve");
    }

    @Test
    void theModelShowsApproveAndRejectOnlyToPermittedUsers() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "buttons");
        job.setDefinition(new CpsFlowDefinition(promoteWithApproval("shop-prod/buttons:release-1", "1h"), true));
        WorkflowRun build = startWaiting(r, job);

        JsonNode forAlice = model(build, "alice");
        assertEquals(2, forAlice.get("actions").size(), forAlice.toString());
        assertEquals("approve", forAlice.at("/actions/0/kind").asText());
        assertEquals("reject", forAlice.at("/actions/1/kind").asText());
        assertEquals(promotion(build).id(), forAlice.at("/actions/0/promotionId").asText());
        assertTrue(forAlice.get("running").asBoolean());
        assertEquals("awaitingApproval", forAlice.at("/promotions/0/state").asText());
        assertEquals(0, model(build, "bob").get("actions").size(), "bob sees the promotion but no buttons");
        assertEquals(0, model(build, "carol").get("actions").size());
        assertEquals("awaitingApproval", model(build, "carol").at("/promotions/0/state").asText());

        String approveUrl = forAlice.at("/actions/0/url").asText();
        assertTrue(approveUrl.startsWith(r.contextPath + "/" + build.getUrl()), approveUrl);
        assertEquals(200, post(r, "alice", approveUrl.substring(r.contextPath.length() + 1)), "the button's URL works");
        r.assertBuildStatusSuccess(r.waitForCompletion(build));
        assertEquals(0, model(build, "alice").get("actions").size(), "no buttons once decided");
    }

    @Test
    void withoutApprovalTheImageIsCopiedAtOnce() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "direct");
        job.setDefinition(new CpsFlowDefinition("def p = promote image: '" + source + "', to: '" + registry.host()
                + "/shop-staging/api', tag: 'build-1', stage: 'staging'\necho \"image=${p.image} approvedBy=${p.approvedBy}\"", true));

        WorkflowRun build = r.buildAndAssertSuccess(job);

        assertEquals(digest(), registry.judge("shop-staging/api:build-1"));
        r.assertLogContains("image=" + registry.host() + "/shop-staging/api@" + digest() + " approvedBy=null", build);
        assertEquals(PromotionState.PROMOTED, promotion(build).state());
    }

    @Test
    void refusesBadInputBeforeAnythingIsCopied() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "refused");
        String tagOnly = source.substring(0, source.indexOf('@')) + ":build-1";
        job.setDefinition(new CpsFlowDefinition("promote image: '" + tagOnly + "', to: '" + registry.host() + "/shop-prod/refused'", true));
        WorkflowRun build = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("image: \"" + tagOnly + "\" is not pinned by digest", build);
        r.assertLogNotContains("\tat ", build);

        job.setDefinition(new CpsFlowDefinition("promote image: '" + source + "', to: '" + registry.host()
                + "/shop-prod/refused', approval: [submitters: 'alice', timeout: 'tomorrow']", true));
        build = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("approval.timeout: \"tomorrow\" is not a duration", build);
        assertNull(registry.judge("shop-prod/refused:latest"));
        assertNull(build.getAction(DeploymentAction.class), "nothing was recorded");
    }

    @Test
    void aFailedGateStopsThePromotionBeforeAnythingIsWritten() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "gated");
        job.setDefinition(new CpsFlowDefinition("promote image: '" + source + "', to: '" + registry.host()
                + "/shop-prod/gated:release-1', requirePromotedTo: 'staging'", true));

        WorkflowRun build = r.buildAndAssertStatus(Result.FAILURE, job);

        r.assertLogContains("gate requirePromotedTo failed for ", build);
        r.assertLogContains("no promotion attestation to stage \"staging\" is attached", build);
        r.assertLogContains("nothing was written", build);
        assertNull(registry.judge("shop-prod/gated:release-1"));
        assertNull(build.getAction(DeploymentAction.class), "refused before the promotion was recorded");
    }

    @Test
    void aFailedGateIsRefusedBeforeTheApprovalIsAsked() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "gated-approval");
        job.setDefinition(new CpsFlowDefinition("promote image: '" + source + "', to: '" + registry.host()
                + "/shop-prod/gated-approval:release-1', stage: 'production', requireProvenance: true,"
                + " approval: [submitters: '" + SUBMITTERS + "', timeout: '1h']", true));

        WorkflowRun build = r.buildAndAssertStatus(Result.FAILURE, job);

        r.assertLogContains("gate requireProvenance failed for ", build);
        r.assertLogContains("no SLSA provenance attestation is attached", build);
        r.assertLogNotContains("to approve or reject it on", build);
        r.assertLogNotContains("\tat ", build);
        assertNull(build.getAction(DeploymentAction.class), "nobody was asked: there is no promotion to decide on");
        assertNull(registry.judge("shop-prod/gated-approval:release-1"));
    }

    @Test
    void resolvesATagOnceBeforeAskingAndPromotesThatDigestNamingTheTag() throws Exception {
        String candidate = registry.pushNew("shop/moving:candidate", "the candidate that is asked about");
        String candidateDigest = candidate.substring(candidate.indexOf('@') + 1);
        String tagOnly = registry.host() + "/shop/moving:candidate";
        WorkflowJob job = r.createProject(WorkflowJob.class, "resolve");
        job.setDefinition(new CpsFlowDefinition("def p = promote image: '" + tagOnly + "', resolve: true, to: '"
                + registry.host() + "/shop-prod/resolved:r1', stage: 'production', approval: [submitters: '" + SUBMITTERS
                + "']\necho \"digest=${p.digest}\"", true));
        WorkflowRun build = startWaiting(r, job);
        r.assertLogContains("Resolved " + tagOnly + " to " + candidateDigest, build);
        assertEquals(registry.host() + "/shop/moving@" + candidateDigest, promotion(build).view().from());
        assertEquals(tagOnly, promotion(build).view().resolvedFrom(), "the build page names the tag the approvers see");

        registry.pushNew("shop/moving:candidate", "a newer build, pushed while the approvers decide");
        assertEquals(200, decide(r, "alice", build, "approve", null));

        r.assertBuildStatusSuccess(r.waitForCompletion(build));
        r.assertLogContains("digest=" + candidateDigest, build);
        assertEquals(candidateDigest, registry.judge("shop-prod/resolved:r1"), "the digest that was asked about");
        List<CheckedAttestation> recorded = Attestations.of(registry.host() + "/shop-prod/resolved@" + candidateDigest,
                PromotionPredicate.PREDICATE_TYPE, null);
        assertEquals(1, recorded.size());
        PromotionPredicate attested = recorded.get(0).statement().predicateAs(PromotionPredicate.class);
        assertEquals(tagOnly, attested.resolvedFrom(), "the promotion attestation names the tag that was resolved");
        assertEquals(tagOnly, promotion(build).view().resolvedFrom(), "and so does the build page, once promoted");
        assertEquals(registry.host() + "/shop/moving@" + candidateDigest, attested.from());
        assertEquals("alice", attested.approval().approver());
    }

    private JsonNode model(WorkflowRun build, String user) throws Exception {
        JenkinsRule.WebClient client = r.createWebClient();
        client.login(user);
        String json = client.goTo(build.getUrl() + DeploymentAction.URL_NAME + "/model.json", "application/json")
                .getWebResponse().getContentAsString();
        return Json.mapper().readTree(json);
    }
}
