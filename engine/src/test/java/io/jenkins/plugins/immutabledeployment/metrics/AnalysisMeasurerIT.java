package io.jenkins.plugins.immutabledeployment.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.rollout.Action;
import io.jenkins.plugins.immutabledeployment.rollout.AnalysisSpec;
import io.jenkins.plugins.immutabledeployment.rollout.AnalysisSpecParser;
import io.jenkins.plugins.immutabledeployment.rollout.Measurement;
import io.jenkins.plugins.immutabledeployment.rollout.MeasurementOutcome;
import io.jenkins.plugins.immutabledeployment.rollout.MeasurementTaken;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.testing.PrometheusStack;
import io.jenkins.plugins.immutabledeployment.testing.PrometheusStackExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One measurement at a time against the real Prometheus, judged as the planner will count it. */
@ExtendWith(PrometheusStackExtension.class)
class AnalysisMeasurerIT {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private static AnalysisSpec spec(String address, String query, String failIf, String successIf) {
        Map<String, Object> definition = new HashMap<>(Map.of("prometheus", address, "query", query, "timeout", "5s"));
        if (failIf != null) {
            definition.put("failIf", failIf);
        }
        if (successIf != null) {
            definition.put("successIf", successIf);
        }
        return AnalysisSpecParser.parse(Map.of("errors", definition), "analysis").get("errors");
    }

    @Test
    void judgesPushedValues(PrometheusStack stack) {
        String address = stack.prometheus().address().toString();
        AnalysisMeasurer measurer = AnalysisMeasurer.withOptions(PrometheusOptions.defaults());
        String query = "sum(measurer_errors_rate{app=\"api\"})";
        AnalysisSpec spec = spec(address, query, "> 0.5", null);

        stack.pushAndAwait("measurer", "measurer_errors_rate{app=\"api\",pod=\"api-canary-1\"} 0.9\n", query, "0.9");
        Measurement failed = measurer.measure(spec, NOW);
        assertThat(failed).isEqualTo(new Measurement(NOW, MeasurementOutcome.FAILED, "0.9", "0.9 > 0.5 (failIf)"));

        stack.pushAndAwait("measurer", "measurer_errors_rate{app=\"api\",pod=\"api-canary-1\"} 0.1\n", query, "0.1");
        assertThat(measurer.measure(spec, NOW).outcome()).isEqualTo(MeasurementOutcome.SUCCESSFUL);

        AnalysisSpec between = spec(address, query, "> 0.5", "< 0.05");
        assertThat(measurer.measure(between, NOW).outcome()).as("neither condition decides").isEqualTo(MeasurementOutcome.INCONCLUSIVE);
    }

    @Test
    void noDataAndNaNAreInconclusiveAndErrorsAreErrors(PrometheusStack stack) throws IOException {
        String address = stack.prometheus().address().toString();
        AnalysisMeasurer measurer = AnalysisMeasurer.withOptions(PrometheusOptions.defaults());

        Measurement noData = measurer.measure(spec(address, "measurer_nothing_pushed", "> 0.5", null), NOW);
        assertThat(noData).isEqualTo(new Measurement(NOW, MeasurementOutcome.INCONCLUSIVE, null, "query returned no data"));

        Measurement nan = measurer.measure(spec(address, "vector(0) / 0", "> 0.5", null), NOW);
        assertThat(nan).isEqualTo(new Measurement(NOW, MeasurementOutcome.INCONCLUSIVE, "NaN", "query returned NaN"));

        Measurement badQuery = measurer.measure(spec(address, "rate(", "> 0.5", null), NOW);
        assertThat(badQuery.outcome()).isEqualTo(MeasurementOutcome.ERROR);
        assertThat(badQuery.message()).startsWith("query failed (PROMETHEUS_ERROR): Prometheus answered HTTP 400, bad_data");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Measurement unreachable = measurer.measure(spec("http://127.0.0.1:" + closedPort, "up", "> 0.5", null), NOW);
        assertThat(unreachable.outcome()).isEqualTo(MeasurementOutcome.ERROR);
        assertThat(unreachable.message()).startsWith("query failed (CONNECTION)");
    }

    @Test
    void answersThePlannersRequest(PrometheusStack stack) {
        String address = stack.prometheus().address().toString();
        stack.pushAndAwait("measurer-plan", "measurer_plan_errors 0\n", "measurer_plan_errors", "0");
        RolloutPlan plan = PlanParser.fromArguments("registry.example.com/shop/api@sha256:" + "d".repeat(64), Map.of(
                "steps", "10,analysis:errors,100",
                "analysis", Map.of("errors", Map.of("prometheus", address, "query", "measurer_plan_errors", "failIf", "> 0"))));
        Action.RunMeasurement request = new Action.RunMeasurement("errors", 1, 0);

        MeasurementTaken taken = AnalysisMeasurer.withOptions(PrometheusOptions.defaults()).take(request, plan, NOW);

        assertThat(taken.request()).isEqualTo(request);
        assertThat(taken.measurement().outcome()).isEqualTo(MeasurementOutcome.SUCCESSFUL);
        assertThat(taken.measurement().value()).isEqualTo("0");
    }
}
