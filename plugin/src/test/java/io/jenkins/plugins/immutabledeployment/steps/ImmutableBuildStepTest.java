package io.jenkins.plugins.immutabledeployment.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import io.jenkins.plugins.immutabledeployment.model.ImageView;
import io.jenkins.plugins.immutabledeployment.testing.LocalRegistry;
import io.jenkins.plugins.immutabledeployment.testing.OciLayouts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** {@code immutableBuild} against the real docker-registry, judged by skopeo. */
@WithJenkins
class ImmutableBuildStepTest {

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    private static Path layout;

    private JenkinsRule r;

    @BeforeAll
    static void makeImage() throws Exception {
        layout = registry.layout("hello from immutableBuild");
    }

    @BeforeEach
    void setUp(JenkinsRule r) {
        this.r = r;
        registry.configure();
    }

    private void copyLayoutInto(WorkflowJob job) throws Exception {
        new FilePath(layout.toFile()).copyRecursiveTo(r.jenkins.getWorkspaceFor(job).child("image"));
    }

    @Test
    void pushesAnArchiveFromTheWorkspaceAndRecordsTheImage() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "shop");
        copyLayoutInto(job);
        job.setDefinition(new CpsFlowDefinition("node {\n"
                + "  def img = immutableBuild image: '" + registry.host() + "/shop/api', tag: 't1', archive: 'image'\n"
                + "  echo \"pushed=${img.image} digest=${img.digest} repository=${img.repository} tag=${img.tag} size=${img.size}"
                + " provenance=${img.provenance}\"\n"
                + "}", true));

        WorkflowRun build = r.buildAndAssertSuccess(job);

        String digest = registry.judge("shop/api:t1");
        assertNotNull(digest, "skopeo finds the tag");
        r.assertLogContains("pushed=" + registry.host() + "/shop/api@" + digest + " digest=" + digest
                + " repository=" + registry.host() + "/shop/api tag=t1 size=", build);
        r.assertLogContains("provenance=null", build);
        r.assertLogContains("Provenance was not attached", build);
        ImageView image = build.getAction(DeploymentAction.class).getFacts().image();
        assertEquals(digest, image.digest());
        assertEquals(List.of("t1"), image.tags());
        assertEquals(registry.host() + "/shop/api", image.repository());
    }

    @Test
    void anImmutableTagIsNotMovedToAnotherDigest() throws Exception {
        String first = registry.pushNew("shop/tagged:release", "another image");
        WorkflowJob job = r.createProject(WorkflowJob.class, "tagged");
        copyLayoutInto(job);
        job.setDefinition(new CpsFlowDefinition(
                "node { immutableBuild image: '" + registry.host() + "/shop/tagged:release', archive: 'image' }", true));

        WorkflowRun build = r.buildAndAssertStatus(Result.FAILURE, job);

        assertEquals(first.substring(first.indexOf('@') + 1), registry.judge("shop/tagged:release"), "the tag did not move");
        r.assertLogContains("already points at " + first.substring(first.indexOf('@') + 1), build);
        assertNull(build.getAction(DeploymentAction.class), "nothing was recorded");
    }

    @Test
    void refusesBadInputBeforeAnythingIsPushed() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "bad");
        copyLayoutInto(job);
        job.setDefinition(new CpsFlowDefinition("node {\n"
                + "  immutableBuild image: '" + registry.host() + "/shop/bad', archive: 'image', dockerfile: 'Dockerfile'\n"
                + "}", true));

        WorkflowRun build = r.buildAndAssertStatus(Result.FAILURE, job);

        r.assertLogContains("archive: cannot be combined with dockerfile", build);
        r.assertLogNotContains("\tat ", build);
        assertNull(registry.judge("shop/bad:latest"));

        job.setDefinition(new CpsFlowDefinition("node { immutableBuild image: '" + registry.host() + "/shop/bad', archive: 'missing.tar' }", true));
        r.assertLogContains("archive: \"missing.tar\" does not exist in the workspace",
                r.buildAndAssertStatus(Result.FAILURE, job));
    }

    @Test
    void buildsWithTheBuilderOnTheAgentAndPushesFromThere(@TempDir Path tools) throws Exception {
        Path archive = OciLayouts.archive(layout, tools.resolve("image.tar"));
        Path calls = tools.resolve("calls.txt");
        Path buildah = tools.resolve("buildah");
        // A stand-in for buildah that records its arguments and "exports" a prepared OCI archive.
        Files.writeString(buildah, "#!/bin/sh\n"
                + "echo \"$@\" >> '" + calls + "'\n"
                + "case \"$1\" in\n"
                + "  version) exit 0 ;;\n"
                + "  bud) exit 0 ;;\n"
                + "  push) cp '" + archive + "' \"${3#oci-archive:}\" ;;\n"
                + "  rmi) exit 0 ;;\n"
                + "  *) exit 2 ;;\n"
                + "esac\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(buildah, PosixFilePermissions.fromString("rwxr-xr-x"));
        EnvVars env = new EnvVars("PATH", tools + ":" + System.getenv("PATH"));
        DumbSlave agent = r.createOnlineSlave(r.jenkins.getLabel("builder"), env);
        WorkflowJob job = r.createProject(WorkflowJob.class, "built");
        job.setDefinition(new CpsFlowDefinition("node('builder') {\n"
                + "  writeFile file: 'Dockerfile', text: 'FROM scratch'\n"
                + "  def img = immutableBuild image: '" + registry.host() + "/shop/built', tag: 'b1', builder: 'buildah',"
                + " buildArgs: [VERSION: '1.4'], platform: 'linux/amd64'\n"
                + "  echo \"built=${img.digest}\"\n"
                + "}", true));

        WorkflowRun build = r.buildAndAssertSuccess(job);

        String digest = registry.judge("shop/built:b1");
        assertNotNull(digest);
        r.assertLogContains("built=" + digest, build);
        r.assertLogContains("Building with buildah", build);
        List<String> invocations = Files.readAllLines(calls);
        assertEquals(4, invocations.size(), String.valueOf(invocations));
        assertEquals("version", invocations.get(0));
        assertTrue(invocations.get(1).startsWith("bud --format oci --platform linux/amd64 --build-arg VERSION=1.4 -t localhost/immutable-build:"),
                invocations.get(1));
        assertTrue(invocations.get(2).startsWith("push localhost/immutable-build:"), invocations.get(2));
        assertTrue(invocations.get(3).startsWith("rmi localhost/immutable-build:"), "the local image is removed: " + invocations);
        FilePath workspace = agent.getWorkspaceFor(job);
        assertNotNull(workspace);
        assertTrue(workspace.sibling(workspace.getName() + "@tmp").list("immutable-build*").length == 0,
                "the temporary archive is gone");
    }
}
