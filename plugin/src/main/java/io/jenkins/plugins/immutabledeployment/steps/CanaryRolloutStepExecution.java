package io.jenkins.plugins.immutabledeployment.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import io.jenkins.plugins.immutabledeployment.actions.ReleaseRecord;
import io.jenkins.plugins.immutabledeployment.canary.CanaryRollouts;
import io.jenkins.plugins.immutabledeployment.canary.RolloutHandle;
import io.jenkins.plugins.immutabledeployment.canary.RolloutAbandonedException;
import io.jenkins.plugins.immutabledeployment.canary.RolloutListener;
import io.jenkins.plugins.immutabledeployment.canary.RolloutRequest;
import io.jenkins.plugins.immutabledeployment.canary.RolloutResult;
import io.jenkins.plugins.immutabledeployment.canary.Traffic;
import io.jenkins.plugins.immutabledeployment.config.ImmutableDeploymentConfiguration;
import io.jenkins.plugins.immutabledeployment.credentials.RegistryAccess;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.kube.PreviewServices;
import io.jenkins.plugins.immutabledeployment.model.RolloutViews;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.promotion.GateResult;
import io.jenkins.plugins.immutabledeployment.promotion.ImageGates;
import io.jenkins.plugins.immutabledeployment.promotion.PromotionGates;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import io.jenkins.plugins.immutabledeployment.rollout.AnalysisSpecParser;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.runtime.BuildImagePresence;
import io.jenkins.plugins.immutabledeployment.kube.ClusterConnection;
import io.jenkins.plugins.immutabledeployment.kube.KubeClients;
import io.jenkins.plugins.immutabledeployment.runtime.ClusterClients;
import io.jenkins.plugins.immutabledeployment.runtime.RolloutRuntime;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * {@code canaryRollout}. Holds no executor and no thread while the rollout runs: the engine's {@link CanaryRollouts}
 * drives it on a shared scheduler ({@link RolloutRuntime}), and its completion completes this step. The execution
 * keeps only a {@link RolloutCursor}; where the rollout stands is in the Deployment's status annotation, from which
 * {@link #onResume()} picks it up after a restart. {@link #stop} (the build was aborted) aborts it back to stable.
 */
public final class CanaryRolloutStepExecution extends AbstractStepExecutionImpl {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(CanaryRolloutStepExecution.class.getName());

    private final transient CanaryRolloutStep step;
    private RolloutCursor cursor;
    /** Checked once, before the rollout starts; a resumed rollout has passed them. */
    private transient PromotionGates gates;
    private transient volatile RolloutHandle handle;
    private transient volatile Throwable stoppedBy;
    /** A blue/green rollout's preview as checked when it started or resumed; null for a canary or until then. */
    private transient volatile PreviewServices.Preview preview;

    CanaryRolloutStepExecution(CanaryRolloutStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = run();
        ClusterConnection client;
        try {
            gates = gates(step);
            PinnedImage image = PinnedImage.parse(step.getImage(), "image");
            Map<String, Object> arguments = planArguments(step);
            RolloutPlan plan = PlanParser.fromArguments(image.reference(), arguments);
            Traffic.parse(step.getTraffic(), step.getHttpRoute(), step.getStableService(), step.getCanaryService());
            client = ClusterClients.resolve(run, step.getCluster());
            String namespace = KubeClients.namespace(step.getNamespace(), client);
            DeploymentTarget target = new DeploymentTarget(namespace, step.getDeployment(), step.getContainer());
            String holder = JenkinsUrls.build(run) == null ? run.getExternalizableId() : JenkinsUrls.build(run);
            cursor = new RolloutCursor("rollout-" + getContext().get(FlowNode.class).getId(), holder, step.getCluster(), target,
                    plan, arguments, step);
            RolloutRuntime.get().registerRegistry(image, new BuildImagePresence(run));
        } catch (InvalidInputException e) {
            throw (Exception) BuildLogFailures.forBuildLog(e);
        }
        // Starting checks the registry and takes the lock: network work, kept off the Pipeline's thread.
        Background.submit(() -> launch(client, false));
        return false;
    }

    @Override
    public void onResume() {
        try {
            Run<?, ?> run = run();
            ClusterConnection client = ClusterClients.resolve(run, cursor.cluster);
            RolloutRuntime.get().registerRegistry(PinnedImage.parse(cursor.image, "image"), new BuildImagePresence(run));
            Background.submit(() -> launch(client, true));
        } catch (Throwable t) {
            getContext().onFailure(BuildLogFailures.forBuildLog(t));
        }
    }

    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        stoppedBy = cause;
        RolloutHandle h = handle;
        if (h == null) {
            getContext().onFailure(cause); // not started yet: launch() sees stoppedBy and starts nothing
            return;
        }
        log("The build was stopped: aborting the rollout of " + cursor.target() + " back to stable");
        h.cancel("the Jenkins build was stopped (" + cause + ")");
        h.completion().whenComplete((result, failure) -> getContext().onFailure(cause));
    }

    @Override
    public String getStatus() {
        RolloutHandle h = handle;
        if (h == null) {
            return cursor == null ? "starting" : "starting the rollout of " + cursor.target();
        }
        return cursor.target() + ": " + RolloutViews.statusLine(h.plan(), h.status(), preview);
    }

    private void launch(ClusterConnection client, boolean resuming) {
        if (stoppedBy != null && !resuming) {
            return; // nothing started; a rollout left running by a restart is resumed below only to be aborted
        }
        try {
            Run<?, ?> run = run();
            if (!resuming) {
                checkGates(run);
            }
            CanaryRollouts rollouts = RolloutRuntime.get().rollouts(cursor.clusterKey(), client);
            RolloutRequest request = new RolloutRequest(cursor.target(), cursor.plan(), cursor.holder, cursor.trafficSettings());
            RolloutListener listener = new BuildListener(run);
            RolloutHandle started = resuming ? rollouts.resume(request, listener) : rollouts.start(request, listener);
            handle = started;
            String shape = request.plan().blueGreen() ? "blue/green" : "canary";
            log((resuming ? "Resumed" : "Started") + " the " + shape + " rollout of " + cursor.image + " on " + cursor.target()
                    + "; Promote / Abort on " + JenkinsUrls.deploymentPage(run) + " when it waits for a person");
            if (stoppedBy != null) { // stopped while starting or resuming
                started.cancel("the Jenkins build was stopped (" + stoppedBy + ")");
            }
            started.completion().whenComplete((result, failure) -> finish(run, result, failure));
        } catch (Throwable t) {
            if (stoppedBy == null) {
                getContext().onFailure(BuildLogFailures.forBuildLog(t));
            }
        }
    }

    private void finish(Run<?, ?> run, RolloutResult result, Throwable failure) {
        if (stoppedBy != null) {
            return; // stop() completes the step
        }
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof RolloutAbandonedException) {
                // Jenkins is shutting down: the step stays unfinished and onResume() picks the rollout up after the restart.
                log("Jenkins is shutting down: the rollout of " + cursor.target() + " continues after the restart");
                return;
            }
            getContext().onFailure(BuildLogFailures.forBuildLog(cause));
            return;
        }
        record(run, result);
        if (result.healthy()) {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("outcome", result.phase().name().toLowerCase(java.util.Locale.ROOT));
            value.put("phase", result.phase().name());
            value.put("image", result.image());
            value.put("digest", result.digest());
            value.put("deployment", cursor.deployment);
            value.put("namespace", cursor.namespace);
            value.put("steps", result.steps());
            value.put("weight", result.weight());
            value.put("reason", result.reason());
            getContext().onSuccess(value);
        } else {
            getContext().onFailure(new AbortException("The canary rollout of " + result.image() + " on " + cursor.target()
                    + " ended " + result.phase() + " at canary weight " + result.weight() + "%: " + result.reason()
                    + "; the stable Deployment still runs the previous image"));
        }
    }

    private void record(Run<?, ?> run, RolloutResult result) {
        Timer.get().submit(() -> {
            try {
                DeploymentAction.of(run).addRelease(new ReleaseRecord(cursor.cluster, cursor.namespace, cursor.deployment,
                        result.image(), result.healthy() ? "promoted" : result.phase().name().toLowerCase(java.util.Locale.ROOT), result.healthy(),
                        System.currentTimeMillis()));
            } catch (IOException | RuntimeException e) {
                LOGGER.log(Level.WARNING, "could not record the outcome of " + cursor.rolloutId + " in " + run, e);
            }
        });
    }

    /** The promotion gates asked of the rollout; a bad public key or stage is refused here, before anything runs. */
    static PromotionGates gates(CanaryRolloutStep step) {
        return new PromotionGates(step.isRequireProvenance(), step.getRequirePromotedTo(),
                step.getPublicKey() == null ? null : VerificationKey.fromPem(step.getPublicKey(), "publicKey"));
    }

    /** The gates against the image's registry, before anything in the cluster changes; a failed gate fails the step. */
    private void checkGates(Run<?, ?> run) throws IOException {
        if (gates == null || !gates.any()) {
            return;
        }
        ImageRef image = ImageRef.parse(cursor.image, "image");
        List<GateResult> passed = RegistryAccess.forImage(run, image, null, "image")
                .withClient(client -> ImageGates.check(client, image, gates));
        passed.forEach(g -> log(g.describe()));
    }

    /**
     * The plan as the engine's {@code PlanParser} reads it, analyses without a {@code prometheus} of their own taking
     * the configured default Prometheus URL; the engine refuses what does not make sense together
     * (e.g. {@code blueGreen} with {@code weights}). A blue/green plan without {@code steps} gets the engine's default
     * gate (a manual pause), never the global default canary plan.
     */
    static Map<String, Object> planArguments(CanaryRolloutStep step) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        putIfSet(arguments, "steps", step.getSteps());
        putIfSet(arguments, "weights", step.getWeights());
        putIfSet(arguments, "interval", step.getInterval());
        if (step.getAnalysis() != null) {
            arguments.put("analysis", AnalysisSpecParser.withDefaultPrometheus(step.getAnalysis(),
                    ImmutableDeploymentConfiguration.get().getDefaultPrometheusUrl(), "defaultPrometheusUrl of the global configuration"));
        }
        putIfSet(arguments, "progressDeadline", step.getProgressDeadline());
        if (step.isBlueGreen()) {
            arguments.put("blueGreen", true);
        } else if (step.getSteps() == null && step.getWeights() == null) {
            putIfSet(arguments, "steps", ImmutableDeploymentConfiguration.get().getDefaultCanaryPlan());
        }
        return arguments;
    }

    private static void putIfSet(Map<String, Object> arguments, String key, Object value) {
        if (value != null) {
            arguments.put(key, value);
        }
    }

    private void log(String line) {
        try {
            getContext().get(TaskListener.class).getLogger().println(line);
        } catch (IOException | InterruptedException e) {
            LOGGER.log(Level.FINE, "no build log for " + cursor.rolloutId, e);
        }
    }

    private Run<?, ?> run() throws IOException, InterruptedException {
        return getContext().get(Run.class);
    }

    /** Progress to the build log; every saved status to the build page, saved on a Timer thread (never blocking the runner). */
    private final class BuildListener implements RolloutListener {
        private final Run<?, ?> run;
        private CompletableFuture<Void> shown = CompletableFuture.completedFuture(null);

        BuildListener(Run<?, ?> run) {
            this.run = run;
        }

        @Override
        public void progress(String line) {
            log(line);
        }

        @Override
        public void onPreview(PreviewServices.Preview checked) {
            preview = checked;
        }

        /** Chained, so the page never goes back to an older status when Timer threads overtake each other. */
        @Override
        public void onStatus(RolloutPlan plan, RolloutStatus status) {
            shown = shown.thenRunAsync(() -> {
                try {
                    DeploymentAction.of(run).update(f -> f.withRollout(
                            RolloutViews.of(cursor.rolloutId, cursor.target(), cursor.cluster, plan, status, preview)));
                } catch (IOException | RuntimeException e) {
                    LOGGER.log(Level.WARNING, "could not show the status of " + cursor.rolloutId + " on " + run, e);
                }
            }, Timer.get());
        }
    }
}
