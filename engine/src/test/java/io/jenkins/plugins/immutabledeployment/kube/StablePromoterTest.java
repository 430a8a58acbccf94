package io.jenkins.plugins.immutabledeployment.kube;

import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.API;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.STABLE_IMAGE;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.V2;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.V3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import io.jenkins.plugins.immutabledeployment.testing.kube.PodBehaviour;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StablePromoterTest {


    final MockCluster cluster = MockCluster.start();
    final StablePromoter promoter = new StablePromoter(cluster.client());

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void setsThePinnedImageSurgeFirstWaitsAndVerifiesEveryPod() {
        cluster.createStable("shop", "api", 3, STABLE_IMAGE);

        long generation = promoter.promote(API, V2);
        PromotionStatus done = MockCluster.await(promoter.awaitCompletion(API, generation), "stable rollout");

        assertThat(done.complete()).isTrue();
        assertThat(done.generation()).isEqualTo(generation).isGreaterThan(1);
        Deployment stable = stable();
        assertThat(stable.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName() + "=" + c.getImage())
                .containsExactly("app=" + V2.reference(), "sidecar=registry.example.com/proxy:1.0");
        assertThat(stable.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(stable.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(0));
        assertThat(stable.getSpec().getStrategy().getRollingUpdate().getMaxSurge()).isEqualTo(new IntOrString("25%"));
        assertThat(promoter.verifyImages(API, V2)).hasSize(3).allSatisfy(pod -> assertThat(pod).startsWith("api-"));
    }

    @Test
    void promotingTheImageItAlreadyRunsWritesNothing() {
        cluster.createStable("shop", "api", 2, STABLE_IMAGE);
        long generation = promoter.promote(API, V2);
        MockCluster.await(promoter.awaitCompletion(API, generation), "stable rollout");
        cluster.takeRequests();

        assertThat(promoter.promote(API, V2)).isEqualTo(generation);
        assertThat(cluster.takeRequests()).noneMatch(r -> r.getMethod().equals("PATCH"));
        assertThat(MockCluster.await(promoter.awaitCompletion(API, generation), "already complete").complete()).isTrue();
    }

    @Test
    void namesEveryPodThatDoesNotRunThePinnedDigest() {
        cluster.controller().reportImageId(V2.reference(), "docker-pullable://registry.example.com/shop/api@sha256:" + "9".repeat(64));
        cluster.createStable("shop", "api", 2, STABLE_IMAGE);
        long generation = promoter.promote(API, V2);
        MockCluster.await(promoter.awaitCompletion(API, generation), "stable rollout");

        assertThatThrownBy(() -> promoter.verifyImages(API, V2))
                .isInstanceOf(ImageDriftException.class)
                .hasMessageContaining("do not run " + V2.reference())
                .hasMessageContaining("runs docker-pullable://registry.example.com/shop/api@sha256:" + "9".repeat(64))
                .satisfies(e -> assertThat(((ImageDriftException) e).pods()).hasSize(2)
                        .allSatisfy(pod -> assertThat(e.getMessage()).contains(pod)));
    }

    @Test
    void leavesCanaryPodsOutOfTheImageCheck() {
        cluster.createStable("shop", "api", 2, STABLE_IMAGE);
        CanaryDeployments canaries = new CanaryDeployments(cluster.client());
        canaries.ensure(API, V3);
        canaries.scale(API, 1);
        cluster.awaitPods("shop", Map.of(CanaryDeployments.ROLE_LABEL, "canary"), p -> p.size() == 1);
        long generation = promoter.promote(API, V2);
        MockCluster.await(promoter.awaitCompletion(API, generation), "stable rollout");

        assertThat(promoter.verifyImages(API, V2)).hasSize(2).noneMatch(pod -> pod.startsWith("api-canary"));
    }

    @Test
    void failsWhenTheNewPodsNeverBecomeAvailableWhileOldOnesKeepServing() {
        cluster.controller().behave(V2.reference(), PodBehaviour.CRASH_LOOP);
        cluster.createStable("shop", "api", 2, STABLE_IMAGE);
        long generation = promoter.promote(API, V2);
        var waiting = promoter.awaitCompletion(API, generation);
        cluster.awaitDeployment("shop", "api", d -> d.getStatus().getUpdatedReplicas() == 2 && d.getStatus().getReplicas() == 4);
        assertThat(waiting).isNotDone();

        cluster.controller().expireProgressDeadline("shop", "api");

        assertThatThrownBy(() -> waiting.get(MockCluster.DEADLINE.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(StableRolloutFailedException.class)
                .hasMessageContaining("did not finish rolling out")
                .hasMessageContaining("progress deadline exceeded");
        assertThat(stable().getStatus().getReadyReplicas()).as("the old pods").isEqualTo(2);
    }

    @Test
    void refusesAPausedDeployment() {
        cluster.createStable("shop", "api", 1, STABLE_IMAGE);
        cluster.client().apps().deployments().inNamespace("shop").withName("api")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":true}}");

        assertThatThrownBy(() -> promoter.promote(API, V2))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("is paused");
        assertThat(stable().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(STABLE_IMAGE);
    }

    @Test
    void reportsADeploymentDeletedWhileWaiting() {
        cluster.controller().behave(V2.reference(), PodBehaviour.NEVER_READY);
        cluster.createStable("shop", "api", 1, STABLE_IMAGE);
        var waiting = promoter.awaitCompletion(API, promoter.promote(API, V2));
        // Let the watch behind the wait run first: the mock server does not tell a starting watch about deletions.
        cluster.awaitDeployment("shop", "api", d -> d.getStatus().getUpdatedReplicas() == 1 && d.getStatus().getReplicas() == 2);

        cluster.client().apps().deployments().inNamespace("shop").withName("api").delete();

        assertThatThrownBy(() -> waiting.get(MockCluster.DEADLINE.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(DeploymentNotFoundException.class);
    }

    @Test
    void makesAnyStrategySurgeFirst() {
        assertThat(StablePromoter.surgeFirst(null))
                .isEqualTo(Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxSurge", "25%", "maxUnavailable", 0)));
        assertThat(StablePromoter.surgeFirst(new DeploymentStrategyBuilder().withType("Recreate").build()))
                .isEqualTo(Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxSurge", "25%", "maxUnavailable", 0)));
        assertThat(StablePromoter.surgeFirst(rolling(new IntOrString(2), new IntOrString("50%"))))
                .isEqualTo(Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxSurge", 2, "maxUnavailable", 0)));
        assertThat(StablePromoter.surgeFirst(rolling(new IntOrString("0%"), new IntOrString(1))))
                .isEqualTo(Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxSurge", "25%", "maxUnavailable", 0)));
        assertThat(StablePromoter.surgeFirst(rolling(new IntOrString("100%"), new IntOrString(0)))).as("already surge first").isNull();
        assertThat(StablePromoter.surgeFirst(rolling(new IntOrString(1), new IntOrString("0%")))).isNull();
    }

    private static DeploymentStrategy rolling(IntOrString maxSurge, IntOrString maxUnavailable) {
        return new DeploymentStrategyBuilder().withType("RollingUpdate")
                .withNewRollingUpdate().withMaxSurge(maxSurge).withMaxUnavailable(maxUnavailable).endRollingUpdate().build();
    }

    private Deployment stable() {
        return cluster.client().apps().deployments().inNamespace("shop").withName("api").get();
    }
}
