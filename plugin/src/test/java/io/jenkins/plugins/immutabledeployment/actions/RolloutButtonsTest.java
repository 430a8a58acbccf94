package io.jenkins.plugins.immutabledeployment.actions;

import static io.jenkins.plugins.immutabledeployment.actions.DeploymentActionTest.buildWith;
import static io.jenkins.plugins.immutabledeployment.actions.DeploymentActionTest.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.FreeStyleBuild;
import hudson.model.Item;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.model.BuildFacts;
import io.jenkins.plugins.immutabledeployment.model.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.model.RolloutView;
import io.jenkins.plugins.immutabledeployment.model.StepView;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Promote / Abort of a rollout on the build page: POST only, Build permission, only while it waits for a person. */
@WithJenkins
class RolloutButtonsTest {

    private static RolloutView onManualPause(String id) {
        return RolloutView.builder(id, "api", "shop").image(DeploymentActionTest.IMAGE).phase(RolloutPhase.PAUSED)
                .at(1, 20).step(StepView.setWeight(20).succeeded(null, null)).step(StepView.manualPause().running(java.time.Instant.now()))
                .build();
    }

    @Test
    void buttonsNeedAPostBuildPermissionAKnownRolloutAndARolloutThatWaits(JenkinsRule r) throws Exception {
        BuildFacts facts = BuildFacts.empty().withRollout(onManualPause("rollout-7"))
                .withRollout(RolloutView.builder("rollout-9", "web", "shop").phase(RolloutPhase.PROGRESSING).at(0, 10)
                        .step(StepView.setWeight(10).running(java.time.Instant.now())).build());
        FreeStyleBuild build = buildWith(r, new DeploymentAction(facts));
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, Item.BUILD).everywhere().to("carol")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader"));
        String base = build.getUrl() + DeploymentAction.URL_NAME + "/";
        JenkinsRule.WebClient carol = r.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("carol");
        JenkinsRule.WebClient reader = r.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("reader");

        assertEquals(405, carol.goTo(base + "promote?rollout=rollout-7", null).getWebResponse().getStatusCode(), "GET is refused");
        assertEquals(404, post(carol, base + "promote?rollout=rollout-1"));
        assertEquals(403, post(reader, base + "abort?rollout=rollout-7"));
        assertEquals(409, post(carol, base + "promote?rollout=rollout-9"), "a progressing rollout waits for nobody");
        assertEquals(409, post(carol, base + "abort?rollout=rollout-7"),
                "paused, but no step of this Jenkins drives it (e.g. the build already ended)");
    }

    @Test
    void onlyWhoMayBuildSeesTheButtons(JenkinsRule r) throws Exception {
        FreeStyleBuild build = buildWith(r, new DeploymentAction(BuildFacts.empty().withRollout(onManualPause("rollout-7"))));
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, Item.BUILD).everywhere().to("carol")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader"));
        String url = build.getUrl() + DeploymentAction.URL_NAME + "/model.json";

        JsonNode forCarol = Json.mapper().readTree(r.createWebClient().login("carol").goTo(url, "application/json")
                .getWebResponse().getContentAsString());
        JsonNode forReader = Json.mapper().readTree(r.createWebClient().login("reader").goTo(url, "application/json")
                .getWebResponse().getContentAsString());

        assertEquals(2, forCarol.get("actions").size());
        assertEquals(r.contextPath + "/" + build.getUrl() + "immutable-deployment/promote?rollout=rollout-7",
                forCarol.at("/actions/0/url").asText());
        assertEquals(0, forReader.get("actions").size());
    }
}
