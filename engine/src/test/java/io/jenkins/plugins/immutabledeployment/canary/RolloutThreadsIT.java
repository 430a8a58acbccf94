package io.jenkins.plugins.immutabledeployment.canary;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.metrics.AnalysisMeasurer;
import io.jenkins.plugins.immutabledeployment.metrics.PrometheusOptions;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.testing.PrometheusServer;
import io.jenkins.plugins.immutabledeployment.testing.kube.LaunchedCluster;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The threads the engine adds while it drives many rollouts at once in one JVM (issue 13: at most
 * {@value #EXTRA_THREADS} over idle): the rollouts' own scheduler, the Kubernetes client's and Prometheus' — counted,
 * not timed. The mock cluster runs in a process of its own ({@link LaunchedCluster}) so that its threads stay out of
 * the count; the analysis queries go to a real Prometheus. The peak comes from the JVM ({@link ThreadMXBean}), so a
 * thread that lives only a moment counts too.
 */
class RolloutThreadsIT {

    private static final int ROLLOUTS = 40;
    private static final int NAMESPACES = 4;
    private static final int EXTRA_THREADS = 10;
    private static final String OLD = RolloutFixture.image("old");
    private static final String NEW = RolloutFixture.image("new");
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void manyConcurrentRolloutsAddAtMostTenThreadsOverIdle(@TempDir Path dir) throws Exception {
        LaunchedCluster cluster = LaunchedCluster.start();
        // As the plugin runs them: a scheduler of 4 threads for every rollout, starts submitted from a pool of its own.
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4, daemon("rollouts"));
        ThreadPoolExecutor starters = (ThreadPoolExecutor) Executors.newFixedThreadPool(4, daemon("starter"));
        starters.prestartAllCoreThreads();
        try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"), List.of());
                KubernetesClient control = cluster.newClient();
                KubernetesClient engine = cluster.newClient();
                CanaryRollouts runner = new CanaryRollouts(engine, Clock.systemUTC(), scheduler,
                        AnalysisMeasurer.withOptions(PrometheusOptions.defaults()), image -> true)) {
            List<DeploymentTarget> targets = new ArrayList<>();
            for (int i = 0; i < ROLLOUTS; i++) {
                DeploymentTarget target = new DeploymentTarget("threads-" + i % NAMESPACES, "api-" + i, "app");
                control.apps().deployments().inNamespace(target.namespace())
                        .resource(LaunchedCluster.stable(target.namespace(), target.deployment(), 2, OLD)).create();
                targets.add(target);
            }
            for (DeploymentTarget target : targets) {
                LaunchedCluster.awaitRolledOut(control, target.namespace(), target.deployment(), 2);
            }
            RolloutPlan plan = PlanParser.fromArguments(NEW, Map.of("steps", "10,analysis:errors,pause",
                    "analysis", Map.of("errors", Map.of("prometheus", prometheus.address().toString(), "query", "vector(0)",
                            "failIf", "> 0.5", "count", 2, "interval", "1s"))));

            int idle = THREADS.getThreadCount();
            Map<String, Integer> idleNames = threadsByName();
            THREADS.resetPeakThreadCount();
            List<Future<RolloutHandle>> starting = new ArrayList<>();
            for (DeploymentTarget target : targets) {
                starting.add(starters.submit(() -> runner.start(RolloutRequest.of(target, plan, "https://jenkins.example.com/job/"
                        + target.deployment() + "/1/"), RolloutListener.NONE)));
            }
            List<RolloutHandle> handles = new ArrayList<>();
            for (Future<RolloutHandle> f : starting) {
                handles.add(f.get());
            }
            awaitAll(handles, "at the pause after its analysis", status -> status.pause() != null && status.position().stepIndex() == 2);
            int steady = THREADS.getThreadCount();
            int peak = THREADS.getPeakThreadCount();
            Map<String, Integer> names = threadsByName();

            assertThat(peak - idle).as("threads over idle at the peak (idle %d, peak %d, steady %d); at idle %s, now %s", idle, peak,
                    steady, idleNames, names).isLessThanOrEqualTo(EXTRA_THREADS);
            assertThat(steady - idle).as("threads over idle with every rollout paused; at idle %s, now %s", idleNames, names)
                    .isLessThanOrEqualTo(EXTRA_THREADS);
        } finally {
            starters.shutdownNow();
            scheduler.shutdownNow();
            assertThat(cluster.stop()).as("exit status of the mock cluster\n%s", cluster.logText()).isZero();
        }
    }

    private static void awaitAll(List<RolloutHandle> handles, String what, java.util.function.Predicate<RolloutStatus> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!handles.stream().allMatch(h -> condition.test(h.status()))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not every rollout is " + what + " after " + DEADLINE + ": "
                        + handles.stream().filter(h -> !condition.test(h.status())).map(h -> h.status().toJson()).limit(3).toList());
            }
            Thread.sleep(50);
        }
    }

    /** Live threads by name with the digits folded ({@code engine-http-#}), to say what a count is made of. */
    private static Map<String, Integer> threadsByName() {
        Map<String, Integer> names = new TreeMap<>();
        for (ThreadInfo info : THREADS.dumpAllThreads(false, false)) {
            names.merge(info.getThreadName().replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        return names;
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
