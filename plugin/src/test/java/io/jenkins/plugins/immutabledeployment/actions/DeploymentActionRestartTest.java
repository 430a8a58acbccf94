package io.jenkins.plugins.immutabledeployment.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import io.jenkins.plugins.immutabledeployment.model.BuildFacts;
import io.jenkins.plugins.immutabledeployment.model.PromotionRecord;
import io.jenkins.plugins.immutabledeployment.model.Submitters;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A build's facts and the page's model survive a real controller restart (the action is told through {@code onLoad}). */
class DeploymentActionRestartTest {

    @RegisterExtension
    final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void thePageModelIsTheSameAfterARestart() throws Throwable {
        String[] before = new String[1];
        sessions.then(r -> {
            FreeStyleProject project = r.createFreeStyleProject("shop");
            FreeStyleBuild build = r.buildAndAssertSuccess(project);
            DeploymentAction action = DeploymentAction.of(build);
            action.update(facts -> BuildFacts.empty()
                    .withPush("registry.example.com/shop/api", List.of("t1"), DeploymentActionTest.DIGEST, 1234L,
                            Instant.parse("2025-06-03T09:15:38Z"), null)
                    .withPromotion(PromotionRecord.awaitingApproval("promotion-1", "prod", DeploymentActionTest.IMAGE,
                            "registry.example.com/shop-prod/api", null, Submitters.parse("alice", "approval.submitters"),
                            "Ship <b>it</b>?", Instant.parse("2025-06-03T09:16:00Z"), null)));
            action.addRelease(new ReleaseRecord("prod", "shop", "api", DeploymentActionTest.IMAGE, "promoted", true, 1L));
            before[0] = model(r, build);
        });
        sessions.then(r -> {
            FreeStyleBuild build = r.jenkins.getItemByFullName("shop", FreeStyleProject.class).getBuildByNumber(1);
            DeploymentAction action = build.getAction(DeploymentAction.class);
            assertSame(build, action.getRun(), "onLoad told the action its build");
            assertEquals(before[0], model(r, build));
            assertEquals("prod/shop/api", action.getReleases().get(0).getTarget());
        });
    }

    private static String model(JenkinsRule r, FreeStyleBuild build) throws Exception {
        return r.createWebClient().goTo(build.getUrl() + DeploymentAction.URL_NAME + "/model.json", "application/json")
                .getWebResponse().getContentAsString();
    }
}
