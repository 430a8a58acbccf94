package io.jenkins.plugins.immutabledeployment.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RolloutStatusTest {

    /** Statuses of every shape: in steps, paused on an inconclusive analysis, aborted, healthy. */
    static Stream<Arguments> statuses() {
        Function<Instant, Measurement> ok = RolloutPlannerTest.errors(0.1);
        Function<Instant, Measurement> nan = at -> RolloutPlannerTest.plan("100").analysis("errors").judge(at, List.of(Double.NaN));
        SimulatedRollout inconclusive = RolloutPlannerTest.rollout("10,analysis:errors,100")
                .measurements("errors", List.of(ok, SimulatedRollout.queryError(), nan));
        inconclusive.settle();
        SimulatedRollout aborted = RolloutPlannerTest.rollout("10,pause:manual,100");
        aborted.settle();
        aborted.abort("bob", "looks wrong");
        aborted.settle();
        SimulatedRollout healthy = RolloutPlannerTest.rollout("10,pause:1m,100");
        healthy.settle();
        return Stream.of(
                Arguments.of("started", RolloutStatus.start(RolloutPlannerTest.plan("10,100"), null, RolloutPlannerTest.T0), "Progressing"),
                Arguments.of("inconclusive", inconclusive.status, "Paused"),
                Arguments.of("aborted", aborted.status, "Aborted"),
                Arguments.of("healthy", healthy.status, "Healthy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statuses")
    void roundTripsThroughJson(String shape, RolloutStatus status, String phase) throws Exception {
        String json = status.toJson();
        assertThat(RolloutStatus.fromJson(json)).isEqualTo(status);
        JsonNode tree = Json.mapper().readTree(json);
        assertThat(tree.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(tree.get("phase").asText()).isEqualTo(phase);
        assertThat(tree.get("startedAt").asText()).isEqualTo("2026-03-01T10:00:00Z");
    }

    @Test
    void writesReadableJsonForThePausedAnalysis() throws Exception {
        RolloutStatus paused = (RolloutStatus) statuses().toList().get(1).get()[1];
        JsonNode tree = Json.mapper().readTree(paused.toJson());
        assertThat(tree.at("/pause/reason").asText()).isEqualTo("Inconclusive");
        assertThat(tree.at("/position/stage").asText()).isEqualTo("Steps");
        assertThat(tree.at("/analysisRuns/0/phase").asText()).isEqualTo("Inconclusive");
        assertThat(tree.at("/analysisRuns/0/measurements/1/outcome").asText()).isEqualTo("Error");
        assertThat(tree.at("/analysisRuns/0/measurements/2/value").asText()).isEqualTo("NaN");
        assertThat(tree.at("/analysisRuns/0/errors").asInt()).isEqualTo(1);
    }

    @Test
    void refusesAStatusOfANewerSchema() {
        String newer = RolloutStatus.start(RolloutPlannerTest.plan("100"), null, RolloutPlannerTest.T0).toJson()
                .replace("\"schemaVersion\":1", "\"schemaVersion\":2");
        assertThatThrownBy(() -> RolloutStatus.fromJson(newer))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("schemaVersion 2 but this version reads up to 1");
        assertThatThrownBy(() -> RolloutStatus.fromJson("{not json"))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("not readable");
    }

    @Test
    void phaseIsAFunctionOfPlanAndStatus() {
        RolloutPlan plan = RolloutPlannerTest.plan("10,100");
        Instant t = RolloutPlannerTest.T0;
        RolloutStatus start = RolloutStatus.start(plan, null, t);
        assertThat(RolloutPhase.of(plan, start)).isEqualTo(RolloutPhase.PROGRESSING);
        assertThat(RolloutPhase.of(plan, start.withPause(new PauseState(PauseState.Reason.MANUAL, t, null))))
                .isEqualTo(RolloutPhase.PAUSED);
        assertThat(RolloutPhase.of(RolloutPlannerTest.plan("20,100"), start.withPause(new PauseState(PauseState.Reason.MANUAL, t, null))))
                .as("a changed plan will restart").isEqualTo(RolloutPhase.PROGRESSING);
        assertThat(RolloutPhase.of(plan, start.withAbort(new AbortState(AbortState.Cause.FAILED, "x", t, null))))
                .isEqualTo(RolloutPhase.DEGRADED);
        assertThat(RolloutPhase.of(plan, start.withAbort(new AbortState(AbortState.Cause.CANCELLED, "x", t, null))))
                .isEqualTo(RolloutPhase.ABORTED);
        assertThat(RolloutPhase.of(plan, start.withPosition(new Position(Stage.DONE, 2, t)))).isEqualTo(RolloutPhase.HEALTHY);
    }
}
