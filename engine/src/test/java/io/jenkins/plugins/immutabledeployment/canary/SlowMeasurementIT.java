package io.jenkins.plugins.immutabledeployment.canary;

import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.NEW;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.OLD;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.rollout.MeasurementTaken;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A measurement that hangs (a Prometheus that does not answer, up to its query timeout) holds none of the shared
 * scheduler's threads: with a scheduler of one thread, an abort made meanwhile still brings traffic back to stable.
 */
class SlowMeasurementIT {

    private final RolloutFixture fixture = new RolloutFixture(2, Map.of("app", RolloutFixture.NAME), 1);
    private final CountDownLatch measuring = new CountDownLatch(1);
    private final CountDownLatch answer = new CountDownLatch(1);

    @AfterEach
    void close() throws Exception {
        answer.countDown();
        fixture.close();
    }

    @Test
    void anAbortIsHandledWhileAMeasurementHangs() throws Exception {
        CanaryRollouts runner = fixture.runner((request, plan, at) -> {
            measuring.countDown();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new MeasurementTaken(request, plan.analysis(request.analysis()).judge(at, List.of(0.0)));
        }, image -> true);
        RolloutHandle handle = runner.start(RolloutRequest.of(TARGET, RolloutFixture.plan(NEW, "20,analysis:errors,100",
                Map.of("errors", Map.of("prometheus", "http://127.0.0.1:9", "query", "up", "failIf", "> 0.5",
                        "interval", "30s", "count", 3, "timeout", "5s"))), "https://jenkins.example.com/job/api/9/"),
                RolloutListener.NONE);
        assertThat(measuring.await(MockCluster.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("the measurement started").isTrue();

        handle.abort("carol", "the dashboards look wrong");

        RolloutResult result = MockCluster.await(handle.completion(), "the abort while the measurement hangs");
        assertThat(result.phase()).isEqualTo(RolloutPhase.ABORTED);
        assertThat(measuring.getCount()).isZero();
        assertThat(answer.getCount()).as("the measurement is still hanging").isEqualTo(1);
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.stableImage()).isEqualTo(OLD);
    }
}
