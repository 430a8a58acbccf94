package io.jenkins.plugins.immutabledeployment.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.canary.CanaryRollouts;
import io.jenkins.plugins.immutabledeployment.canary.RolloutHandle;
import io.jenkins.plugins.immutabledeployment.canary.RolloutRequest;
import io.jenkins.plugins.immutabledeployment.canary.RolloutResult;
import io.jenkins.plugins.immutabledeployment.kube.CanaryDeployments;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.KubeClients;
import io.jenkins.plugins.immutabledeployment.metrics.AnalysisMeasurer;
import io.jenkins.plugins.immutabledeployment.metrics.PrometheusOptions;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.testing.PrometheusStack;
import io.jenkins.plugins.immutabledeployment.testing.kube.LaunchedCluster;
import io.jenkins.plugins.immutabledeployment.testing.kube.PodCrash;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Issue 13's figures, measured: how fast a failing canary is turned back to stable (item 1) and what driving 100
 * rollouts at once costs one JVM (item 2). The engine runs here as the plugin runs it (one {@link CanaryRollouts}, a
 * shared scheduler of 4 threads, Prometheus analysis); the Kubernetes stand-in ({@link LaunchedCluster}: the fabric8
 * mock server and the fake controller) and a real Prometheus run in processes of their own, so that the threads, heap
 * and CPU reported are the engine's. Run it with {@code bench/rollouts.sh}; see bench/README.md.
 *
 * <p>Phase "many": {@code rollouts} Deployments across {@code namespaces} namespaces roll out at once with the plan
 * {@code 10, pause, analysis, 50, pause, 100}. While all are paused the API requests, CPU, threads and heap are taken
 * over a quiet window; then one canary pod of every fifth rollout is made to crash (CrashLoopBackOff with a restart,
 * stamped with the time), and every tenth rollout's analysis query answers a failing value. Phase "one": single
 * rollouts one after the other, each crashed at its pause.
 */
public final class RolloutsBench {

    private static final String REPOSITORY = "registry.example.com/bench/api";
    private static final String OLD = REPOSITORY + "@" + Digest.sha256("old".getBytes(StandardCharsets.UTF_8));
    private static final String NEW = REPOSITORY + "@" + Digest.sha256("new".getBytes(StandardCharsets.UTF_8));
    private static final int STABLE_REPLICAS = 3;
    private static final Duration QUIET_START = Duration.ofSeconds(5);

    private final int rollouts;
    private final int namespaces;
    private final int single;
    private final Duration window;
    private final StringBuilder report = new StringBuilder();

    private RolloutsBench(int rollouts, int namespaces, int single, Duration window) {
        this.rollouts = rollouts;
        this.namespaces = namespaces;
        this.single = single;
        this.window = window;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        RolloutsBench bench = new RolloutsBench(Integer.parseInt(options.getOrDefault("rollouts", "100")),
                Integer.parseInt(options.getOrDefault("namespaces", "10")), Integer.parseInt(options.getOrDefault("single", "20")),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("window", "60"))));
        try {
            bench.run();
        } finally {
            System.out.println(bench.report);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        line("rollouts benchmark, " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + String.format(Locale.ROOT, "%.2f", JvmFigures.loadAverage()) + " at start, Java " + System.getProperty("java.version") + ", common pool parallelism "
                + java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
        try (PrometheusStack prometheus = PrometheusStack.start()) {
            LaunchedCluster cluster = LaunchedCluster.start("-Xmx2g");
            try (KubernetesClient control = cluster.newClient()) {
                ApiRequests api = new ApiRequests();
                // As KubeClients makes the plugin's clients, plus the interceptor that counts requests.
                Config config = Config.fromKubeconfig(null, cluster.kubeconfigText(), null);
                ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4, daemon("rollouts"));
                try (KubernetesClient engine = KubeClients.builder(config)
                        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("bench", api)).build();
                        CanaryRollouts runner = new CanaryRollouts(engine, Clock.systemUTC(), scheduler,
                                AnalysisMeasurer.withOptions(PrometheusOptions.defaults()), image -> true)) {
                    many(prometheus, control, api, runner);
                    one(control, api, runner);
                } finally {
                    scheduler.shutdownNow();
                }
            } finally {
                int exit = cluster.stop();
                if (exit != 0) {
                    line("the mock cluster process failed (exit " + exit + "):\n" + cluster.logText());
                }
            }
        }
        line("load average at the end " + String.format(Locale.ROOT, "%.2f", JvmFigures.loadAverage()));
    }

    // ---- phase "many": item 2, and item 1 with that many rollouts ----

    private record Rollout(DeploymentTarget target, RolloutPlan plan, Expect expect, RolloutObserver observer) {}

    private enum Expect { HEALTHY, CRASH, ANALYSIS_FAILS }

    private void many(PrometheusStack prometheus, KubernetesClient control, ApiRequests api, CanaryRollouts runner) throws Exception {
        List<Rollout> all = new ArrayList<>();
        StringBuilder series = new StringBuilder();
        for (int i = 0; i < rollouts; i++) {
            DeploymentTarget target = new DeploymentTarget("team-" + (i % namespaces), "api-" + i, "app");
            Expect expect = i % 5 == 1 ? Expect.CRASH : i % 10 == 3 ? Expect.ANALYSIS_FAILS : Expect.HEALTHY;
            series.append("bench_errors{rollout=\"").append(target.deployment()).append("\"} ")
                    .append(expect == Expect.ANALYSIS_FAILS ? 1 : 0).append('\n');
            RolloutPlan plan = PlanParser.fromArguments(NEW, Map.of(
                    "steps", "10,pause,analysis:errors,50,pause:20s,100",
                    "analysis", Map.of("errors", Map.of("prometheus", prometheus.prometheus().address().toString(),
                            "query", "sum(bench_errors{rollout=\"" + target.deployment() + "\"})", "failIf", "> 0.5",
                            "count", 2, "interval", "10s", "timeout", "5s"))));
            all.add(new Rollout(target, plan, expect, new RolloutObserver()));
        }
        prometheus.pushAndAwait("bench", series.toString(), "count(bench_errors)", String.valueOf(rollouts));
        for (Rollout r : all) {
            createStable(control, r.target());
        }
        for (Rollout r : all) {
            awaitStable(control, r.target());
        }

        // As the plugin starts rollouts: off the caller's thread (its Background pool), several at once. Its threads
        // exist before any rollout, so they count as idle.
        ExecutorService starters = Executors.newFixedThreadPool(4, daemon("starter"));
        ((java.util.concurrent.ThreadPoolExecutor) starters).prestartAllCoreThreads();
        ThreadCensus census = new ThreadCensus();
        double idleHeap = JvmFigures.heapAfterGcMib();
        int idleThreads = JvmFigures.threads();
        Map<String, Integer> idleThreadNames = JvmFigures.threadsByName();
        JvmFigures.resetPeakThreads();
        census.reset();
        double cpuStart = JvmFigures.cpuSeconds();
        long requestsStart = api.sent();
        Instant started = Instant.now();

        List<RolloutHandle> handles = startAll(starters, runner, all);
        starters.shutdown();
        await("every rollout at its first pause", Duration.ofMinutes(3), () -> all.stream().allMatch(r -> pausedAt(r, 1)));
        Instant allPaused = Instant.now();
        Thread.sleep(QUIET_START.toMillis());
        long windowRequests = api.sent();
        double windowCpu = JvmFigures.cpuSeconds();
        Instant windowStart = Instant.now();
        Map<String, Long> kindsBefore = api.byKind();
        Thread.sleep(window.toMillis() / 2);
        double steadyHeap = JvmFigures.heapAfterGcMib();
        int steadyThreads = JvmFigures.threads();
        Map<String, Integer> steadyThreadNames = JvmFigures.threadsByName();
        Thread.sleep(window.toMillis() - window.toMillis() / 2);
        Duration windowLength = Duration.between(windowStart, Instant.now());
        long windowCount = api.sent() - windowRequests;
        double windowCpuUsed = JvmFigures.cpuSeconds() - windowCpu;
        Map<String, Long> kindsAfter = api.byKind();
        boolean stillPaused = all.stream().allMatch(r -> pausedAt(r, 1));

        List<Instant> crashes = new ArrayList<>();
        List<Rollout> crashed = all.stream().filter(r -> r.expect() == Expect.CRASH).toList();
        for (Rollout r : crashed) {
            crashes.add(crash(control, r.target()));
            Thread.sleep(300);
        }
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).expect() != Expect.CRASH) {
                handles.get(i).promote("bench");
            }
        }
        List<RolloutResult> results = new ArrayList<>();
        for (RolloutHandle handle : handles) {
            results.add(handle.completion().get(10, TimeUnit.MINUTES));
        }
        Duration phase = Duration.between(started, Instant.now());
        double cpuUsed = JvmFigures.cpuSeconds() - cpuStart;
        long requests = api.sent() - requestsStart;
        int peakThreads = JvmFigures.peakThreads();
        census.close();

        List<Duration> crashReactions = new ArrayList<>();
        for (int i = 0; i < crashed.size(); i++) {
            DeploymentTarget t = crashed.get(i).target();
            Instant ack = api.firstCanaryWriteAfter(t.namespace(), t.deployment(), crashes.get(i));
            crashReactions.add(ack == null ? null : Duration.between(crashes.get(i), ack));
        }
        List<Duration> analysisReactions = new ArrayList<>();
        List<Duration> lags = new ArrayList<>();
        int correct = 0;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Rollout r = all.get(i);
            lags.addAll(r.observer().lags(r.plan()));
            if (r.expect() == Expect.ANALYSIS_FAILS) {
                Instant failed = r.observer().failedMeasurementAt();
                Instant ack = failed == null ? null : api.firstCanaryWriteAfter(r.target().namespace(), r.target().deployment(), failed);
                analysisReactions.add(ack == null ? null : Duration.between(failed, ack));
            }
            String why = check(control, r, results.get(i));
            if (why == null) {
                correct++;
            } else {
                wrong.add(r.target() + ": " + why);
            }
        }

        line("");
        line("== " + rollouts + " concurrent rollouts in " + namespaces + " namespaces (plan 10, manual pause, analysis x2 every 10s, 50, pause 20s, 100)");
        line("phase took " + secs(phase) + "; all paused " + secs(Duration.between(started, allPaused)) + " after the first start");
        line("item 1, crash → all traffic on stable: " + percentiles(crashReactions) + "   target p99 ≤ 2000 ms");
        line("item 1, failed measurement → all traffic on stable: " + percentiles(analysisReactions) + "   target p99 ≤ 2000 ms");
        line("item 2, threads: idle " + idleThreads + ", steady " + steadyThreads + ", peak " + peakThreads + " → extra "
                + (peakThreads - idleThreads) + " (steady " + (steadyThreads - idleThreads) + ")   target ≤ 10");
        line("item 2, heap after GC: idle " + mib(idleHeap) + ", steady " + mib(steadyHeap) + " (retained by the rollouts "
                + mib(steadyHeap - idleHeap) + ")   target ≤ 200 MiB");
        line("item 2, CPU: " + String.format(Locale.ROOT, "%.1f s over %s (%.1f %% of one core); quiet window %.1f s over %s (%.1f %%)",
                cpuUsed, secs(phase), 100 * cpuUsed / phase.toMillis() * 1000, windowCpuUsed, secs(windowLength),
                100 * windowCpuUsed / windowLength.toMillis() * 1000));
        line("item 2, decision lag (pause ends, measurements): " + percentiles(lags) + ", over 1 s: "
                + lags.stream().filter(l -> l.toMillis() > 1000).count() + "   target every one ≤ 1000 ms");
        double perRolloutMinute = windowCount / (double) rollouts / (windowLength.toMillis() / 60000.0);
        line("item 2, API requests per rollout per minute at steady state (all paused" + (stillPaused ? "" : ", NOT all paused at the end")
                + "): " + String.format(Locale.ROOT, "%.2f", perRolloutMinute) + " (" + windowCount + " requests in " + secs(windowLength)
                + ")   target ≤ 6");
        line("    requests in the window by kind: " + difference(kindsBefore, kindsAfter));
        line("    over the whole phase: " + requests + " requests, " + String.format(Locale.ROOT, "%.1f", requests / (double) rollouts)
                + " per rollout, " + String.format(Locale.ROOT, "%.2f", requests / (double) rollouts / (phase.toMillis() / 60000.0))
                + " per rollout per minute");
        line("item 2, results correct: " + correct + " of " + rollouts + (wrong.isEmpty() ? "" : "; wrong: " + wrong));
        line("    threads at idle by name: " + idleThreadNames);
        line("    threads at steady state by name: " + steadyThreadNames);
        line("    threads at the peak seen (" + census.atPeak().values().stream().mapToInt(Integer::intValue).sum() + ") by name: "
                + census.atPeak());
        line("    most threads of each name at once: " + census.mostByName());
    }

    private static boolean pausedAt(Rollout r, int step) {
        var status = r.observer().last();
        return status != null && status.pause() != null && status.position().stepIndex() == step;
    }

    private static List<RolloutHandle> startAll(ExecutorService starters, CanaryRollouts runner, List<Rollout> all) throws Exception {
        List<Future<RolloutHandle>> futures = new ArrayList<>();
        for (Rollout r : all) {
            futures.add(starters.submit(() -> runner.start(new RolloutRequest(r.target(), r.plan(),
                    "https://jenkins.example.com/job/" + r.target().deployment() + "/1/", null), r.observer())));
        }
        List<RolloutHandle> handles = new ArrayList<>();
        for (Future<RolloutHandle> f : futures) {
            handles.add(f.get());
        }
        return handles;
    }

    /** What the rollout should have ended as; null when it did. */
    private static String check(KubernetesClient control, Rollout r, RolloutResult result) {
        Deployment stable = control.apps().deployments().inNamespace(r.target().namespace()).withName(r.target().deployment()).get();
        String image = stable.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        boolean canaryGone = control.apps().deployments().inNamespace(r.target().namespace())
                .withName(r.target().canaryName()).get() == null;
        String text = result.phase() + " (" + result.reason() + "), stable " + (image.equals(NEW) ? "new" : "old")
                + (canaryGone ? "" : ", canary left");
        boolean ok = switch (r.expect()) {
            case HEALTHY -> result.phase() == RolloutPhase.HEALTHY && image.equals(NEW);
            case CRASH -> result.phase() == RolloutPhase.DEGRADED && result.reason().contains("CrashLoopBackOff") && image.equals(OLD);
            case ANALYSIS_FAILS -> result.phase() == RolloutPhase.DEGRADED && result.reason().contains("analysis 'errors'")
                    && image.equals(OLD);
        };
        return ok && canaryGone ? null : "expected " + r.expect() + ", got " + text;
    }

    // ---- phase "one": item 1 with a single rollout ----

    private void one(KubernetesClient control, ApiRequests api, CanaryRollouts runner) throws Exception {
        List<Duration> reactions = new ArrayList<>();
        int correct = 0;
        for (int i = 0; i < single; i++) {
            DeploymentTarget target = new DeploymentTarget("solo", "solo-" + i, "app");
            RolloutPlan plan = PlanParser.fromArguments(NEW, Map.of("steps", "10,pause:10m,100"));
            Rollout r = new Rollout(target, plan, Expect.CRASH, new RolloutObserver());
            createStable(control, target);
            awaitStable(control, target);
            RolloutHandle handle = runner.start(new RolloutRequest(target, plan, "https://jenkins.example.com/job/solo/" + i + "/", null),
                    r.observer());
            await("solo-" + i + " at its pause", Duration.ofMinutes(1), () -> pausedAt(r, 1));
            Instant crashed = crash(control, target);
            RolloutResult result = handle.completion().get(2, TimeUnit.MINUTES);
            Instant ack = api.firstCanaryWriteAfter(target.namespace(), target.deployment(), crashed);
            reactions.add(ack == null ? null : Duration.between(crashed, ack));
            if (check(control, r, result) == null) {
                correct++;
            }
        }
        line("");
        line("== one rollout at a time, " + single + " times (plan 10, pause, 100; the canary pod crashes at the pause)");
        line("item 1, crash → all traffic on stable: " + percentiles(reactions) + "   target p99 ≤ 2000 ms");
        line("results correct: " + correct + " of " + single);
    }

    // ---- the cluster ----

    private static void createStable(KubernetesClient control, DeploymentTarget target) {
        control.apps().deployments().inNamespace(target.namespace())
                .resource(LaunchedCluster.stable(target.namespace(), target.deployment(), STABLE_REPLICAS, OLD)).create();
    }

    private static void awaitStable(KubernetesClient control, DeploymentTarget target) {
        LaunchedCluster.awaitRolledOut(control, target.namespace(), target.deployment(), STABLE_REPLICAS);
    }

    /** Makes one canary pod of {@code target} crash ({@link PodCrash}); returns the crash's own timestamp. */
    private static Instant crash(KubernetesClient control, DeploymentTarget target) {
        Pod pod = control.pods().inNamespace(target.namespace()).withLabel("app", target.deployment())
                .withLabel(CanaryDeployments.ROLE_LABEL, CanaryDeployments.ROLE_CANARY).list().getItems().get(0);
        return PodCrash.crashLoop(control, pod, "app");
    }

    // ---- reporting ----

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static String percentiles(List<Duration> values) {
        long missing = values.stream().filter(v -> v == null).count();
        List<Long> ms = values.stream().filter(v -> v != null).map(Duration::toMillis).sorted().toList();
        if (ms.isEmpty()) {
            return "no samples" + (missing > 0 ? " (" + missing + " without a router write)" : "");
        }
        return "n=" + ms.size() + " p50 " + at(ms, 0.50) + " ms, p99 " + at(ms, 0.99) + " ms, max " + ms.get(ms.size() - 1) + " ms"
                + (missing > 0 ? " (" + missing + " without a router write)" : "");
    }

    private static long at(List<Long> sorted, double quantile) {
        return sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    private static String difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> diff = new java.util.TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d > 0) {
                diff.put(k, d);
            }
        });
        return diff.toString();
    }

    private static String secs(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String mib(double value) {
        return String.format(Locale.ROOT, "%.1f MiB", value);
    }

    private void line(String text) {
        report.append(text).append('\n');
        System.err.println(text);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
