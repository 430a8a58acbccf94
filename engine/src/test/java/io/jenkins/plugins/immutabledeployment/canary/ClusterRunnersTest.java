package io.jenkins.plugins.immutabledeployment.canary;

import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.kube.ClusterConnection;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterRunnersTest {

    private final RolloutFixture fixture = new RolloutFixture(2);
    private final List<KubernetesClient> opened = new CopyOnWriteArrayList<>();
    private final ClusterRunners runners = new ClusterRunners(client -> {
        opened.add(client);
        return new CanaryRollouts(client, fixture.clock, fixture.scheduler, (request, plan, at) -> {
            throw new AssertionError("no measurement expected");
        }, image -> true, Duration.ofSeconds(30));
    }, fixture.clock, Duration.ofMinutes(5));

    @AfterEach
    void close() throws Exception {
        runners.close();
        fixture.close();
    }

    private ClusterConnection withToken(String token) {
        return ClusterConnection.token(URI.create(fixture.cluster.server().url("/")), token, null);
    }

    @Test
    void theSameClusterAndSettingsShareOneRunnerAndClient() {
        CanaryRollouts first = runners.get("prod", withToken("token-1"));

        assertThat(runners.get("prod", withToken("token-1"))).isSameAs(first);
        assertThat(runners.get("staging", withToken("token-1"))).as("another cluster name").isNotSameAs(first);
        assertThat(opened).hasSize(2);
    }

    @Test
    void changedCredentialsOpenANewRunnerAndTheOutdatedOneIsClosedWhenIdleAfterTheGrace() {
        CanaryRollouts old = runners.get("prod", withToken("token-1"));

        CanaryRollouts rotated = runners.get("prod", withToken("token-2"));

        assertThat(rotated).isNotSameAs(old);
        assertThat(runners.get("prod", withToken("token-2"))).isSameAs(rotated);
        assertThat(runners.closeIdle()).as("a caller may still be starting a rollout on it").isZero();
        assertThat(runners.open()).isEqualTo(2);

        fixture.clock.advance(Duration.ofMinutes(5));

        assertThat(runners.closeIdle()).isEqualTo(1);
        assertThat(runners.open()).isEqualTo(1);
        assertThat(opened.get(0).getHttpClient().isClosed()).isTrue();
        assertThat(opened.get(1).getHttpClient().isClosed()).isFalse();
    }

    @Test
    void anOutdatedRunnerStaysOpenUntilItsRolloutEnds() {
        CanaryRollouts old = runners.get("prod", withToken("token-1"));
        RolloutHandle rollout = old.start(RolloutRequest.of(TARGET, RolloutFixture.plan(RolloutFixture.NEW, "50,pause,100"),
                "https://jenkins.example.com/job/api/7/"), RolloutListener.NONE);
        fixture.awaitStatus(rollout, "the manual pause", s -> s.phase() == RolloutPhase.PAUSED);
        runners.get("prod", withToken("token-2"));
        fixture.clock.advance(Duration.ofMinutes(6));

        assertThat(runners.closeIdle()).isZero();
        assertThat(opened.get(0).getHttpClient().isClosed()).isFalse();

        rollout.abort("tester", "enough");
        assertThat(MockCluster.await(rollout.completion(), "the abort").phase()).isEqualTo(RolloutPhase.ABORTED);

        assertThat(runners.closeIdle()).isEqualTo(1);
        assertThat(opened.get(0).getHttpClient().isClosed()).isTrue();
    }

    @Test
    void closingClosesEveryRunnersClient() {
        runners.get("prod", withToken("token-1"));
        runners.get("prod", withToken("token-2"));

        runners.close();

        assertThat(runners.open()).isZero();
        assertThat(opened).allSatisfy(client -> assertThat(client.getHttpClient().isClosed()).isTrue());
    }
}
