package io.jenkins.plugins.immutabledeployment.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.canary.CanaryRollouts;
import io.jenkins.plugins.immutabledeployment.canary.RolloutHandle;
import io.jenkins.plugins.immutabledeployment.canary.RolloutListener;
import io.jenkins.plugins.immutabledeployment.canary.RolloutRequest;
import io.jenkins.plugins.immutabledeployment.canary.RolloutResult;
import io.jenkins.plugins.immutabledeployment.canary.Rollbacks;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseOutcome;
import io.jenkins.plugins.immutabledeployment.kube.RollbackRequest;
import io.jenkins.plugins.immutabledeployment.kube.RollbackResult;
import io.jenkins.plugins.immutabledeployment.kube.RollbackTarget;
import io.jenkins.plugins.immutabledeployment.metrics.AnalysisMeasurer;
import io.jenkins.plugins.immutabledeployment.metrics.PrometheusOptions;
import io.jenkins.plugins.immutabledeployment.model.RolloutViews;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link MockClusterProcess} launched the way the plugin's tests launch it (their {@code testing/LocalCluster}): a
 * {@code java} process on the classpath file Maven writes, its API server reached through the kubeconfig it writes.
 * Then what the plugin's Kubernetes Pipelines do to it, with the engine classes their steps use, on the real clock:
 * a stable Deployment rolled out by the fake controller, a canary promoted and rolled back, a canary stopped at a
 * manual pause, a canary abandoned (a Jenkins shutdown) and resumed by another runner. And it exits when its input ends.
 */
class MockClusterProcessIT {

    private static final String A = "registry.example.com/shop/api@sha256:" + "aa".repeat(32);
    private static final String B = "registry.example.com/shop/api@sha256:" + "bb".repeat(32);
    private static final String HOLDER = "http://localhost:8080/jenkins/job/release/1/";

    private static LaunchedCluster cluster;
    private static KubernetesClient client;
    private static ScheduledExecutorService scheduler;

    @BeforeAll
    static void launch() throws Exception {
        cluster = LaunchedCluster.start();
        client = cluster.newClient();
        scheduler = Executors.newScheduledThreadPool(4, r -> {
            Thread thread = new Thread(r, "rollouts");
            thread.setDaemon(true);
            return thread;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        scheduler.shutdownNow();
        client.close();
        assertThat(cluster.stop()).as("exit status (1: the fake controller failed)\n%s", cluster.logText()).isZero();
    }

    @Test
    void servesAStableDeploymentTheFakeControllerRollsOut() {
        Deployment stable = createStable(client, "plain", "api", 2, A);

        assertThat(stable.getStatus().getReadyReplicas()).isEqualTo(2);
        List<Pod> pods = client.pods().inNamespace("plain").withLabel("app", "api").list().getItems();
        assertThat(pods).hasSize(2).allSatisfy(pod -> assertThat(pod.getStatus().getContainerStatuses().get(0).getImageID())
                .isEqualTo("docker-pullable://" + A));
    }

    @Test
    void aCanaryPromotedThenRolledBackToThePreviousRelease() {
        String namespace = "release";
        DeploymentTarget target = DeploymentTarget.of(namespace, "api");
        createStable(client, namespace, "api", 2, A);
        new ReleaseLedger(client).append(target, new Release(PinnedImage.parse(A, "image"), "an earlier build", Instant.now(),
                ReleaseOutcome.PROMOTED, null));

        try (CanaryRollouts runner = runner(client)) {
            RolloutResult result = await(runner.start(RolloutRequest.of(target, plan(B, Map.of("setWeight", 50), Map.of("setWeight", 100)),
                    HOLDER), RolloutListener.NONE).completion(), "the rollout");
            assertThat(result.phase()).as(result.reason()).isEqualTo(RolloutPhase.HEALTHY);
        }
        assertThat(stableImage(namespace)).isEqualTo(B);
        assertThat(canary(namespace)).isNull();

        RollbackResult back = await(new Rollbacks(client, image -> true, Clock.systemUTC(), scheduler)
                .start(new RollbackRequest(target, RollbackTarget.parse("previous"), HOLDER, RollbackRequest.DEFAULT_TIMEOUT),
                        Progress.NONE), "the rollback");
        assertThat(back.image().reference()).isEqualTo(A);
        assertThat(back.replacedImage()).isEqualTo(B);
        assertThat(stableImage(namespace)).isEqualTo(A);
    }

    @Test
    void aCanaryCancelledAtAManualPauseLeavesStableUntouched() {
        String namespace = "stopped";
        DeploymentTarget target = DeploymentTarget.of(namespace, "api");
        long generation = createStable(client, namespace, "api", 2, A).getMetadata().getGeneration();

        try (CanaryRollouts runner = runner(client)) {
            RolloutHandle handle = runner.start(RolloutRequest.of(target, manualPausePlan(), HOLDER), RolloutListener.NONE);
            awaitDecisionWanted(client, namespace);
            assertThat(canary(namespace)).isNotNull();

            handle.cancel("the Jenkins build was stopped");

            assertThat(await(handle.completion(), "the abort").phase()).isEqualTo(RolloutPhase.ABORTED);
        }
        assertThat(canary(namespace)).isNull();
        assertThat(stableImage(namespace)).isEqualTo(A);
        assertThat(client.apps().deployments().inNamespace(namespace).withName("api").get().getMetadata().getGeneration())
                .as("stable was never changed").isEqualTo(generation);
    }

    @Test
    void aCanaryAbandonedAtAManualPauseIsResumedByAnotherRunnerAndPromoted() throws IOException {
        String namespace = "restart";
        DeploymentTarget target = DeploymentTarget.of(namespace, "api");
        createStable(client, namespace, "api", 2, A);
        RolloutPlan plan = manualPausePlan();

        try (KubernetesClient before = cluster.newClient(); CanaryRollouts dying = runner(before)) {
            dying.start(RolloutRequest.of(target, plan, HOLDER), RolloutListener.NONE);
            awaitDecisionWanted(client, namespace);
        } // Jenkins shuts down: the runner is closed, the rollout abandoned (its lock and status stay in the cluster)

        try (KubernetesClient after = cluster.newClient(); CanaryRollouts restarted = runner(after)) {
            RolloutHandle resumed = restarted.resume(RolloutRequest.of(target, plan, HOLDER), RolloutListener.NONE);
            assertThat(RolloutViews.awaitsDecision(resumed.status())).as("still on the manual pause").isTrue();

            resumed.promote("alice");

            RolloutResult result = await(resumed.completion(), "the resumed rollout");
            assertThat(result.phase()).as(result.reason()).isEqualTo(RolloutPhase.HEALTHY);
        }
        assertThat(stableImage(namespace)).isEqualTo(B);
        assertThat(canary(namespace)).isNull();
    }

    @Test
    void exitsWhenItsInputEnds() throws Exception {
        LaunchedCluster other = LaunchedCluster.start();
        try (KubernetesClient otherClient = other.newClient()) {
            createStable(otherClient, "short", "api", 1, A);
        }

        assertThat(other.stop()).as(other.logText()).isZero();
        assertThat(other.kubeconfig()).as("its kubeconfig is removed").doesNotExist();
    }

    /** As the plugin's RolloutRuntime makes its runner: real clock, a shared scheduler, Prometheus analysis. */
    private static CanaryRollouts runner(KubernetesClient client) {
        return new CanaryRollouts(client, Clock.systemUTC(), scheduler, AnalysisMeasurer.withOptions(PrometheusOptions.defaults()),
                image -> true);
    }

    /** The plan as canaryRollout hands it over: {@code steps: [[setWeight: 50], [pause: 'manual'], [setWeight: 100]]}. */
    private static RolloutPlan manualPausePlan() {
        return plan(B, Map.of("setWeight", 50), Map.of("pause", "manual"), Map.of("setWeight", 100));
    }

    private static RolloutPlan plan(String image, Map<?, ?>... steps) {
        return PlanParser.fromArguments(image, Map.of("steps", List.of(steps)));
    }

    /**
     * The stable Deployment {@code name} (pods {@code app=name}, one container {@code app}), once the fake controller
     * has rolled it out; as the plugin's {@code LocalCluster.createStable} makes it.
     */
    static Deployment createStable(KubernetesClient client, String namespace, String name, int replicas, String image) {
        client.apps().deployments().inNamespace(namespace).resource(LaunchedCluster.stable(namespace, name, replicas, image)).create();
        return LaunchedCluster.awaitRolledOut(client, namespace, name, replicas);
    }

    /** Waits, on the stable Deployment's status annotation, until its rollout waits for a person. */
    private static void awaitDecisionWanted(KubernetesClient client, String namespace) {
        LaunchedCluster.awaitRolloutStatus(client, DeploymentTarget.of(namespace, "api"), RolloutViews::awaitsDecision);
    }

    private static String stableImage(String namespace) {
        return client.apps().deployments().inNamespace(namespace).withName("api").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static Deployment canary(String namespace) {
        return client.apps().deployments().inNamespace(namespace).withName("api-canary").get();
    }

    private static <T> T await(CompletableFuture<T> future, String what) {
        return MockCluster.await(future, what);
    }
}
