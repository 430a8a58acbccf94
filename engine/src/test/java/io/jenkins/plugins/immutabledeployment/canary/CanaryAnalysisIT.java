package io.jenkins.plugins.immutabledeployment.canary;

import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.NEW;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.OLD;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.metrics.AnalysisMeasurer;
import io.jenkins.plugins.immutabledeployment.metrics.PrometheusOptions;
import io.jenkins.plugins.immutabledeployment.rollout.AnalysisPhase;
import io.jenkins.plugins.immutabledeployment.rollout.AnalysisRun;
import io.jenkins.plugins.immutabledeployment.rollout.MeasurementTaken;
import io.jenkins.plugins.immutabledeployment.rollout.PauseState;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.testing.PrometheusStack;
import io.jenkins.plugins.immutabledeployment.testing.PrometheusStackExtension;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Analysis steps in a running rollout: measured on schedule (manual clock), judged, acted on. */
@ExtendWith(PrometheusStackExtension.class)
class CanaryAnalysisIT {

    private static final String BUILD = "https://jenkins.example.com/job/api/7/";

    private RolloutFixture fixture;

    @BeforeEach
    void cluster() {
        fixture = new RolloutFixture(3);
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    private static RolloutPlan planWithAnalysis(String prometheus, String query) {
        return RolloutFixture.plan(NEW, "20,analysis:errors,100", Map.of("errors", Map.of(
                "prometheus", prometheus, "query", query, "failIf", "> 0.5", "interval", "30s", "count", 3, "timeout", "5s")));
    }

    private static int taken(RolloutStatus status) {
        AnalysisRun run = status.analysisRunAt(1);
        return run == null ? 0 : run.taken();
    }

    @Test
    void analysisFailingOnItsSecondMeasurementAbortsAgainstRealPrometheus(PrometheusStack stack) {
        String query = "sum(canary_errors_rate{app=\"api\"})";
        stack.pushAndAwait("canary", "canary_errors_rate{app=\"api\"} 0.1\n", query, "0.1");
        CanaryRollouts runner = fixture.runner(AnalysisMeasurer.withOptions(PrometheusOptions.defaults())::take, image -> true);
        RolloutHandle handle = runner.start(RolloutRequest.of(TARGET,
                planWithAnalysis(stack.prometheus().address().toString(), query), BUILD), RolloutListener.NONE);
        fixture.awaitStatus(handle, "the first measurement", s -> taken(s) == 1);

        stack.pushAndAwait("canary", "canary_errors_rate{app=\"api\"} 0.9\n", query, "0.9");
        fixture.advance(runner, Duration.ofSeconds(30));

        RolloutResult result = MockCluster.await(handle.completion(), "the aborted rollout");
        assertThat(result.phase()).isEqualTo(RolloutPhase.DEGRADED);
        AnalysisRun run = result.status().analysisRunAt(1);
        assertThat(run.phase()).isEqualTo(AnalysisPhase.FAILED);
        assertThat(run.measurements()).extracting(m -> m.value()).containsExactly("0.1", "0.9");
        assertThat(result.reason()).contains("analysis 'errors'");
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.stableImage()).isEqualTo(OLD);
    }

    @Test
    void analysisFailingOnItsSecondMeasurementAborts() {
        List<Double> values = List.of(0.1, 0.9, 0.1);
        AtomicInteger calls = new AtomicInteger();
        CanaryRollouts runner = fixture.runner((request, plan, at) -> new MeasurementTaken(request,
                plan.analysis(request.analysis()).judge(at, List.of(values.get(calls.getAndIncrement())))), image -> true);
        RolloutHandle handle = runner.start(RolloutRequest.of(TARGET, planWithAnalysis("http://127.0.0.1:9", "up"), BUILD),
                RolloutListener.NONE);
        fixture.awaitStatus(handle, "the first measurement", s -> taken(s) == 1);
        fixture.advance(runner, Duration.ofSeconds(29));
        assertThat(taken(handle.status())).as("not due before its interval").isEqualTo(1);

        fixture.advance(runner, Duration.ofSeconds(1));

        RolloutResult result = MockCluster.await(handle.completion(), "the aborted rollout");
        assertThat(result.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(calls).hasValue(2);
        assertThat(fixture.stableImage()).isEqualTo(OLD);
        assertThat(fixture.canaryPresent()).isFalse();
    }

    @Test
    void inconclusiveAnalysisPausesUntilSomeoneDecides() {
        CanaryRollouts runner = fixture.runner((request, plan, at) -> new MeasurementTaken(request,
                plan.analysis(request.analysis()).judge(at, List.of())), image -> true);
        RolloutHandle handle = runner.start(RolloutRequest.of(TARGET, planWithAnalysis("http://127.0.0.1:9", "up"), BUILD),
                RolloutListener.NONE);

        RolloutStatus paused = fixture.awaitStatus(handle, "the inconclusive pause", s -> s.phase() == RolloutPhase.PAUSED);
        assertThat(paused.pause().reason()).isEqualTo(PauseState.Reason.INCONCLUSIVE);
        fixture.advance(runner, Duration.ofHours(2));
        assertThat(handle.status().phase()).as("never passes silently").isEqualTo(RolloutPhase.PAUSED);
        assertThat(fixture.stableImage()).isEqualTo(OLD);

        handle.promote("carol");

        RolloutResult result = MockCluster.await(handle.completion(), "the promoted rollout");
        assertThat(result.phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(result.status().analysisRunAt(1).phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
        assertThat(fixture.stableImage()).isEqualTo(NEW);
    }
}
