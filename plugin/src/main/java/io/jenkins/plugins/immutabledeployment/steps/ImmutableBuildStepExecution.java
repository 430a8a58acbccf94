package io.jenkins.plugins.immutabledeployment.steps;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.slaves.WorkspaceList;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import io.jenkins.plugins.immutabledeployment.build.BuildOptions;
import io.jenkins.plugins.immutabledeployment.build.BuildRequest;
import io.jenkins.plugins.immutabledeployment.build.ImageBuilder;
import io.jenkins.plugins.immutabledeployment.credentials.RegistryAccess;
import io.jenkins.plugins.immutabledeployment.model.ImageView;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * {@code immutableBuild}, on the agent that has the workspace: checks every input with the engine first, takes the
 * archive or runs the builder through the agent's launcher into a temporary directory beside the workspace, then
 * pushes from that agent ({@link PushCallable}) and records the image in the build's facts.
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
        BuildRequest request = BuildRequest.parse(step.parameters());
        refuseWhatCannotBeAttachedYet();
        RegistryAccess registry = RegistryAccess.forImage(run, request.target(), step.getCredentialsId(), "credentialsId");
        FilePath temporary = null;
        try {
            FilePath archive;
            if (request.fromArchive()) {
                archive = workspace.child(request.archive());
                if (!archive.exists()) {
                    throw new InvalidInputException("archive", "\"" + request.archive() + "\" does not exist in the workspace",
                            ImageArchive.ACCEPTED_FORM);
                }
            } else {
                AgentBuild agent = new AgentBuild(context.get(Launcher.class), workspace, context.get(EnvVars.class), listener);
                ImageBuilder builder = agent.choose(request.builder());
                temporary = temporaryDirectory(workspace);
                String seed = run.getExternalizableId() + "#" + context.get(FlowNode.class).getId();
                BuildOptions options = request.options(BuildOptions.localImageFor(seed), temporary.child("image.tar").getRemote());
                agent.build(builder, options);
                archive = temporary.child("image.tar");
            }
            PushOutcome pushed = archive.act(new PushCallable(request.target(), request.tagPolicy(), registry, listener));
            DeploymentAction.of(run).update(facts -> facts.withImage(new ImageView(pushed.repository,
                    pushed.tag == null ? List.of() : List.of(pushed.tag), pushed.digest, pushed.size, Instant.now())));
            if (step.isProvenance()) {
                // TODO(provenance): attach the provenance (BuildContext.provenance + the provenance branch's publisher),
                //  record BuildContext.view in the facts, and return its digest as "provenance".
                listener.getLogger().println("Provenance was not attached: this version of the plugin cannot attach attestations yet.");
            }
            return pushed.stepResult();
        } finally {
            if (temporary != null) {
                temporary.deleteRecursive();
            }
        }
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

    /** Refused, not ignored: a signature or SBOM the user asked for must not silently go missing. */
    private void refuseWhatCannotBeAttachedYet() {
        String accepted = "leave it out: this version of the plugin cannot attach signed attestations or SBOMs yet";
        if (step.getSigningKeyCredentialsId() != null) {
            throw new InvalidInputException("signingKeyCredentialsId", "is not used by this version of the plugin yet", accepted);
        }
        if (step.getSbom() != null) {
            throw new InvalidInputException("sbom", "is not attached by this version of the plugin yet", accepted);
        }
    }
}
