package io.jenkins.plugins.immutabledeployment.kube;

import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.API;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.STABLE_IMAGE;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaRatioRouterTest {


    @ParameterizedTest(name = "N={0}, weight {1}% -> {2} canary pods")
    @CsvSource({
            "10, 0, 0", "10, 10, 1", "10, 25, 3", "10, 33, 5", "10, 50, 10", "10, 80, 10", "10, 100, 10",
            "4, 20, 1", "3, 10, 1", "3, 50, 3", "1, 100, 1", "0, 10, 1", "0, 0, 0", "100, 1, 1", "100, 10, 11"})
    void computesTheCanaryReplicasWhoseShareIsClosestToTheWeight(int stable, int weight, int canary) {
        assertThat(ReplicaRatioRouter.canaryReplicas(stable, weight)).isEqualTo(canary);
    }

    @Property
    void theShareIsTheBestApproximationWithinTheCap(@ForAll @IntRange(max = 60) int stable, @ForAll @IntRange(max = 100) int weight) {
        int chosen = ReplicaRatioRouter.canaryReplicas(stable, weight);
        int cap = Math.max(stable, 1);
        assertThat(chosen).isBetween(weight == 0 ? 0 : 1, weight == 0 ? 0 : cap);
        for (int other = 1; weight > 0 && other <= cap; other++) {
            assertThat(error(stable, chosen, weight)).isLessThanOrEqualTo(error(stable, other, weight) + 1e-12);
        }
    }

    @Property
    void moreWeightNeverMeansFewerCanaryPods(@ForAll @IntRange(max = 60) int stable, @ForAll @IntRange(max = 99) int weight) {
        assertThat(ReplicaRatioRouter.canaryReplicas(stable, weight + 1)).isGreaterThanOrEqualTo(ReplicaRatioRouter.canaryReplicas(stable, weight));
    }

    private static double error(int stable, int canary, int weight) {
        return Math.abs((double) canary / (stable + canary) - weight / 100.0);
    }

    @Test
    void shiftsTrafficByScalingTheCanaryWhileStableKeepsItsReplicas() {
        try (MockCluster cluster = MockCluster.start()) {
            Deployment stable = cluster.createStable("shop", "api", 10, STABLE_IMAGE);
            new CanaryDeployments(cluster.client()).ensure(API, V2);
            ReplicaRatioRouter router = new ReplicaRatioRouter(cluster.client());

            TrafficState first = router.setWeight(API, 10);
            assertThat(first.canaryReplicas()).isEqualTo(1);
            TrafficState tenPercent = cluster.await("weight 10", () -> router.observe(API, 10), TrafficState::settled);
            assertThat(tenPercent.canaryPercent()).isEqualTo(9);
            assertThat(tenPercent.description()).contains("canary 1 of 11 ready pods (9%)");

            router.setWeight(API, 50);
            TrafficState half = cluster.await("weight 50", () -> router.observe(API, 50), TrafficState::settled);
            assertThat(half.canaryReadyReplicas()).isEqualTo(10);
            assertThat(half.canaryPercent()).isEqualTo(50);

            router.setWeight(API, 0);
            TrafficState none = cluster.await("weight 0", () -> router.observe(API, 0), TrafficState::settled);
            assertThat(none.canaryPercent()).isZero();

            Deployment after = cluster.client().apps().deployments().inNamespace("shop").withName("api").get();
            assertThat(after.getSpec()).isEqualTo(stable.getSpec());
            assertThat(after.getMetadata().getGeneration()).isEqualTo(stable.getMetadata().getGeneration());
        }
    }

    @Test
    void weightZeroWithoutACanaryIsAlreadySettledButAPositiveWeightNeedsOne() {
        try (MockCluster cluster = MockCluster.start()) {
            cluster.createStable("shop", "api", 2, STABLE_IMAGE);
            ReplicaRatioRouter router = new ReplicaRatioRouter(cluster.client());

            assertThat(router.setWeight(API, 0).settled()).isTrue();
            assertThatThrownBy(() -> router.setWeight(API, 10))
                    .isInstanceOf(DeploymentException.class).hasMessageContaining("api-canary does not exist");
        }
    }

    @ParameterizedTest
    @CsvSource({"-1", "101"})
    void refusesWeightsOutsideZeroToHundred(int weight) {
        assertThatThrownBy(() -> ReplicaRatioRouter.canaryReplicas(10, weight))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("weight:");
    }
}
