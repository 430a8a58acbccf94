package io.jenkins.plugins.immutabledeployment.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.model.BuildFacts;
import io.jenkins.plugins.immutabledeployment.model.PromotionRecord;
import io.jenkins.plugins.immutabledeployment.model.PromotionState;
import io.jenkins.plugins.immutabledeployment.model.Submitters;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.springframework.security.access.AccessDeniedException;

@WithJenkins
class DeploymentActionTest {

    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final String IMAGE = "registry.example.com/shop/api@" + DIGEST;
    private static final BuildFacts FACTS = BuildFacts.empty()
            .withPush("registry.example.com/shop/api", List.of("t1"), DIGEST, 1234L, Instant.parse("2025-06-03T09:15:38Z"), null);

    @Test
    void servesTheModelToUsersWhoMayReadTheBuild(JenkinsRule r) throws Exception {
        FreeStyleBuild build = buildWith(r, new DeploymentAction(FACTS));
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ).everywhere().to("outsider"));
        String url = build.getUrl() + DeploymentAction.URL_NAME + "/model.json";

        JenkinsRule.WebClient reader = r.createWebClient();
        reader.login("reader");
        Page page = reader.goTo(url, "application/json");
        JsonNode model = Json.mapper().readTree(page.getWebResponse().getContentAsString());
        assertEquals(2, model.get("schemaVersion").asInt());
        assertEquals(DIGEST, model.at("/images/0/digest").asText());
        assertEquals(0, model.get("actions").size());

        JenkinsRule.WebClient outsider = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        outsider.login("outsider");
        assertEquals(404, outsider.goTo(url, null).getWebResponse().getStatusCode(), "the build is invisible without Item.READ");
    }

    @Test
    void modelEndpointChecksReadPermissionBeforeAnythingElse(JenkinsRule r) throws Exception {
        DeploymentAction action = new DeploymentAction(FACTS);
        buildWith(r, action);
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy().grant(Jenkins.READ).everywhere().to("outsider"));

        try (ACLContext ignored = ACL.as2(User.getById("outsider", true).impersonate2())) {
            assertThrows(AccessDeniedException.class, () -> action.doModelJson(null, null));
            assertThrows(AccessDeniedException.class, () -> action.doApprove("promotion-1", null));
        }
    }

    @Test
    void decisionsNeedAPostAPendingPromotionAndAPermittedUser(JenkinsRule r) throws Exception {
        DeploymentAction action = new DeploymentAction(FACTS.withPromotion(PromotionRecord.awaitingApproval("promotion-1", "prod",
                IMAGE, "registry.example.com/shop-prod/api", null, Submitters.parse("alice", "approval.submitters"), "Ship it?",
                Instant.now(), null)));
        FreeStyleBuild build = buildWith(r, action);
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, Item.BUILD).everywhere().to("alice", "bob"));
        String base = build.getUrl() + DeploymentAction.URL_NAME + "/";

        JenkinsRule.WebClient alice = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        alice.login("alice");
        assertEquals(405, alice.goTo(base + "approve?promotion=promotion-1", null).getWebResponse().getStatusCode(), "GET is refused");
        assertEquals(404, post(alice, base + "approve?promotion=promotion-9"));
        assertEquals(403, post(r.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("bob"),
                base + "approve?promotion=promotion-1"));
        assertEquals(PromotionState.AWAITING_APPROVAL, action.getFacts().promotions().get(0).state());

        assertEquals(200, post(alice, base + "reject?promotion=promotion-1&comment=%3Cscript%3Ealert(1)%3C%2Fscript%3E"));

        PromotionRecord rejected = action.getFacts().promotions().get(0);
        assertEquals(PromotionState.REJECTED, rejected.state());
        assertEquals("alice", rejected.view().rejectedBy());
        assertEquals("<script>alert(1)</script>", rejected.view().comment(), "kept as text; the UI never renders it as HTML");
        assertEquals(409, post(alice, base + "approve?promotion=promotion-1"));
    }

    @Test
    void summaryEscapesHostileStrings(JenkinsRule r) throws Exception {
        DeploymentAction action = new DeploymentAction();
        FreeStyleBuild build = buildWith(r, action);
        String hostileDeployment = "<img src=x onerror=alert(1)>";
        String hostileOutcome = "\"><script>alert(2)</script>";
        action.addRelease(new ReleaseRecord("prod", "shop", hostileDeployment, IMAGE, hostileOutcome, true, 0L));

        HtmlPage page = r.createWebClient().withJavaScriptEnabled(false).getPage(build);

        DomElement mount = page.querySelector(".immutable-deployment");
        assertNotNull(mount, "the summary box has the mount point");
        assertTrue(mount.getTextContent().contains(hostileDeployment), "shown as text: " + mount.getTextContent());
        assertTrue(mount.getTextContent().contains(hostileOutcome), "shown as text: " + mount.getTextContent());
        assertTrue(page.querySelectorAll("img[src=x]").isEmpty(), "no injected element");
        assertTrue(page.getElementsByTagName("script").stream().noneMatch(s -> s.getTextContent().contains("alert(2)")), "no injected script");
        assertEquals("summary", mount.getAttribute("data-view"));
        assertEquals(r.contextPath + "/" + build.getUrl() + "immutable-deployment/model.json", mount.getAttribute("data-model-url"));
        assertEquals(r.contextPath + "/" + build.getUrl() + "immutable-deployment/", mount.getAttribute("data-detail-url"));
        DomElement link = page.querySelector("a.immutable-deployment-link");
        assertNotNull(link, "the summary box links to the full page");
        assertEquals(mount.getAttribute("data-detail-url"), link.getAttribute("href"));
        assertTrue(!mount.getAttribute("data-crumb-header").isEmpty(), "the crumb header name is given to the script");
    }

    @Test
    void detailPageIsAMountPointToo(JenkinsRule r) throws Exception {
        FreeStyleBuild build = buildWith(r, new DeploymentAction(FACTS));

        HtmlPage page = r.createWebClient().withJavaScriptEnabled(false).getPage(build, DeploymentAction.URL_NAME + "/");

        DomElement mount = page.querySelector(".immutable-deployment");
        assertNotNull(mount);
        assertEquals("detail", mount.getAttribute("data-view"));
    }

    @Test
    void exportsReleasesAndModelForTheRestApi(JenkinsRule r) throws Exception {
        DeploymentAction action = new DeploymentAction(FACTS);
        FreeStyleBuild build = buildWith(r, action);
        action.addRelease(new ReleaseRecord(null, "shop", "api", IMAGE, "promoted", true, 1L));

        String json = r.createWebClient()
                .goTo(build.getUrl() + "api/json?tree=actions[releases[deployment,image,digest,live],model[images[digest]]]", "application/json")
                .getWebResponse().getContentAsString();

        assertTrue(json.contains("\"deployment\":\"api\""), json);
        assertTrue(json.contains("\"digest\":\"" + DIGEST + "\""), json);
        assertEquals(DIGEST, ((Map<?, ?>) ((List<?>) action.getModel().get("images")).get(0)).get("digest"));
    }

    @Test
    void keepsItsFactsAcrossAReloadOfTheBuild(JenkinsRule r) throws Exception {
        DeploymentAction action = new DeploymentAction();
        FreeStyleBuild build = buildWith(r, action);
        action.update(facts -> FACTS);
        action.addRelease(new ReleaseRecord("prod", "shop", "api", IMAGE, "promoted", true, 1L));

        build.reload(); // as core does it for a freestyle build: new action objects, no onLoad

        DeploymentAction reloaded = build.getAction(DeploymentAction.class);
        assertEquals(FACTS, reloaded.getFacts());
        assertEquals("prod/shop/api", reloaded.getReleases().get(0).getTarget());
        JsonNode api = Json.mapper().readTree(r.createWebClient().goTo(build.getUrl() + "api/json?depth=1", "application/json")
                .getWebResponse().getContentAsString());
        assertTrue(api.toString().contains(DIGEST), "the model is in the build's REST API");
        JsonNode model = Json.mapper().readTree(r.createWebClient()
                .goTo(build.getUrl() + DeploymentAction.URL_NAME + "/model.json", "application/json").getWebResponse().getContentAsString());
        assertEquals(DIGEST, model.at("/images/0/digest").asText(), "the page's model is served from the reloaded action");
        assertEquals(build, reloaded.getRun(), "the build is known once a request went through it");
    }

    /** The action as a build recorded before several images per build: its facts in version 1 (one image). */
    private static final String STORED_BY_VERSION_1 = "<io.jenkins.plugins.immutabledeployment.actions.DeploymentAction>"
            + "<factsJson>{\"version\":1,\"image\":{\"repository\":\"registry.example.com/shop/api\",\"tags\":[\"t1\"],"
            + "\"digest\":\"" + DIGEST + "\"},\"provenance\":{\"signed\":false,\"verified\":false,\"sources\":[]},"
            + "\"promotions\":[{\"view\":{\"id\":\"promotion-3\",\"stage\":\"prod\",\"from\":\"" + IMAGE + "\","
            + "\"to\":\"registry.example.com/shop-prod/api:release-1\",\"state\":\"promoted\"},\"submitters\":[]}],"
            + "\"rollouts\":[],\"rollbacks\":[]}</factsJson>"
            + "<releases/></io.jenkins.plugins.immutabledeployment.actions.DeploymentAction>";

    @Test
    void aBuildRecordedByVersion1StillShowsItsImageAndPinnedPromotion(JenkinsRule r) throws Exception {
        DeploymentAction stored = (DeploymentAction) Run.XSTREAM2.fromXML(STORED_BY_VERSION_1);
        FreeStyleBuild build = buildWith(r, stored);

        JsonNode model = Json.mapper().readTree(r.createWebClient()
                .goTo(build.getUrl() + DeploymentAction.URL_NAME + "/model.json", "application/json").getWebResponse().getContentAsString());

        assertEquals("image-1", model.at("/images/0/id").asText());
        assertEquals(DIGEST, model.at("/images/0/digest").asText());
        assertEquals(false, model.at("/images/0/provenance/signed").asBoolean(true));
        assertEquals("registry.example.com/shop-prod/api@" + DIGEST, model.at("/promotions/0/to").asText());
        assertEquals("release-1", model.at("/promotions/0/tag").asText());
        assertEquals("image-1", model.at("/promotions/0/imageId").asText());
    }

    @Test
    void oneActionPerBuild(JenkinsRule r) throws Exception {
        FreeStyleBuild build = r.buildAndAssertSuccess(r.createFreeStyleProject());
        DeploymentAction first = DeploymentAction.of(build);
        assertTrue(first == DeploymentAction.of(build));
        assertEquals(1, build.getActions(DeploymentAction.class).size());
    }

    static int post(JenkinsRule.WebClient client, String path) throws Exception {
        return client.getPage(new WebRequest(client.createCrumbedUrl(path), HttpMethod.POST)).getWebResponse().getStatusCode();
    }

    static FreeStyleBuild buildWith(JenkinsRule r, DeploymentAction action) throws Exception {
        FreeStyleProject project = r.createFreeStyleProject();
        FreeStyleBuild build = r.buildAndAssertSuccess(project);
        build.addAction(action);
        build.save();
        return build;
    }
}
