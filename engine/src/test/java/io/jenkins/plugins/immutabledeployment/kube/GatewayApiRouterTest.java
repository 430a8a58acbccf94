package io.jenkins.plugins.immutabledeployment.kube;

import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.API;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.STABLE_IMAGE;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayApiRouterTest {

    static final String ROLE = "immutable-deployment.jenkins.io/role";

    final MockCluster cluster = MockCluster.start();
    final GatewayApiRouter router = new GatewayApiRouter(cluster.client(), "api", "api-stable", "api-canary");

    @BeforeEach
    void gatewaySetUp() {
        cluster.createStable("shop", "api", 5, STABLE_IMAGE, Map.of("app", "api", ROLE, "stable"));
        cluster.createService("shop", "api-stable", Map.of("app", "api", ROLE, "stable"));
        cluster.createService("shop", "api-canary", Map.of("app", "api", ROLE, "canary"));
        createRoute(new HTTPRouteBuilder()
                .withNewMetadata().withName("api").withNamespace("shop").endMetadata()
                .withNewSpec()
                .addNewParentRef().withName("public").endParentRef()
                .addNewRule()
                .addNewMatch().withNewPath().withValue("/api").endPath().endMatch()
                .addNewBackendRef().withName("api-stable").withPort(80).withWeight(100).endBackendRef()
                .addNewBackendRef().withName("api-canary").withPort(80).withWeight(0).endBackendRef()
                .endRule()
                .addNewRule()
                .addNewBackendRef().withName("api-canary").withPort(80).endBackendRef()
                .addNewBackendRef().withName("api-stable").withPort(80).endBackendRef()
                .endRule()
                .addNewRule()
                .addNewBackendRef().withName("static-files").withPort(80).endBackendRef()
                .endRule()
                .endSpec().build());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @ParameterizedTest(name = "N={0}, weight {1}% -> {2} canary pods")
    @CsvSource({"5, 0, 0", "5, 20, 1", "5, 50, 3", "5, 100, 5", "10, 10, 1", "10, 11, 2", "0, 10, 1", "3, 1, 1"})
    void runsEnoughCanaryPodsForTheWeight(int stable, int weight, int canary) {
        assertThat(GatewayApiRouter.canaryReplicas(stable, weight)).isEqualTo(canary);
    }

    @Test
    void acceptsServicesThatSelectOnlyTheirOwnPods() {
        router.verify(API);
    }

    @Test
    void refusesAStableServiceThatAlsoSelectsCanaryPods() {
        cluster.client().services().inNamespace("shop").withName("api-stable").delete();
        cluster.createService("shop", "api-stable", Map.of("app", "api"));

        assertThatThrownBy(() -> router.verify(API))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("Service shop/api-stable must select only the stable pods")
                .hasMessageContaining("also selects the canary pods")
                .hasMessageContaining(ROLE + ": stable");
    }

    @Test
    void refusesAMissingCanaryServiceOrRoute() {
        cluster.client().services().inNamespace("shop").withName("api-canary").delete();
        assertThatThrownBy(() -> router.verify(API))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("Service shop/api-canary");

        GatewayApiRouter noRoute = new GatewayApiRouter(cluster.client(), "web", "api-stable", "api-canary");
        assertThatThrownBy(() -> noRoute.verify(API))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("HTTPRoute shop/web not found");
    }

    @Test
    void refusesARouteWithoutBothBackends() {
        GatewayApiRouter other = new GatewayApiRouter(cluster.client(), "api", "api-stable", "api-preview");

        assertThatThrownBy(() -> other.setWeight(API, 10))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("no rule with backendRefs to both Service api-stable and Service api-preview");
    }

    @Test
    void movesTheRouteOnlyOnceTheCanaryPodsAreReady() {
        new CanaryDeployments(cluster.client()).ensure(API, V2);

        TrafficState first = router.setWeight(API, 20);

        assertThat(first.settled()).isFalse();
        assertThat(first.canaryReplicas()).isEqualTo(1);
        assertThat(weights(0)).as("no traffic to pods that are not ready").containsExactly(100, 0);

        cluster.await("canary pod ready", () -> router.observe(API, 20), s -> s.canaryReadyReplicas() == 1);
        TrafficState settled = router.setWeight(API, 20);

        assertThat(settled.settled()).isTrue();
        assertThat(settled.canaryPercent()).isEqualTo(20);
        assertThat(weights(0)).containsExactly(80, 20);
        assertThat(weights(1)).as("a second rule, canary listed first").containsExactly(20, 80);
        assertThat(weights(2)).as("rules without both Services are left alone").containsExactly((Integer) null);
    }

    @Test
    void movesTheRouteBackBeforeScalingTheCanaryDown() {
        new CanaryDeployments(cluster.client()).ensure(API, V2);
        router.setWeight(API, 60);
        cluster.await("canary ready", () -> router.setWeight(API, 60), TrafficState::settled);
        assertThat(weights(0)).containsExactly(40, 60);

        TrafficState back = router.setWeight(API, 0);

        assertThat(weights(0)).containsExactly(100, 0);
        assertThat(back.canaryPercent()).isZero();
        assertThat(new CanaryDeployments(cluster.client()).find(API).orElseThrow().getSpec().getReplicas()).isZero();
        cluster.await("canary scaled down", () -> router.observe(API, 0), TrafficState::settled);
    }

    @Test
    void refusesTheSameServiceForBothRoles() {
        assertThatThrownBy(() -> new GatewayApiRouter(cluster.client(), "api", "api", "api"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("canaryService:");
        assertThatThrownBy(() -> new GatewayApiRouter(cluster.client(), "api", "Api_Stable", "api-canary"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("stableService:");
    }

    private void createRoute(HTTPRoute route) {
        cluster.client().resources(HTTPRoute.class).inNamespace("shop").resource(route).create();
    }

    /** The weights of one rule's backendRefs, in their order. */
    private List<Integer> weights(int rule) {
        HTTPRoute route = cluster.client().resources(HTTPRoute.class).inNamespace("shop").withName("api").get();
        return route.getSpec().getRules().get(rule).getBackendRefs().stream().map(HTTPBackendRef::getWeight).toList();
    }
}
