package io.jenkins.plugins.immutabledeployment.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.canary.CanaryRollouts;
import io.jenkins.plugins.immutabledeployment.canary.RegistryImagePresence;
import io.jenkins.plugins.immutabledeployment.canary.RolloutHandle;
import io.jenkins.plugins.immutabledeployment.canary.RolloutListener;
import io.jenkins.plugins.immutabledeployment.canary.RolloutRequest;
import io.jenkins.plugins.immutabledeployment.canary.RolloutResult;
import io.jenkins.plugins.immutabledeployment.canary.Traffic;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.metrics.AnalysisMeasurer;
import io.jenkins.plugins.immutabledeployment.metrics.PrometheusOptions;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.promotion.GateResult;
import io.jenkins.plugins.immutabledeployment.promotion.ImageGates;
import io.jenkins.plugins.immutabledeployment.promotion.PromotionGates;
import io.jenkins.plugins.immutabledeployment.rollout.AnalysisSpec;
import io.jenkins.plugins.immutabledeployment.rollout.AnalysisSpecParser;
import io.jenkins.plugins.immutabledeployment.rollout.Durations;
import io.jenkins.plugins.immutabledeployment.rollout.PauseState;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.rollout.Step;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rollout --image REPO@sha256:HEX --deployment NAME --namespace NS …}: a canary rollout, progress on stderr,
 * the result as JSON on stdout; exit 0 Healthy, 1 Degraded or Aborted (or a gate failed: {@code --require-provenance},
 * {@code --require-promoted-to}, checked in the registry before the cluster is touched), 2 bad input. Ctrl-C aborts the rollout
 * (traffic to stable, canary removed) before the process exits. {@code rollout promote|abort} act on a rollout run
 * by another process. {@code --blue-green}: the same engine with the blue/green plan shape (a full-size preview at 0%,
 * the gate given by {@code --steps}, then the switch and the promotion).
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Roll a digest-pinned image out to a Kubernetes Deployment step by step (canary), or blue/green with --blue-green.",
        subcommands = {RolloutCommand.Promote.class, RolloutCommand.Abort.class})
final class RolloutCommand implements java.util.concurrent.Callable<Integer> {

    /** How long Ctrl-C waits for the abort to bring traffic back to stable and remove the canary. */
    static final Duration CANCEL_GRACE = Duration.ofMinutes(2);

    @Spec
    CommandSpec spec;

    @Option(names = "--image", paramLabel = "REPO@sha256:HEX", description = "The image to roll out, pinned by digest.")
    String image;

    @Mixin
    KubeOptions kube;

    @Option(names = "--container", paramLabel = "NAME", description = "The container to update; default the first.")
    String container;

    /** The canary plan when {@code --steps} is not given; a blue/green plan's gate is then a manual pause. */
    static final String DEFAULT_STEPS = "10,50,100";

    @Option(names = "--steps", paramLabel = "STEPS",
            description = "Steps: a weight (10), pause:30s, pause:manual (or pause), analysis:NAME; comma separated."
                    + " Default: " + DEFAULT_STEPS + ". A final 100 is added when missing. With --blue-green: the gate,"
                    + " pauses and analyses only (default pause:manual).")
    String steps;

    @Option(names = "--blue-green",
            description = "Blue/green: the canary at the stable's full replica count with 0%% of the traffic (a preview"
                    + " reachable through the Service that selects the canary pods), the gate of --steps, then 100%% at once"
                    + " and the stable Deployment promoted.")
    boolean blueGreen;

    @Option(names = "--analysis", paramLabel = "FILE.json", description = "Analysis definitions by name (JSON object).")
    Path analysis;

    @Option(names = "--traffic", paramLabel = "replicas|gateway", defaultValue = "replicas",
            description = "How traffic moves: replicas (canary Deployment behind the same Service) or gateway (HTTPRoute weights).")
    String traffic;

    @Option(names = "--http-route", paramLabel = "NAME", description = "With --traffic gateway: the HTTPRoute.")
    String httpRoute;

    @Option(names = "--stable-service", paramLabel = "NAME", description = "With --traffic gateway: the stable Service.")
    String stableService;

    @Option(names = "--canary-service", paramLabel = "NAME", description = "With --traffic gateway: the canary Service.")
    String canaryService;

    @Option(names = "--progress-deadline", paramLabel = "DURATION", defaultValue = "10m",
            description = "Bound on every wait for the cluster. Default: ${DEFAULT-VALUE}.")
    String progressDeadline;

    @Option(names = "--prometheus-token-file", paramLabel = "FILE", description = "A file holding a bearer token for Prometheus.")
    Path prometheusTokenFile;

    @Mixin
    GateOptions gateOptions;

    @Mixin
    RegistryOptions registry;

    @Override
    public Integer call() throws Exception {
        RolloutPlan plan = plan();
        DeploymentTarget target = kube.target(container);
        Traffic route = Traffic.parse(traffic, httpRoute, stableService, canaryService);
        PrometheusOptions prometheus = prometheusOptions();
        PromotionGates gates = gateOptions.gates();
        ImmutableDeploy run = (ImmutableDeploy) spec.root().userObject();
        registry.validate(run);
        Output output = run.output();
        output.running("rollout");
        PrintWriter err = spec.commandLine().getErr();
        ImageRef pinned = ImageRef.parse(plan.image(), "image");
        for (GateResult passed : ImageGates.check(registry.client(pinned), pinned, gates)) {
            err.println(passed.describe());
        }
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon());
        try (KubernetesClient client = kube.client()) {
            CanaryRollouts rollouts = new CanaryRollouts(client, Clock.systemUTC(), scheduler,
                    AnalysisMeasurer.withOptions(prometheus), new RegistryImagePresence(registry::client));
            err.println("Rolling out " + plan.image() + " to " + target + ": " + describe(plan));
            err.flush();
            RolloutHandle handle = rollouts.start(new RolloutRequest(target, plan, KubeOptions.holder(), route),
                    new StderrListener(err, target));
            output.onInterrupt(() -> cancel(handle, err, output));
            RolloutResult result;
            try {
                result = handle.completion().join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            } finally {
                output.onInterrupt(null);
            }
            output.result(result);
            return result.healthy() ? ExitCodes.OK : ExitCodes.FAILED;
        } finally {
            scheduler.shutdownNow();
        }
    }

    private RolloutPlan plan() {
        if (image == null || image.isBlank()) {
            throw new InvalidInputException("image", "is required", "--image REPO@sha256:HEX");
        }
        List<Step> parsedSteps = steps != null ? PlanParser.stepsFromText(steps)
                : blueGreen ? List.of() : PlanParser.stepsFromText(DEFAULT_STEPS);
        Map<String, AnalysisSpec> analyses = analysis == null ? Map.of() : AnalysisSpecParser.fromJson(analysis, "analysis");
        return new RolloutPlan(image, parsedSteps, analyses, Durations.parse(progressDeadline, "progress-deadline"), blueGreen);
    }

    private PrometheusOptions prometheusOptions() {
        if (prometheusTokenFile == null) {
            return PrometheusOptions.defaults();
        }
        try {
            return PrometheusOptions.defaults().withBearerToken(java.nio.file.Files.readString(prometheusTokenFile).strip());
        } catch (java.io.IOException e) {
            throw new InvalidInputException("prometheus-token-file", "cannot read " + prometheusTokenFile, "a file holding the token");
        }
    }

    /** The plan in the words of {@code --steps}: {@code 10, pause:30s, analysis:errors, 100}. */
    private static String describe(RolloutPlan plan) {
        return (plan.blueGreen() ? "blue/green, " : "") + String.join(", ", plan.steps().stream()
                .map(step -> step instanceof Step.SetWeight weight ? String.valueOf(weight.percent()) : step.canonical())
                .toList());
    }

    /** Ctrl-C: abort to stable and wait (bounded) until the canary is gone, print the result, then let the JVM exit. */
    private static void cancel(RolloutHandle handle, PrintWriter err, Output output) {
        if (handle.completion().isDone()) {
            return;
        }
        err.println("Interrupted: aborting the rollout (traffic back to stable, canary removed)…");
        err.flush();
        handle.cancel("interrupted on the command line (Ctrl-C)");
        try {
            RolloutResult result = handle.completion().get(CANCEL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            err.println("Rollout " + result.phase() + ": " + result.reason());
            output.result(result);
        } catch (TimeoutException e) {
            err.println("The abort did not finish within " + Durations.format(CANCEL_GRACE) + "; run the rollout again or"
                    + " roll back to clean up");
        } catch (Exception e) {
            err.println("The abort failed: " + e.getMessage());
        }
        err.flush();
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "rollout");
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Progress on stderr, and how to go on when the rollout waits for a person. */
    private static final class StderrListener implements RolloutListener {

        private final PrintWriter err;
        private final DeploymentTarget target;
        private final AtomicReference<String> toldAbout = new AtomicReference<>();

        StderrListener(PrintWriter err, DeploymentTarget target) {
            this.err = err;
            this.target = target;
        }

        @Override
        public void progress(String line) {
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        }

        @Override
        public void onStatus(RolloutPlan plan, RolloutStatus status) {
            PauseState pause = status.pause();
            if (status.phase() != RolloutPhase.PAUSED || pause == null || pause.reason() == PauseState.Reason.DURATION) {
                return;
            }
            String key = status.position().stepIndex() + "/" + pause.since();
            if (key.equals(toldAbout.getAndSet(key))) {
                return;
            }
            String where = "--deployment " + target.deployment() + " --namespace " + target.namespace();
            progress("Waiting for a decision. From another shell run:\n  immutable-deploy rollout promote " + where
                    + "\n  immutable-deploy rollout abort " + where + " [--reason TEXT]\n(Ctrl-C here aborts the rollout.)");
        }
    }

    /** {@code rollout promote}: ends the pause of a rollout run by another process. */
    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Promote a paused rollout run by another process (ends its pause).")
    static final class Promote extends JsonCommand {

        @Mixin
        KubeOptions kube;

        @Override
        protected Object execute(io.jenkins.plugins.immutabledeployment.Progress progress) {
            DeploymentTarget target = kube.target(null);
            try (KubernetesClient client = kube.client()) {
                io.jenkins.plugins.immutabledeployment.canary.RolloutCommands.send(client, target,
                        io.jenkins.plugins.immutabledeployment.rollout.UserCommand.promote(KubeOptions.who(), Clock.systemUTC().instant()));
            }
            progress.report("Sent promote to the rollout of " + target);
            return Map.of("sent", "promote", "deployment", target.toString());
        }
    }

    /** {@code rollout abort}: stops a rollout run by another process. */
    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Abort a rollout run by another process (traffic back to stable, canary removed).")
    static final class Abort extends JsonCommand {

        @Mixin
        KubeOptions kube;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the record.")
        String reason;

        @Override
        protected Object execute(io.jenkins.plugins.immutabledeployment.Progress progress) {
            DeploymentTarget target = kube.target(null);
            try (KubernetesClient client = kube.client()) {
                io.jenkins.plugins.immutabledeployment.canary.RolloutCommands.send(client, target,
                        io.jenkins.plugins.immutabledeployment.rollout.UserCommand.abort(KubeOptions.who(), Clock.systemUTC().instant(), reason));
            }
            progress.report("Sent abort to the rollout of " + target);
            return Map.of("sent", "abort", "deployment", target.toString());
        }
    }
}
