package io.jenkins.plugins.immutabledeployment.canary;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.ImagePresence;
import io.jenkins.plugins.immutabledeployment.kube.PreviewServices;
import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.rollout.Action;
import io.jenkins.plugins.immutabledeployment.rollout.MeasurementTaken;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.testing.kube.ManualClock;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A mock cluster with a stable Deployment {@code shop/api}, a manual clock, a scheduler and runners on them. */
final class RolloutFixture implements AutoCloseable {

    static final String NAMESPACE = "shop";
    static final String NAME = "api";
    static final DeploymentTarget TARGET = new DeploymentTarget(NAMESPACE, NAME, "app");
    static final String REPOSITORY = "registry.example.com/shop/api";
    static final String OLD = image("old");
    static final String NEW = image("new");

    final MockCluster cluster = MockCluster.start();
    final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    static final Duration LEASE = Duration.ofSeconds(30);

    final ScheduledExecutorService scheduler;
    private final ExecutorService measurements = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "test-measurement");
        thread.setDaemon(true);
        return thread;
    });
    private final List<AutoCloseable> closing = new ArrayList<>();

    RolloutFixture(int replicas) {
        this(replicas, Map.of("app", NAME));
    }

    /** With the stable pods labelled {@code podLabels} (e.g. a role label that Services select). */
    RolloutFixture(int replicas, Map<String, String> podLabels) {
        this(replicas, podLabels, 4);
    }

    /** With a shared scheduler of {@code schedulerThreads} threads (a plugin runs a few for all its rollouts). */
    RolloutFixture(int replicas, Map<String, String> podLabels, int schedulerThreads) {
        scheduler = Executors.newScheduledThreadPool(schedulerThreads, r -> {
            Thread thread = new Thread(r, "rollout-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        cluster.createStable(NAMESPACE, NAME, replicas, OLD, podLabels);
    }

    static String image(String seed) {
        return REPOSITORY + "@" + Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
    }

    static RolloutPlan plan(String image, String steps) {
        return PlanParser.fromArguments(image, Map.of("steps", steps));
    }

    static RolloutPlan plan(String image, String steps, Map<String, ?> analysis) {
        return PlanParser.fromArguments(image, Map.of("steps", steps, "analysis", analysis));
    }

    /** Takes a measurement, blocking as long as it likes: the fixture runs it on a thread of its own. */
    @FunctionalInterface
    interface BlockingMeasurer {
        MeasurementTaken take(Action.RunMeasurement request, RolloutPlan plan, Instant takenAt);
    }

    /** A runner as one process would have it, with its own client (closed with the fixture). */
    CanaryRollouts runner(BlockingMeasurer measurer, ImagePresence registry) {
        return runner(cluster.newClient(), measurer, registry);
    }

    /** A runner whose client reaches the API server at {@code masterUrl} (e.g. through a relay that cuts connections). */
    CanaryRollouts runnerThrough(String masterUrl) {
        return runner(cluster.newClient(masterUrl), (request, plan, at) -> {
            throw new AssertionError("no measurement expected");
        }, image -> true);
    }

    private CanaryRollouts runner(KubernetesClient client, BlockingMeasurer measurer, ImagePresence registry) {
        RolloutRun.Measurer onThreads = (request, plan, at) -> CompletableFuture.supplyAsync(() -> measurer.take(request, plan, at),
                measurements);
        CanaryRollouts runner = new CanaryRollouts(client, clock, scheduler, onThreads, registry, LEASE);
        closing.add(client);
        closing.add(runner);
        return runner;
    }

    CanaryRollouts runner() {
        return runner((request, plan, at) -> {
            throw new AssertionError("no measurement expected");
        }, image -> true);
    }

    /** HTTPRoute {@code shop/api} with a rule sending 100% to Service {@code api-stable} and 0% to {@code api-canary}. */
    void createGatewayRoute() {
        cluster.client().resources(HTTPRoute.class).inNamespace(NAMESPACE).resource(new HTTPRouteBuilder()
                .withNewMetadata().withName("api").withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().addNewParentRef().withName("public").endParentRef()
                .addNewRule()
                .addNewBackendRef().withName("api-stable").withPort(80).withWeight(100).endBackendRef()
                .addNewBackendRef().withName("api-canary").withPort(80).withWeight(0).endBackendRef()
                .endRule().endSpec().build()).create();
    }

    /** The weights of the first rule of HTTPRoute {@code shop/api}, stable first. */
    List<Integer> routeWeights() {
        HTTPRoute route = cluster.client().resources(HTTPRoute.class).inNamespace(NAMESPACE).withName("api").get();
        return route.getSpec().getRules().get(0).getBackendRefs().stream().map(HTTPBackendRef::getWeight).toList();
    }

    Deployment stable() {
        return cluster.client().apps().deployments().inNamespace(NAMESPACE).withName(NAME).get();
    }

    String stableImage() {
        return stable().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    boolean canaryPresent() {
        return cluster.client().apps().deployments().inNamespace(NAMESPACE).withName(TARGET.canaryName()).get() != null;
    }

    List<Release> ledger() {
        return new ReleaseLedger(cluster.client()).history(TARGET);
    }

    /** Waits until the handle's status satisfies {@code condition}. */
    RolloutStatus awaitStatus(RolloutHandle handle, String what, Predicate<RolloutStatus> condition) {
        return cluster.await(what, handle::status, condition);
    }

    /** Moves the clock and lets every rollout of {@code runner} look again. */
    void advance(CanaryRollouts runner, Duration duration) {
        clock.advance(duration);
        runner.wakeAll();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        scheduler.shutdownNow();
        measurements.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        cluster.close();
    }

    /** Statuses and progress lines a rollout reported. */
    static final class Recorder implements RolloutListener {
        final List<RolloutStatus> statuses = new CopyOnWriteArrayList<>();
        final List<String> lines = new CopyOnWriteArrayList<>();
        /** Previews heard, each with how many statuses had been heard before it. */
        final List<Map.Entry<PreviewServices.Preview, Integer>> previews = new CopyOnWriteArrayList<>();

        @Override
        public void onStatus(RolloutPlan plan, RolloutStatus status) {
            statuses.add(status);
        }

        @Override
        public void onPreview(PreviewServices.Preview preview) {
            previews.add(Map.entry(preview, statuses.size()));
        }

        @Override
        public void progress(String line) {
            lines.add(line);
        }
    }
}
