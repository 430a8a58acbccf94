package io.jenkins.plugins.immutabledeployment.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.htmlunit.Page;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.springframework.security.access.AccessDeniedException;

@WithJenkins
class DeploymentActionTest {

    static final String IMAGE = "registry.example.com/shop/api@sha256:" + "ab".repeat(32);
    private static final String MODEL = "{\"version\":1,\"images\":[{\"image\":\"" + IMAGE + "\"}]}";

    @Test
    void servesTheModelToUsersWhoMayReadTheBuild(JenkinsRule r) throws Exception {
        FreeStyleBuild build = buildWith(r, new DeploymentAction(MODEL));
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ).everywhere().to("outsider"));
        String url = build.getUrl() + DeploymentAction.URL_NAME + "/model.json";

        Page page = r.createWebClient().login("reader").goTo(url, "application/json");
        assertEquals(MODEL, page.getWebResponse().getContentAsString());

        int status = r.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("outsider")
                .goTo(url, null).getWebResponse().getStatusCode();
        assertEquals(404, status, "the build is invisible without Item.READ");
    }

    @Test
    void modelEndpointChecksReadPermissionBeforeAnythingElse(JenkinsRule r) throws Exception {
        DeploymentAction action = new DeploymentAction(MODEL);
        buildWith(r, action);
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy().grant(Jenkins.READ).everywhere().to("outsider"));

        try (ACLContext ignored = ACL.as2(User.getById("outsider", true).impersonate2())) {
            assertThrows(AccessDeniedException.class, () -> action.doModelJson(null, null));
        }
    }

    @Test
    void summaryEscapesHostileStrings(JenkinsRule r) throws Exception {
        DeploymentAction action = new DeploymentAction("{}");
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
        assertTrue(!mount.getAttribute("data-crumb-header").isEmpty(), "the crumb header name is given to the script");
    }

    @Test
    void detailPageIsAMountPointToo(JenkinsRule r) throws Exception {
        FreeStyleBuild build = buildWith(r, new DeploymentAction(MODEL));

        HtmlPage page = r.createWebClient().withJavaScriptEnabled(false).getPage(build, DeploymentAction.URL_NAME + "/");

        DomElement mount = page.querySelector(".immutable-deployment");
        assertNotNull(mount);
        assertEquals("detail", mount.getAttribute("data-view"));
    }

    @Test
    void exportsReleasesAndModelForTheRestApi(JenkinsRule r) throws Exception {
        DeploymentAction action = new DeploymentAction(MODEL);
        FreeStyleBuild build = buildWith(r, action);
        action.addRelease(new ReleaseRecord(null, "shop", "api", IMAGE, "promoted", true, 1L));

        String json = r.createWebClient()
                .goTo(build.getUrl() + "api/json?tree=actions[releases[deployment,image,digest,live]]", "application/json")
                .getWebResponse().getContentAsString();

        assertTrue(json.contains("\"deployment\":\"api\""), json);
        assertTrue(json.contains("\"digest\":\"sha256:" + "ab".repeat(32) + "\""), json);
        assertEquals(List.of(Map.of("image", IMAGE)), action.getModel().get("images"));
    }

    @Test
    void keepsItsDataAcrossAReloadOfTheBuild(JenkinsRule r) throws Exception {
        DeploymentAction action = new DeploymentAction("{}");
        FreeStyleBuild build = buildWith(r, action);
        action.replaceModel(MODEL);
        action.addRelease(new ReleaseRecord("prod", "shop", "api", IMAGE, "promoted", true, 1L));

        build.reload();

        DeploymentAction reloaded = build.getAction(DeploymentAction.class);
        assertEquals(MODEL, reloaded.getModelJson());
        assertEquals("prod/shop/api", reloaded.getReleases().get(0).getTarget());
        assertEquals(build, reloaded.getRun());
    }

    @Test
    void refusesAModelThatIsNotAJsonObject(JenkinsRule r) {
        assertThrows(InvalidInputException.class, () -> new DeploymentAction("[1, 2]"));
        assertThrows(InvalidInputException.class, () -> new DeploymentAction("not json"));
    }

    static FreeStyleBuild buildWith(JenkinsRule r, DeploymentAction action) throws Exception {
        FreeStyleProject project = r.createFreeStyleProject();
        FreeStyleBuild build = r.buildAndAssertSuccess(project);
        build.addAction(action);
        build.save();
        return build;
    }
}
