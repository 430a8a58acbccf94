package io.jenkins.plugins.immutabledeployment.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.TaskListener;
import hudson.scm.NullSCM;
import hudson.scm.SCM;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import io.jenkins.plugins.immutabledeployment.attestation.CheckedAttestation;
import io.jenkins.plugins.immutabledeployment.build.SecretValues;
import io.jenkins.plugins.immutabledeployment.model.ImageView;
import io.jenkins.plugins.immutabledeployment.provenance.SlsaProvenance;
import io.jenkins.plugins.immutabledeployment.testing.Attestations;
import io.jenkins.plugins.immutabledeployment.testing.LocalRegistry;
import io.jenkins.plugins.immutabledeployment.testing.OciLayouts;
import io.jenkins.plugins.immutabledeployment.testing.OpensslKeyPair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.SCMHeadEvent;
import jenkins.scm.api.SCMHeadObserver;
import jenkins.scm.api.SCMRevision;
import jenkins.scm.api.SCMRevisionAction;
import jenkins.scm.api.SCMSource;
import jenkins.scm.api.SCMSourceCriteria;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.stapler.DataBoundConstructor;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** {@code immutableBuild} against the real docker-registry, judged by skopeo. */
@WithJenkins
class ImmutableBuildStepTest {

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    private static final String SHA = "2f22765d04931a078909145ca628d2264c852d7d";

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
    void pushesAnArchiveFromTheWorkspaceWithItsProvenanceAndRecordsBoth() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "shop");
        copyLayoutInto(job);
        job.setDefinition(new CpsFlowDefinition("node {\n"
                + "  def img = withEnv(['GIT_COMMIT=" + SHA + "', 'GIT_URL=https://git.example.com/shop/api.git']) {\n"
                + "    immutableBuild image: '" + registry.host() + "/shop/api', tag: 't1', archive: 'image'\n"
                + "  }\n"
                + "  echo \"pushed=${img.image} digest=${img.digest} repository=${img.repository} tag=${img.tag} size=${img.size}"
                + " provenance=${img.provenance}\"\n"
                + "}", true));

        WorkflowRun build = r.buildAndAssertSuccess(job);

        String digest = registry.judge("shop/api:t1");
        assertNotNull(digest, "skopeo finds the tag");
        String image = registry.host() + "/shop/api@" + digest;
        List<CheckedAttestation> provenance = Attestations.of(image, SlsaProvenance.PREDICATE_TYPE, null);
        assertEquals(1, provenance.size(), "one provenance attached to the digest");
        String attestation = provenance.get(0).referrer().digest().toString();
        r.assertLogContains("pushed=" + image + " digest=" + digest + " repository=" + registry.host() + "/shop/api tag=t1 size=", build);
        r.assertLogContains("provenance=" + attestation, build);
        String log = JenkinsRule.getLog(build);
        assertTrue(log.indexOf("Attached unsigned provenance " + attestation) < log.indexOf("Pushed " + image + " as t1"),
                "the provenance is attached before the tag is written:\n" + log);
        SlsaProvenance predicate = provenance.get(0).statement().predicateAs(SlsaProvenance.class);
        assertEquals(r.getURL() + "job/shop/", predicate.runDetails().builder().id());
        assertEquals(r.getURL() + build.getUrl(), predicate.runDetails().metadata().invocationId());
        assertEquals("shop", predicate.buildDefinition().externalParameters().get("job"));
        assertTrue(predicate.buildDefinition().resolvedDependencies().toString().contains(SHA), "the commit is a dependency");

        ImageView recorded = build.getAction(DeploymentAction.class).getFacts().images().get(0);
        assertEquals(digest, recorded.digest());
        assertEquals(List.of("t1"), recorded.tags());
        assertEquals(attestation, recorded.provenance().attestationDigest());
        assertEquals(false, recorded.provenance().signed(), "no signing key configured");
        assertEquals(SHA, recorded.provenance().sources().get(0).commit());
    }

    @Test
    void recordsEveryImageABuildPushesEachWithItsProvenance() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "monorepo");
        copyLayoutInto(job);
        new FilePath(registry.layout("the web image").toFile()).copyRecursiveTo(r.jenkins.getWorkspaceFor(job).child("web"));
        job.setDefinition(new CpsFlowDefinition("node {\n"
                + "  immutableBuild image: '" + registry.host() + "/shop/api', tag: 'm1', archive: 'image'\n"
                + "  immutableBuild image: '" + registry.host() + "/shop/web', tag: 'm1', archive: 'web'\n"
                + "}", true));

        WorkflowRun build = r.buildAndAssertSuccess(job);

        List<ImageView> images = build.getAction(DeploymentAction.class).getFacts().images();
        assertEquals(List.of("image-1", "image-2"), images.stream().map(ImageView::id).toList());
        assertEquals(List.of(registry.host() + "/shop/api", registry.host() + "/shop/web"),
                images.stream().map(ImageView::repository).toList());
        assertEquals(registry.judge("shop/api:m1"), images.get(0).digest());
        assertEquals(registry.judge("shop/web:m1"), images.get(1).digest());
        assertNotNull(images.get(0).provenance(), "each push its own provenance");
        assertNotNull(images.get(1).provenance());
    }

    @Test
    void namesTheRevisionAMultibranchProjectScheduledTheBuildFor() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "branch");
        copyLayoutInto(job);
        job.setDefinition(new CpsFlowDefinition("node {\n"
                + "  withEnv(['GIT_URL=https://git.example.com/shop/api.git']) {\n"
                + "    immutableBuild image: '" + registry.host() + "/shop/branch', tag: 'b1', archive: 'image'\n"
                + "  }\n"
                + "}", true));
        SCMSource source = new FixedSource();
        SCMRevision revision = new FixedRevision(new SCMHead("feature-x"), SHA);

        WorkflowRun build = r.assertBuildStatusSuccess(job.scheduleBuild2(0, new SCMRevisionAction(source, revision)));

        String image = registry.host() + "/shop/branch@" + registry.judge("shop/branch:b1");
        SlsaProvenance predicate = Attestations.of(image, SlsaProvenance.PREDICATE_TYPE, null).get(0).statement()
                .predicateAs(SlsaProvenance.class);
        assertEquals("git+https://git.example.com/shop/api.git@refs/heads/feature-x",
                predicate.buildDefinition().resolvedDependencies().get(0).uri());
        assertEquals(Map.of("gitCommit", SHA), predicate.buildDefinition().resolvedDependencies().get(0).digest());
        assertEquals(SHA, build.getAction(DeploymentAction.class).getFacts().images().get(0).provenance().sources().get(0).commit());
    }

    @Test
    void pushesTheImageALayoutNamesWhenItHoldsSeveral() throws Exception {
        Path multi = OciLayouts.addImage(registry.layout("the first image"), "second", "the second image");
        WorkflowJob job = r.createProject(WorkflowJob.class, "multi");
        new FilePath(multi.toFile()).copyRecursiveTo(r.jenkins.getWorkspaceFor(job).child("multi"));
        job.setDefinition(new CpsFlowDefinition("node {\n"
                + "  immutableBuild image: '" + registry.host() + "/shop/multi', tag: 'm1', archive: 'multi:second', provenance: false\n"
                + "}", true));

        r.buildAndAssertSuccess(job);

        assertEquals(OciLayouts.digest(multi, "second"), registry.judge("shop/multi:m1"), "the image the ref names, as skopeo reads it");

        job.setDefinition(new CpsFlowDefinition("node {\n"
                + "  immutableBuild image: '" + registry.host() + "/shop/multi', tag: 'm2', archive: 'multi', provenance: false\n"
                + "}", true));
        WorkflowRun refused = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("latest", refused);
        r.assertLogContains("second", refused);
        assertNull(registry.judge("shop/multi:m2"), "nothing pushed without a choice");
    }

    @Test
    void signsTheProvenanceOnTheControllerAndNeverShowsTheKey() throws Exception {
        OpensslKeyPair key = OpensslKeyPair.ecdsaP256();
        key.configureAsSigningKey("release-signing");
        WorkflowJob job = r.createProject(WorkflowJob.class, "signed");
        copyLayoutInto(job);
        job.setDefinition(new CpsFlowDefinition("node {\n"
                + "  writeFile file: 'sbom.json', text: '{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": []}'\n"
                + "  def img = immutableBuild image: '" + registry.host() + "/shop/signed', tag: 's1', archive: 'image', sbom: 'sbom.json'\n"
                + "  echo \"provenance=${img.provenance} sbom=${img.sbom}\"\n"
                + "}", true));

        WorkflowRun build = r.buildAndAssertSuccess(job);

        String image = registry.host() + "/shop/signed@" + registry.judge("shop/signed:s1");
        List<CheckedAttestation> provenance = Attestations.of(image, SlsaProvenance.PREDICATE_TYPE, key.publicPem());
        assertEquals(1, provenance.size());
        assertTrue(provenance.get(0).verified(), "signed with the configured key");
        assertTrue(build.getAction(DeploymentAction.class).getFacts().images().get(0).provenance().signed());
        r.assertLogContains("sbom=sha256:", build);
        r.assertLogNotContains(key.secretFragment(), build);
        String stored = Files.readString(build.getRootDir().toPath().resolve("build.xml"), StandardCharsets.UTF_8);
        assertTrue(!stored.contains(key.secretFragment()), "the key is not in the stored build");
    }

    @Test
    void withoutProvenanceOnlyTheImageIsPushed() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "bare");
        copyLayoutInto(job);
        job.setDefinition(new CpsFlowDefinition("node {\n"
                + "  def img = immutableBuild image: '" + registry.host() + "/shop/bare', archive: 'image', provenance: false\n"
                + "  echo \"provenance=${img.provenance}\"\n"
                + "}", true));

        WorkflowRun build = r.buildAndAssertSuccess(job);

        r.assertLogContains("provenance=null", build);
        String digest = registry.judge("shop/bare@" + build.getAction(DeploymentAction.class).getFacts().images().get(0).digest());
        assertNotNull(digest);
        assertTrue(Attestations.of(registry.host() + "/shop/bare@" + digest, SlsaProvenance.PREDICATE_TYPE, null).isEmpty());
        assertNull(build.getAction(DeploymentAction.class).getFacts().images().get(0).provenance());
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
        r.assertLogContains("tags are immutable by default: tagPolicy: 'overwrite' moves it", build);
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
        Path calls = buildahStandIn(tools);
        DumbSlave agent = agentWith(tools);
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

    @Test
    void aBuildArgCarryingASecretIsMaskedInTheLogAndTheProvenance(@TempDir Path tools) throws Exception {
        String secret = "s3cr3t-build-token";
        Path calls = buildahStandIn(tools);
        agentWith(tools);
        WorkflowJob job = r.createProject(WorkflowJob.class, "secret");
        job.setDefinition(new CpsFlowDefinition("node('builder') {\n"
                + "  writeFile file: 'Dockerfile', text: 'FROM scratch'\n"
                + "  withSensitiveEnv(name: 'TOKEN', value: '" + secret + "') {\n"
                + "    immutableBuild image: '" + registry.host() + "/shop/secret', tag: 's1', builder: 'buildah',"
                + " buildArgs: [VERSION: '1.4', TOKEN: env.TOKEN]\n"
                + "  }\n"
                + "}", true));

        WorkflowRun build = r.buildAndAssertSuccess(job);

        assertTrue(Files.readString(calls).contains("--build-arg TOKEN=" + secret), "the builder gets the value");
        r.assertLogNotContains(secret, build);
        r.assertLogContains("$ buildah bud --format oci --build-arg VERSION=1.4 --build-arg ********", build);
        r.assertLogContains("Warning: buildArgs.TOKEN carries a secret value", build);
        String image = registry.host() + "/shop/secret@" + registry.judge("shop/secret:s1");
        SlsaProvenance predicate = Attestations.of(image, SlsaProvenance.PREDICATE_TYPE, null).get(0).statement()
                .predicateAs(SlsaProvenance.class);
        assertEquals(Map.of("VERSION", "1.4", "TOKEN", SecretValues.MASK), predicate.buildDefinition().externalParameters().get("buildArgs"));
        assertTrue(!predicate.toString().contains(secret), "no secret in the provenance");
    }

    /** A stand-in for buildah in {@code tools} that records its arguments and "exports" a prepared OCI archive. */
    private static Path buildahStandIn(Path tools) throws Exception {
        Path archive = OciLayouts.archive(layout, tools.resolve("image.tar"));
        Path calls = tools.resolve("calls.txt");
        Path buildah = tools.resolve("buildah");
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
        return calls;
    }

    /** A real agent (a separate JVM through remoting) labelled {@code builder}, with {@code tools} first on its PATH. */
    private DumbSlave agentWith(Path tools) throws Exception {
        EnvVars env = new EnvVars("PATH", tools + ":" + System.getenv("PATH"));
        return r.createOnlineSlave(r.jenkins.getLabel("builder"), env);
    }

    /**
     * {@code withSensitiveEnv(name:, value:) { … }}: binds a variable the way {@code withCredentials} does (an
     * {@link EnvironmentExpander} that names it sensitive), without the credentials-binding plugin.
     */
    public static final class SensitiveEnvStep extends Step {
        private final String name;
        private final String value;

        @DataBoundConstructor
        public SensitiveEnvStep(String name, String value) {
            this.name = name;
            this.value = value;
        }

        public String getName() {
            return name;
        }

        public String getValue() {
            return value;
        }

        @Override
        public StepExecution start(StepContext context) {
            return new SensitiveEnvExecution(context, name, value);
        }

        @TestExtension("aBuildArgCarryingASecretIsMaskedInTheLogAndTheProvenance")
        public static final class DescriptorImpl extends StepDescriptor {
            @Override
            public String getFunctionName() {
                return "withSensitiveEnv";
            }

            @Override
            public boolean takesImplicitBlockArgument() {
                return true;
            }

            @Override
            public Set<? extends Class<?>> getRequiredContext() {
                return Set.of();
            }
        }
    }

    private static final class SensitiveEnvExecution extends StepExecution {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final String value;

        SensitiveEnvExecution(StepContext context, String name, String value) {
            super(context);
            this.name = name;
            this.value = value;
        }

        @Override
        public boolean start() throws Exception {
            getContext().newBodyInvoker()
                    .withContext(EnvironmentExpander.merge(getContext().get(EnvironmentExpander.class), new SensitiveExpander(name, value)))
                    .withCallback(BodyExecutionCallback.wrap(getContext()))
                    .start();
            return false;
        }
    }

    private static final class SensitiveExpander extends EnvironmentExpander {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final String value;

        SensitiveExpander(String name, String value) {
            this.name = name;
            this.value = value;
        }

        @Override
        public void expand(EnvVars env) {
            env.override(name, value);
        }

        @Override
        public Set<String> getSensitiveVariables() {
            return Set.of(name);
        }
    }

    /** An SCM source as a multibranch project has one; only its id matters here. */
    private static final class FixedSource extends SCMSource {
        FixedSource() {
            setId("fixed-source");
        }

        @Override
        protected void retrieve(SCMSourceCriteria criteria, SCMHeadObserver observer, SCMHeadEvent<?> event, TaskListener listener) {}

        @Override
        public SCM build(SCMHead head, SCMRevision revision) {
            return new NullSCM();
        }
    }

    /** A revision that prints as its commit id, as Git's does. */
    private static final class FixedRevision extends SCMRevision {
        private static final long serialVersionUID = 1L;
        private final String hash;

        FixedRevision(SCMHead head, String hash) {
            super(head);
            this.hash = hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FixedRevision other && other.hash.equals(hash) && other.getHead().equals(getHead());
        }

        @Override
        public int hashCode() {
            return hash.hashCode();
        }

        @Override
        public String toString() {
            return hash;
        }
    }
}
