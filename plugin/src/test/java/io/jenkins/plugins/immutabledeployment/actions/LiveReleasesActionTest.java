package io.jenkins.plugins.immutabledeployment.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class LiveReleasesActionTest {

    private static final String FIRST = "registry.example.com/shop/api@sha256:" + "11".repeat(32);
    private static final String SECOND = "registry.example.com/shop/api@sha256:" + "22".repeat(32);

    @Test
    void showsPerDeploymentTheImageTheNewestBuildLeftLive(JenkinsRule r) throws Exception {
        FreeStyleProject job = r.createFreeStyleProject("shop");
        FreeStyleBuild first = build(r, job, new ReleaseRecord("prod", "shop", "api", FIRST, "promoted", true, 1L),
                new ReleaseRecord("prod", "shop", "worker", FIRST, "promoted", true, 2L));
        build(r, job, new ReleaseRecord("prod", "shop", "api", SECOND, "aborted", false, 3L));

        List<LiveRelease> live = LiveReleasesAction.scan(job, LiveReleasesAction.BUILDS_SCANNED);

        assertEquals(2, live.size());
        LiveRelease api = live.stream().filter(l -> l.getRelease().getDeployment().equals("api")).findFirst().orElseThrow();
        assertEquals(FIRST, api.getRelease().getImage(), "an aborted rollout left the earlier image live");
        assertEquals(first.getNumber(), api.getBuildNumber());
    }

    @Test
    void aRollbackCountsAsWhatIsLive(JenkinsRule r) throws Exception {
        FreeStyleProject job = r.createFreeStyleProject("shop");
        build(r, job, new ReleaseRecord(null, "shop", "api", SECOND, "promoted", true, 1L));
        FreeStyleBuild rollback = build(r, job, new ReleaseRecord(null, "shop", "api", FIRST, "rolledBack", true, 2L));

        List<LiveRelease> live = LiveReleasesAction.scan(job, LiveReleasesAction.BUILDS_SCANNED);

        assertEquals(1, live.size());
        assertEquals(FIRST, live.get(0).getRelease().getImage());
        assertEquals(rollback.getNumber(), live.get(0).getBuildNumber());
        assertEquals("default/shop/api", live.get(0).getRelease().getTarget());
    }

    @Test
    void jobPageListsTheLiveImageAndJobsWithoutDeploymentsHaveNoSuchPage(JenkinsRule r) throws Exception {
        FreeStyleProject job = r.createFreeStyleProject("shop");
        build(r, job, new ReleaseRecord("prod", "shop", "api", FIRST, "promoted", true, 1L));
        FreeStyleProject other = r.createFreeStyleProject("other");
        r.buildAndAssertSuccess(other);

        String text = r.createWebClient().withJavaScriptEnabled(false).goTo("job/shop/immutable-deployments/").asNormalizedText();

        assertTrue(text.contains(FIRST), text);
        assertTrue(text.contains("#1"), text);
        assertNull(other.getAction(LiveReleasesAction.class));
    }

    private static FreeStyleBuild build(JenkinsRule r, FreeStyleProject job, ReleaseRecord... releases) throws Exception {
        FreeStyleBuild build = r.buildAndAssertSuccess(job);
        DeploymentAction action = new DeploymentAction();
        build.addAction(action);
        for (ReleaseRecord release : releases) {
            action.addRelease(release);
        }
        return build;
    }
}
