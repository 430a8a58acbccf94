package io.jenkins.plugins.immutabledeployment.kube;

import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.API;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.STABLE_IMAGE;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.V2;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.V3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import io.jenkins.plugins.immutabledeployment.testing.kube.PodBehaviour;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodHealthTest {


    final MockCluster cluster = MockCluster.start();
    final CanaryDeployments canaries = new CanaryDeployments(cluster.client());
    final PodHealth health = new PodHealth(cluster.client());

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void countsReadyCanaryPods() {
        cluster.createStable("shop", "api", 4, STABLE_IMAGE);
        canaries.ensure(API, V2);
        canaries.scale(API, 2);

        CanaryHealth ready = cluster.await("2 ready canary pods", () -> health.evaluate(API), CanaryHealth::ready);

        assertThat(ready.readyReplicas()).isEqualTo(2);
        assertThat(ready.desiredReplicas()).isEqualTo(2);
        assertThat(ready.failed()).isFalse();
        assertThat(ready.summary()).isEqualTo("2 of 2 canary pods ready");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CRASH_LOOP                    | CrashLoopBackOff           | restarted 3 times, last exit: Error with code 1",
            "IMAGE_PULL_BACKOFF            | ImagePullBackOff           | Back-off pulling image",
            "ERR_IMAGE_PULL                | ErrImagePull               | failed to pull and unpack image",
            "CREATE_CONTAINER_CONFIG_ERROR | CreateContainerConfigError | secret \"db-password\" not found",
            "RESTARTED_ONCE                | Restarted                  | restarted 1 time, last exit: OOMKilled with code 137"})
    void failsFastNamingPodContainerAndReason(PodBehaviour behaviour, String reason, String detail) {
        cluster.controller().behave(V2.reference(), behaviour);
        cluster.createStable("shop", "api", 4, STABLE_IMAGE);
        canaries.ensure(API, V2);
        canaries.scale(API, 1);

        CanaryHealth failed = cluster.await(reason, () -> health.evaluate(API), CanaryHealth::failed);

        assertThat(failed.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.pod()).startsWith("api-canary-");
            assertThat(problem.container()).isEqualTo("app");
            assertThat(problem.reason()).isEqualTo(reason);
            assertThat(problem.message()).contains(detail);
        });
        assertThat(failed.summary()).startsWith("canary failing: pod api-canary-")
                .contains("container app: " + reason).contains(detail);
        assertThat(failed.ready()).isFalse();
    }

    @Test
    void reportsAnExceededProgressDeadline() {
        cluster.controller().behave(V2.reference(), PodBehaviour.NEVER_READY);
        cluster.createStable("shop", "api", 2, STABLE_IMAGE);
        canaries.ensure(API, V2);
        canaries.scale(API, 1);
        cluster.awaitPods("shop", java.util.Map.of(CanaryDeployments.ROLE_LABEL, "canary"), p -> p.size() == 1);
        assertThat(health.evaluate(API).failed()).isFalse();

        cluster.controller().expireProgressDeadline("shop", "api-canary");

        CanaryHealth stuck = cluster.await("deadline", () -> health.evaluate(API), CanaryHealth::failed);
        assertThat(stuck.progressDeadlineExceeded()).isTrue();
        assertThat(stuck.problems()).isEmpty();
        assertThat(stuck.summary()).contains("no progress within its progress deadline (0 of 1 pods ready)");
    }

    @Test
    void watchReportsEachChangeAndOnlyThePodsOfTheCurrentImage() throws Exception {
        cluster.controller().behave(V3.reference(), PodBehaviour.CRASH_LOOP);
        cluster.createStable("shop", "api", 4, STABLE_IMAGE);
        canaries.ensure(API, V2);
        BlockingQueue<CanaryHealth> reports = new LinkedBlockingQueue<>();

        try (PodHealth.HealthWatch watch = health.watch(API, reports::add)) {
            assertThat(next(reports, h -> true)).isEqualTo(new CanaryHealth(0, 0, List.of(), false));

            canaries.scale(API, 2);
            CanaryHealth ready = next(reports, h -> h.readyReplicas() == 2);
            assertThat(ready.ready()).isTrue();
            assertThat(watch.current()).isEqualTo(ready);

            canaries.ensure(API, V3); // the V2 pods stay (surge first) but no longer count
            CanaryHealth crashing = next(reports, CanaryHealth::failed);
            assertThat(crashing.problems()).extracting(PodProblem::reason).containsOnly("CrashLoopBackOff");
            assertThat(crashing.readyReplicas()).isZero();
        }
        reports.clear();
        canaries.scale(API, 0);
        cluster.awaitPods("shop", java.util.Map.of(CanaryDeployments.ROLE_LABEL, "canary"), List::isEmpty);
        assertThat(reports).as("a closed watch reports nothing").isEmpty();
    }

    @Test
    void watchingRequiresACanary() {
        cluster.createStable("shop", "api", 1, STABLE_IMAGE);

        assertThatThrownBy(() -> health.watch(API, h -> {})).isInstanceOf(DeploymentException.class);
        assertThat(health.evaluate(API)).isEqualTo(new CanaryHealth(0, 0, List.of(), false));
    }

    @Test
    void ignoresTerminatingPodsAndJudgesInitContainersAndFailedPods() {
        cluster.createStable("shop", "api", 1, STABLE_IMAGE);
        Deployment canary = canaries.ensure(API, V2);
        String digest = CanaryDeployments.digestLabel(V2.digest());

        Pod terminating = pod("api-canary-a", digest).editMetadata().withDeletionTimestamp("2024-01-01T00:00:00Z").endMetadata()
                .editStatus().addNewContainerStatus().withName("app").withRestartCount(5).endContainerStatus().endStatus().build();
        Pod initFailing = pod("api-canary-b", digest).editStatus().addNewInitContainerStatus().withName("migrate")
                .withRestartCount(0).withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .endInitContainerStatus().endStatus().build();
        Pod evicted = pod("api-canary-c", digest).editStatus().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory.").endStatus().build();
        Pod previousCanary = pod("api-canary-d", CanaryDeployments.digestLabel(V3.digest())).editStatus()
                .addNewContainerStatus().withName("app").withRestartCount(9).endContainerStatus().endStatus().build();

        CanaryHealth judged = PodHealth.assess(canary, List.of(terminating, initFailing, evicted, previousCanary));

        assertThat(judged.problems()).containsExactly(
                new PodProblem("api-canary-b", "migrate", "CrashLoopBackOff", ""),
                new PodProblem("api-canary-c", null, "Evicted", "The node was low on resource: memory."));
    }

    private static PodBuilder pod(String name, String digest) {
        return new PodBuilder().withNewMetadata().withName(name)
                .addToLabels(CanaryDeployments.DIGEST_LABEL, digest).endMetadata()
                .withNewStatus().withPhase("Running").endStatus();
    }

    private static CanaryHealth next(BlockingQueue<CanaryHealth> reports, Predicate<CanaryHealth> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + MockCluster.DEADLINE.toNanos();
        while (true) {
            CanaryHealth report = reports.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (report == null) {
                throw new AssertionError("no health report matching the expectation within " + MockCluster.DEADLINE);
            }
            if (wanted.test(report)) {
                return report;
            }
        }
    }
}
