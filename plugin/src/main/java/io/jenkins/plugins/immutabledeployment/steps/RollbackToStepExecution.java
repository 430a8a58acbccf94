package io.jenkins.plugins.immutabledeployment.steps;

import hudson.model.Run;
import hudson.model.TaskListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import io.jenkins.plugins.immutabledeployment.actions.ReleaseRecord;
import io.jenkins.plugins.immutabledeployment.canary.Rollbacks;
import io.jenkins.plugins.immutabledeployment.kube.ClusterConnection;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.ImageMissingException;
import io.jenkins.plugins.immutabledeployment.kube.KubeClients;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.kube.RollbackRequest;
import io.jenkins.plugins.immutabledeployment.kube.RollbackResult;
import io.jenkins.plugins.immutabledeployment.kube.RollbackTarget;
import io.jenkins.plugins.immutabledeployment.model.RollbackView;
import io.jenkins.plugins.immutabledeployment.runtime.BuildImagePresence;
import io.jenkins.plugins.immutabledeployment.runtime.ClusterClients;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * {@code rollbackTo}: short and idempotent (rolling back to what already runs changes nothing), so it simply runs
 * on a background thread and, if Jenkins restarts meanwhile, fails as not resumable; wrap it in
 * {@code retry(conditions: [nonresumable()])} to run it again. The engine's {@link Rollbacks} resolves the target
 * in the cluster's ledger, checks the registry, stops a rollout in progress and waits for stable.
 */
final class RollbackToStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

    private static final long serialVersionUID = 1L;

    private final transient RollbackToStep step;

    RollbackToStepExecution(RollbackToStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        TaskListener listener = getContext().get(TaskListener.class);
        try {
            RollbackTarget revision = target(step);
            ClusterConnection cluster = ClusterClients.resolve(run, step.getCluster());
            DeploymentTarget target = DeploymentTarget.of(KubeClients.namespace(step.getNamespace(), cluster), step.getDeployment());
            BuildImagePresence registry = new BuildImagePresence(run);
            if (revision instanceof RollbackTarget.Image explicit && !registry.exists(explicit.image())) {
                throw new ImageMissingException(explicit.image());
            }
            String by = JenkinsUrls.build(run) == null ? run.getExternalizableId() : JenkinsUrls.build(run);
            RollbackResult result;
            try (KubernetesClient client = cluster.get()) {
                result = new Rollbacks(client, registry, Clock.systemUTC(), Background.executor())
                        .start(new RollbackRequest(target, revision, by, RollbackRequest.DEFAULT_TIMEOUT),
                                line -> listener.getLogger().println(line))
                        .join();
            }
            record(run, target, result, by);
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("image", result.image().reference());
            value.put("digest", result.image().digest().toString());
            value.put("replaced", result.replacedImage());
            value.put("deployment", target.deployment());
            value.put("namespace", target.namespace());
            value.put("revision", revision.toString());
            return value;
        } catch (CompletionException e) {
            throw (Exception) BuildLogFailures.forBuildLog(e.getCause() == null ? e : e.getCause());
        } catch (InvalidInputException e) {
            throw (Exception) BuildLogFailures.forBuildLog(e);
        }
    }

    /** {@code image} (explicit) or {@code revision} (from the ledger), not both. */
    static RollbackTarget target(RollbackToStep step) {
        if (step.getImage() == null) {
            return RollbackTarget.parse(step.getRevision());
        }
        if (!RollbackToStep.PREVIOUS.equals(step.getRevision())) {
            throw new InvalidInputException("revision", "cannot be combined with image", "either revision or image");
        }
        return RollbackTarget.image(step.getImage());
    }

    private void record(Run<?, ?> run, DeploymentTarget target, RollbackResult result, String by) throws java.io.IOException {
        DeploymentAction action = DeploymentAction.of(run);
        String replaced = result.replacedImage();
        String fromDigest = replaced != null && replaced.contains("@sha256:") ? replaced.substring(replaced.indexOf('@') + 1) : null;
        action.update(f -> f.withRollback(new RollbackView(target.deployment(), target.namespace(), step.getCluster(), fromDigest,
                result.image().digest().toString(), by, Instant.now(), "rollbackTo")));
        action.addRelease(new ReleaseRecord(step.getCluster(), target.namespace(), target.deployment(), result.image().reference(),
                "rolledBack", true, System.currentTimeMillis()));
    }
}
