package io.jenkins.plugins.immutabledeployment.canary;

import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.jenkins.plugins.immutabledeployment.kube.CanaryDeployments;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseOutcome;
import io.jenkins.plugins.immutabledeployment.kube.RollbackRequest;
import io.jenkins.plugins.immutabledeployment.kube.RollbackResult;
import io.jenkins.plugins.immutabledeployment.kube.RollbackTarget;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rollbacks of a Deployment whose rollouts route by Gateway API weights: nobody tells the rollback; it reads the
 * traffic the last rollout recorded and leaves the HTTPRoute sending everything to the stable Service.
 */
class GatewayRollbackIT {

    private static final String ROLE = CanaryDeployments.ROLE_LABEL;
    private static final String B = RolloutFixture.image("release-b");
    private static final String C = RolloutFixture.image("release-c");
    private static final Traffic GATEWAY = Traffic.gateway("api", "api-stable", "api-canary");

    private RolloutFixture fixture;
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @BeforeEach
    void gatewaySetUp() {
        fixture = new RolloutFixture(2, Map.of("app", "api", ROLE, "stable"));
        fixture.cluster.createService("shop", "api-stable", Map.of("app", "api", ROLE, "stable"));
        fixture.cluster.createService("shop", "api-canary", Map.of("app", "api", ROLE, "canary"));
        fixture.createGatewayRoute();
        ReleaseLedger ledger = new ReleaseLedger(fixture.cluster.client());
        ledger.append(TARGET, new Release(PinnedImage.parse(B, "image"), "build 1", Instant.EPOCH, ReleaseOutcome.PROMOTED, null));
        ledger.append(TARGET, new Release(PinnedImage.parse(C, "image"), "build 2", Instant.EPOCH.plusSeconds(60),
                ReleaseOutcome.PROMOTED, null));
        fixture.cluster.client().apps().deployments().inNamespace("shop").withName("api").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(C);
            return d;
        });
        fixture.cluster.awaitDeployment("shop", "api", d -> MockCluster.rolledOut(d, 2) && C.equals(image(d)));
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void rollbackReturnsTheRouteOfAGatewayRolloutInProgressToStable() {
        RolloutHandle rollout = fixture.runner().start(new RolloutRequest(TARGET,
                RolloutFixture.plan(RolloutFixture.NEW, "50,pause,100"), "https://jenkins.example.com/job/api/9/", GATEWAY),
                RolloutListener.NONE);
        fixture.awaitStatus(rollout, "the manual pause at 50%", s -> s.phase() == RolloutPhase.PAUSED && s.weight() == 50);
        assertThat(fixture.routeWeights()).as("the rollout moved the route").containsExactly(50, 50);

        RollbackResult result = rollback();

        assertThat(result.image().reference()).isEqualTo(B);
        assertThat(fixture.stableImage()).isEqualTo(B);
        assertThat(fixture.routeWeights()).as("all traffic to the stable Service").containsExactly(100, 0);
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(progress).anySatisfy(line -> assertThat(line).contains("Gateway API HTTPRoute api")
                .contains("as its last rollout recorded"));
        assertThat(progress).anySatisfy(line -> assertThat(line).contains("canary weight 50% back to 0%"));
        assertThat(fixture.ledger()).first().satisfies(r -> assertThat(r.outcome()).isEqualTo(ReleaseOutcome.ROLLED_BACK));
    }

    @Test
    void rollbackAfterTheRolloutProcessDiedStillResetsTheRoute() throws Exception {
        CanaryRollouts crashed = fixture.runner();
        RolloutHandle rollout = crashed.start(new RolloutRequest(TARGET,
                RolloutFixture.plan(RolloutFixture.NEW, "50,pause,100"), "https://jenkins.example.com/job/api/9/", GATEWAY),
                RolloutListener.NONE);
        fixture.awaitStatus(rollout, "the manual pause at 50%", s -> s.phase() == RolloutPhase.PAUSED && s.weight() == 50);
        crashed.close(); // its lock and status stay behind, as after a crash

        rollback();

        assertThat(fixture.routeWeights()).containsExactly(100, 0);
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.stableImage()).isEqualTo(B);
    }

    @Test
    void rollbackWithNoRolloutInProgressStillLeavesTheRouteOnStable() {
        new RecordedTraffic(fixture.cluster.client()).write(TARGET, GATEWAY);
        setWeights(30, 70); // e.g. edited by hand while investigating

        rollback();

        assertThat(fixture.routeWeights()).containsExactly(100, 0);
        assertThat(fixture.stableImage()).isEqualTo(B);
    }

    @Test
    void aRouteTakenDownSinceTheLastRolloutDoesNotStopTheRollback() {
        new RecordedTraffic(fixture.cluster.client()).write(TARGET, GATEWAY);
        fixture.cluster.client().resources(HTTPRoute.class).inNamespace("shop").withName("api").delete();

        rollback();

        assertThat(fixture.stableImage()).isEqualTo(B);
        assertThat(progress).anySatisfy(line -> assertThat(line).contains("HTTPRoute shop/api of the last rollout no longer exists"));
    }

    @Test
    void aReplicaRatioRolloutAfterAGatewayOneLeavesTheRouteAlone() {
        new RecordedTraffic(fixture.cluster.client()).write(TARGET, GATEWAY);
        new RecordedTraffic(fixture.cluster.client()).write(TARGET, Traffic.replicas());
        setWeights(30, 70); // the route is no longer this product's business

        rollback();

        assertThat(fixture.routeWeights()).containsExactly(30, 70);
        assertThat(progress).anySatisfy(line -> assertThat(line).contains("replica ratio, as its last rollout recorded"));
    }

    private RollbackResult rollback() {
        Rollbacks rollbacks = new Rollbacks(fixture.cluster.client(), image -> true, fixture.clock, fixture.scheduler);
        RollbackRequest request = new RollbackRequest(TARGET, RollbackTarget.parse("previous"), "cli:oncall@laptop",
                Duration.ofSeconds(20));
        return MockCluster.await(rollbacks.start(request, progress::add), "the rollback");
    }

    private void setWeights(int stable, int canary) {
        fixture.cluster.client().resources(HTTPRoute.class).inNamespace("shop").withName("api").edit(r -> {
            r.getSpec().getRules().get(0).getBackendRefs().get(0).setWeight(stable);
            r.getSpec().getRules().get(0).getBackendRefs().get(1).setWeight(canary);
            return r;
        });
    }

    private static String image(io.fabric8.kubernetes.api.model.apps.Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }
}
