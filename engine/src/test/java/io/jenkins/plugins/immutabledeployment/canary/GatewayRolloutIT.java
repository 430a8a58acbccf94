package io.jenkins.plugins.immutabledeployment.canary;

import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.NAMESPACE;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.kube.CanaryDeployments;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rollouts that route by Gateway API weights, where no watch reports the route: the runner moves it and looks again. */
class GatewayRolloutIT {

    private static final String ROLE = CanaryDeployments.ROLE_LABEL;
    private static final Traffic GATEWAY = Traffic.gateway("api", "api-stable", "api-canary");

    private RolloutFixture fixture;

    @BeforeEach
    void gatewaySetUp() {
        fixture = new RolloutFixture(2, Map.of("app", "api", ROLE, "stable"));
        fixture.cluster.createService(NAMESPACE, "api-stable", Map.of("app", "api", ROLE, "stable"));
        fixture.cluster.createService(NAMESPACE, "api-canary", Map.of("app", "api", ROLE, "canary"));
        fixture.createGatewayRoute();
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void aRouteMovedOnTheLastEventIsSeenWithoutAnother() {
        // The canary pod is ready before its Deployment says so: the rollout reports "1 of 1 ready" first, and the
        // Deployment's status, when it comes, is the last event; the route moves then, and nothing else will change.
        fixture.cluster.controller().holdStatus(NAMESPACE, TARGET.canaryName());
        RolloutHandle rollout = fixture.runner().start(new RolloutRequest(TARGET,
                RolloutFixture.plan(RolloutFixture.NEW, "50,pause,100"), "https://jenkins.example.com/job/api/9/", GATEWAY),
                RolloutListener.NONE);
        fixture.awaitStatus(rollout, "the canary pod ready", s -> s.message().contains("1 of 1 canary pods ready"));
        assertThat(fixture.routeWeights()).as("not before the Deployment reports its pods").containsExactly(100, 0);

        fixture.cluster.controller().releaseStatus(NAMESPACE, TARGET.canaryName());

        fixture.awaitStatus(rollout, "the manual pause at 50%", s -> s.phase() == RolloutPhase.PAUSED && s.weight() == 50);
        assertThat(fixture.routeWeights()).containsExactly(50, 50);
    }
}
