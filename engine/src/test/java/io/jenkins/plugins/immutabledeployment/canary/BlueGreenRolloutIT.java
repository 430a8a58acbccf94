package io.jenkins.plugins.immutabledeployment.canary;

import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.NAMESPACE;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.NEW;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.OLD;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.kube.CanaryDeployments;
import io.jenkins.plugins.immutabledeployment.kube.PreviewServices;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseOutcome;
import io.jenkins.plugins.immutabledeployment.model.RolloutViews;
import io.jenkins.plugins.immutabledeployment.rollout.MeasurementTaken;
import io.jenkins.plugins.immutabledeployment.rollout.PauseState;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import io.jenkins.plugins.immutabledeployment.testing.kube.PodBehaviour;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Blue/green rollouts end to end on the mock cluster with the fake controller: the full-size preview outside the
 * stable Service, the gate, the switch and the promotion; time through the manual clock.
 */
class BlueGreenRolloutIT {

    private static final String BUILD = "https://jenkins.example.com/job/api/42/";
    private static final String ROLE = CanaryDeployments.ROLE_LABEL;
    private static final Map<String, String> STABLE_POD = Map.of("app", "api", ROLE, "stable");
    private static final Map<String, String> CANARY_POD = Map.of("app", "api", ROLE, "canary");

    private RolloutFixture fixture;

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    /** Four stable pods labelled role: stable; Service api selects them, api-canary the canary pods. */
    private void blueGreenCluster() {
        fixture = new RolloutFixture(4, STABLE_POD);
        fixture.cluster.createService(NAMESPACE, "api", STABLE_POD);
        fixture.cluster.createService(NAMESPACE, "api-canary", CANARY_POD);
    }

    private static RolloutPlan blueGreen(String gate, Map<String, ?> analysis) {
        Map<String, Object> arguments = new HashMap<>(Map.of("blueGreen", true, "steps", gate));
        if (analysis != null) {
            arguments.put("analysis", analysis);
        }
        return PlanParser.fromArguments(NEW, arguments);
    }

    private List<Pod> pods(Map<String, String> selector) {
        return fixture.cluster.client().pods().inNamespace(NAMESPACE).withLabels(selector).list().getItems();
    }

    private static String image(Pod pod) {
        return pod.getSpec().getContainers().get(0).getImage();
    }

    private Deployment canary() {
        return fixture.cluster.client().apps().deployments().inNamespace(NAMESPACE).withName(TARGET.canaryName()).get();
    }

    @Test
    void manualGatePromotedSwitchesAndReplacesTheStablePods() {
        blueGreenCluster();
        long stableGeneration = fixture.stable().getMetadata().getGeneration();
        RolloutFixture.Recorder recorder = new RolloutFixture.Recorder();
        RolloutHandle handle = fixture.runner().start(RolloutRequest.of(TARGET, blueGreen("pause:manual", null), BUILD), recorder);

        RolloutStatus paused = fixture.awaitStatus(handle, "the gate", s -> s.phase() == RolloutPhase.PAUSED);

        assertThat(paused.pause().reason()).isEqualTo(PauseState.Reason.MANUAL);
        assertThat(paused.weight()).isZero();
        assertThat(canary().getSpec().getReplicas()).as("the preview runs the stable's full replica count").isEqualTo(4);
        assertThat(pods(CANARY_POD)).hasSize(4).allSatisfy(pod -> assertThat(image(pod)).isEqualTo(NEW));
        assertThat(pods(STABLE_POD)).as("what the stable Service selects: the old pods only")
                .hasSize(4).allSatisfy(pod -> assertThat(image(pod)).isEqualTo(OLD));
        assertThat(fixture.stable().getMetadata().getGeneration()).isEqualTo(stableGeneration);
        assertThat(recorder.lines).anyMatch(line -> line.contains("through Service api-canary"));
        assertThat(recorder.previews).as("the preview, told before the first status").containsExactly(
                Map.entry(new PreviewServices.Preview(List.of("api-canary"), 4), 0));
        assertThat(RolloutViews.of("rollout-1", TARGET, null, handle.plan(), paused, recorder.previews.get(0).getKey()).message())
                .startsWith("waiting for a decision with the preview at 0% traffic");

        handle.promote("alice");

        RolloutResult result = MockCluster.await(handle.completion(), "the rollout");
        assertThat(result.phase()).as(result.reason()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(result.weight()).isEqualTo(100);
        assertThat(fixture.stableImage()).isEqualTo(NEW);
        assertThat(fixture.canaryPresent()).isFalse();
        fixture.cluster.awaitPods(NAMESPACE, CANARY_POD, List::isEmpty);
        List<Pod> stablePods = fixture.cluster.awaitPods(NAMESPACE, STABLE_POD,
                pods -> pods.size() == 4 && pods.stream().allMatch(pod -> NEW.equals(image(pod))));
        assertThat(stablePods).noneMatch(pod -> OLD.equals(image(pod)));
        assertThat(fixture.ledger()).first().satisfies(release -> {
            assertThat(release.image().reference()).isEqualTo(NEW);
            assertThat(release.outcome()).isEqualTo(ReleaseOutcome.PROMOTED);
        });
    }

    @Test
    void failingAnalysisGateAbortsWithStableUntouched() {
        blueGreenCluster();
        long stableGeneration = fixture.stable().getMetadata().getGeneration();
        AtomicInteger calls = new AtomicInteger();
        List<Double> values = List.of(0.1, 0.9);
        CanaryRollouts runner = fixture.runner((request, plan, at) -> new MeasurementTaken(request,
                plan.analysis(request.analysis()).judge(at, List.of(values.get(calls.getAndIncrement())))), image -> true);
        RolloutPlan plan = blueGreen("analysis:errors", Map.of("errors", Map.of("prometheus", "http://127.0.0.1:9",
                "query", "up", "failIf", "> 0.5", "interval", "1m", "count", 3)));
        RolloutHandle handle = runner.start(RolloutRequest.of(TARGET, plan, BUILD), RolloutListener.NONE);
        fixture.awaitStatus(handle, "the first measurement", s -> s.analysisRunAt(1) != null && s.analysisRunAt(1).taken() == 1);
        assertThat(pods(CANARY_POD)).hasSize(4);

        fixture.advance(runner, Duration.ofMinutes(1));

        RolloutResult result = MockCluster.await(handle.completion(), "the aborted rollout");
        assertThat(result.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(result.reason()).contains("analysis 'errors'");
        assertThat(calls).hasValue(2);
        assertThat(fixture.stableImage()).isEqualTo(OLD);
        assertThat(fixture.stable().getMetadata().getGeneration()).isEqualTo(stableGeneration);
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(pods(STABLE_POD)).hasSize(4).allSatisfy(pod -> assertThat(image(pod)).isEqualTo(OLD));
        assertThat(fixture.ledger()).first().extracting(r -> r.outcome()).isEqualTo(ReleaseOutcome.ABORTED);
    }

    @Test
    void crashLoopingPreviewAbortsWithTheReason() {
        blueGreenCluster();
        fixture.cluster.controller().behave(NEW, PodBehaviour.CRASH_LOOP);

        RolloutResult result = MockCluster.await(fixture.runner()
                .start(RolloutRequest.of(TARGET, blueGreen("pause", null), BUILD), RolloutListener.NONE).completion(), "the rollout");

        assertThat(result.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(result.reason()).contains("CrashLoopBackOff").contains("api-canary");
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.stableImage()).isEqualTo(OLD);
    }

    /** Only the pod changes (no Deployment event, no timer at a manual gate): the runner must be watching the canary pods. */
    @Test
    void previewPodRestartingAtTheGateAborts() {
        blueGreenCluster();
        RolloutHandle handle = fixture.runner().start(RolloutRequest.of(TARGET, blueGreen("pause", null), BUILD), RolloutListener.NONE);
        fixture.awaitStatus(handle, "the gate", s -> s.phase() == RolloutPhase.PAUSED);

        Pod pod = pods(CANARY_POD).get(0);
        pod.getStatus().getContainerStatuses().get(0).setRestartCount(1);
        fixture.cluster.client().pods().inNamespace(NAMESPACE).resource(pod).update();

        RolloutResult result = MockCluster.await(handle.completion(), "the aborted rollout");
        assertThat(result.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(result.reason()).contains(pod.getMetadata().getName()).contains("Restarted");
        assertThat(fixture.stableImage()).isEqualTo(OLD);
    }

    @Test
    void timedGateSwitchesWhenTheClockPassesIt() {
        blueGreenCluster();
        CanaryRollouts runner = fixture.runner();
        RolloutHandle handle = runner.start(RolloutRequest.of(TARGET, blueGreen("pause:10m", null), BUILD), RolloutListener.NONE);
        fixture.awaitStatus(handle, "the timed gate", s -> s.phase() == RolloutPhase.PAUSED);
        fixture.advance(runner, Duration.ofMinutes(9));
        assertThat(handle.status().phase()).isEqualTo(RolloutPhase.PAUSED);
        assertThat(fixture.stableImage()).isEqualTo(OLD);

        fixture.advance(runner, Duration.ofMinutes(2));

        assertThat(MockCluster.await(handle.completion(), "the rollout").phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(fixture.stableImage()).isEqualTo(NEW);
        assertThat(fixture.canaryPresent()).isFalse();
    }

    @Test
    void abortAtTheGateRemovesThePreview() {
        blueGreenCluster();
        RolloutHandle handle = fixture.runner().start(RolloutRequest.of(TARGET, blueGreen("pause", null), BUILD), RolloutListener.NONE);
        fixture.awaitStatus(handle, "the gate", s -> s.phase() == RolloutPhase.PAUSED);

        handle.abort("bob", "the preview looks wrong");

        RolloutResult result = MockCluster.await(handle.completion(), "the abort");
        assertThat(result.phase()).isEqualTo(RolloutPhase.ABORTED);
        assertThat(fixture.canaryPresent()).isFalse();
        fixture.cluster.awaitPods(NAMESPACE, CANARY_POD, List::isEmpty);
        assertThat(fixture.stableImage()).isEqualTo(OLD);
    }

    @Test
    void serviceThatWouldSendTrafficToThePreviewIsRefusedBeforeTheClusterChanges() {
        fixture = new RolloutFixture(4);
        fixture.cluster.createService(NAMESPACE, "api", Map.of("app", "api"));
        fixture.cluster.createService(NAMESPACE, "api-canary", CANARY_POD);
        String before = fixture.stable().getMetadata().getResourceVersion();

        assertThatThrownBy(() -> fixture.runner().start(RolloutRequest.of(TARGET, blueGreen("pause", null), BUILD), RolloutListener.NONE))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("Service shop/api selects the stable pods")
                .hasMessageContaining(ROLE + ": stable");

        assertThat(fixture.stable().getMetadata().getResourceVersion()).isEqualTo(before);
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.cluster.client().leases().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void previewWithoutAServiceToReachItIsRefused() {
        fixture = new RolloutFixture(4, STABLE_POD);
        fixture.cluster.createService(NAMESPACE, "api", STABLE_POD);

        assertThatThrownBy(() -> fixture.runner().start(RolloutRequest.of(TARGET, blueGreen("pause", null), BUILD), RolloutListener.NONE))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("no Service in namespace shop selects the canary pods");
        assertThat(fixture.canaryPresent()).isFalse();
    }

    @Test
    void gatewayPreviewIsAtWeightZeroAndTheSwitchMovesTheRouteAtOnce() {
        fixture = new RolloutFixture(4, STABLE_POD);
        fixture.cluster.createService(NAMESPACE, "api-stable", STABLE_POD);
        fixture.cluster.createService(NAMESPACE, "api-canary", CANARY_POD);
        fixture.createGatewayRoute();
        RolloutFixture.Recorder recorder = new RolloutFixture.Recorder();
        RolloutHandle handle = fixture.runner().start(new RolloutRequest(TARGET, blueGreen("pause", null), BUILD,
                Traffic.gateway("api", "api-stable", "api-canary")), recorder);

        fixture.awaitStatus(handle, "the gate", s -> s.phase() == RolloutPhase.PAUSED);
        assertThat(fixture.routeWeights()).containsExactly(100, 0);
        assertThat(pods(CANARY_POD)).hasSize(4);

        handle.promote("alice");

        RolloutResult result = MockCluster.await(handle.completion(), "the rollout");
        assertThat(result.phase()).as(result.reason()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(recorder.statuses).as("all traffic on the canary while stable is promoted")
                .anyMatch(s -> s.weight() == 100 && s.position().stage() == io.jenkins.plugins.immutabledeployment.rollout.Stage.PROMOTING_STABLE);
        assertThat(fixture.routeWeights()).as("back on the (promoted) stable Service").containsExactly(100, 0);
        assertThat(fixture.stableImage()).isEqualTo(NEW);
        assertThat(fixture.canaryPresent()).isFalse();
    }
}
