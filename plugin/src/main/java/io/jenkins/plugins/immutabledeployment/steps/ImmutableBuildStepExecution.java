package io.jenkins.plugins.immutabledeployment.steps;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.slaves.WorkspaceList;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import io.jenkins.plugins.immutabledeployment.attestation.ProvenanceInputs;
import io.jenkins.plugins.immutabledeployment.attestation.Sbom;
import io.jenkins.plugins.immutabledeployment.build.BuildContext;
import io.jenkins.plugins.immutabledeployment.build.BuildOptions;
import io.jenkins.plugins.immutabledeployment.build.BuildProvenance;
import io.jenkins.plugins.immutabledeployment.build.BuildRequest;
import io.jenkins.plugins.immutabledeployment.build.ImageBuilder;
import io.jenkins.plugins.immutabledeployment.build.SecretValues;
import io.jenkins.plugins.immutabledeployment.credentials.RegistryAccess;
import io.jenkins.plugins.immutabledeployment.credentials.SigningKeys;
import io.jenkins.plugins.immutabledeployment.model.ProvenanceView;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.provenance.SigningKey;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * {@code immutableBuild}, on the agent that has the workspace: checks every input with the engine first (the
 * provenance facts included), takes the archive or runs the builder through the agent's launcher into a temporary
 * directory beside the workspace, seals the provenance on the controller, where the signing key stays, for the
 * archive's digest, and pushes from that agent ({@link PushCallable}): image, provenance and SBOM, the tag last. Then
 * it records the push with its provenance in the build's facts, beside any other image the build pushed.
 *
 * <p>Short I/O, so a {@link SynchronousNonBlockingStepExecution}: it does not survive a controller restart (a push
 * is idempotent by digest; wrap it in {@code retry(conditions: [nonresumable()])} to make it again).
 */
final class ImmutableBuildStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

    private static final long serialVersionUID = 1L;

    private final transient ImmutableBuildStep step;

    ImmutableBuildStepExecution(ImmutableBuildStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        try {
            return buildAndPush();
        } catch (RuntimeException e) {
            throw (Exception) BuildLogFailures.forBuildLog(e);
        }
    }

    private Map<String, Object> buildAndPush() throws IOException, InterruptedException {
        StepContext context = getContext();
        Run<?, ?> run = context.get(Run.class);
        FilePath workspace = context.get(FilePath.class);
        TaskListener listener = context.get(TaskListener.class);
        EnvVars env = context.get(EnvVars.class);
        BuildRequest request = BuildRequest.parse(step.parameters());
        SecretValues secrets = secrets(context, env);
        for (String name : secrets.carriedBy(request.buildArgs())) {
            listener.getLogger().println("Warning: buildArgs." + name + " carries a secret value. It is masked in this log and in the"
                    + " provenance, but builders keep build args in the image's history: pass secrets as build secrets instead.");
        }
        RegistryAccess registry = RegistryAccess.forImage(run, request.target(), step.getCredentialsId(), "credentialsId");
        SigningKey key = step.isProvenance() ? SigningKeys.forBuild(run, step.getSigningKeyCredentialsId()) : null;
        if (!step.isProvenance() && step.getSigningKeyCredentialsId() != null) {
            throw new InvalidInputException("signingKeyCredentialsId", "is given with provenance: false, so there is nothing to sign",
                    "signingKeyCredentialsId only with provenance");
        }
        FilePath sbom = sbom(workspace);
        BuildContext build = step.isProvenance() ? JenkinsBuildContext.of(run, workspace, env, listener) : null;
        AgentBuild agent = new AgentBuild(context.get(Launcher.class), workspace, env, secrets, listener);
        FilePath temporary = null;
        try {
            String archive = request.archive();
            ImageBuilder builder = request.fromArchive() ? null : agent.choose(request.builder());
            ProvenanceInputs provenance = build == null ? null : build.inputs(request.redacted(secrets), builder, JenkinsBuildContext.pluginVersion());
            if (provenance != null) {
                BuildProvenance.check(provenance, request.target());
            }
            if (builder != null) {
                temporary = temporaryDirectory(workspace);
                String seed = run.getExternalizableId() + "#" + context.get(FlowNode.class).getId();
                archive = temporary.child("image.tar").getRemote();
                agent.build(builder, request.options(BuildOptions.localImageFor(seed), archive));
            }
            byte[] sealed = null;
            if (provenance != null) {
                // Sealed here, where the key is, for the archive's digest; the agent attaches it before the tag.
                Digest digest = Digest.parse(workspace.act(PushCallable.digestOf(archive)));
                sealed = BuildProvenance.seal(request.target(), digest, provenance, key, Clock.systemUTC()).toJson();
            }
            PushOutcome pushed = workspace.act(new PushCallable(archive, request.target(), request.tagPolicy(), registry,
                    sbom == null ? null : sbom.getRemote(), sealed, listener));
            Instant finished = Instant.now();
            ProvenanceView recorded = pushed.provenance == null ? null
                    : build.view(pushed.provenance, key != null, key == null ? null : key.keyid(), finished);
            DeploymentAction.of(run).update(facts -> facts.withPush(pushed.repository,
                    pushed.tag == null ? List.of() : List.of(pushed.tag), pushed.digest, pushed.size, finished, recorded));
            return pushed.stepResult();
        } finally {
            if (temporary != null) {
                temporary.deleteRecursive();
            }
        }
    }

    /** The values of the variables the enclosing steps (e.g. {@code withCredentials}) marked sensitive. */
    private static SecretValues secrets(StepContext context, EnvVars env) throws IOException, InterruptedException {
        EnvironmentExpander expander = context.get(EnvironmentExpander.class);
        return expander == null ? SecretValues.NONE : SecretValues.of(expander.getSensitiveVariables(), env);
    }

    private FilePath sbom(FilePath workspace) throws IOException, InterruptedException {
        if (step.getSbom() == null) {
            return null;
        }
        FilePath file = workspace.child(step.getSbom());
        if (!file.exists()) {
            throw new InvalidInputException("sbom", "\"" + step.getSbom() + "\" does not exist in the workspace", Sbom.ACCEPTED_FORM);
        }
        return file;
    }

    /** A temporary directory in the workspace's {@code @tmp} sibling, as Jenkins steps use for scratch files. */
    private static FilePath temporaryDirectory(FilePath workspace) throws IOException, InterruptedException {
        FilePath tmp = WorkspaceList.tempDir(workspace);
        if (tmp == null) {
            tmp = workspace.child(".immutable-build-tmp");
        }
        tmp.mkdirs();
        return tmp.createTempDir("immutable-build", "");
    }
}
