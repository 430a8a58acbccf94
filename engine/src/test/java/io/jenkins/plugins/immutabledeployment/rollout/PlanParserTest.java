package io.jenkins.plugins.immutabledeployment.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlanParserTest {

    static final String IMAGE = "registry.example.com/shop/api@sha256:" + "a".repeat(64);

    static Map<String, Object> errorsAnalysis() {
        return Map.of("errors", Map.of("prometheus", "http://prometheus:9090",
                "query", "sum(rate(http_errors_total[1m]))", "failIf", "> 0.5", "interval", "30s", "count", 4));
    }

    @Test
    void readsStepMapsAsThePipelineGivesThem() {
        List<Step> steps = PlanParser.steps(List.of(
                Map.of("setWeight", 10), Map.of("pause", "2m"), Map.of("pause", "manual"), Map.of("analysis", "errors"),
                Map.of("setWeight", new BigDecimal("50")), Map.of("pause", Map.of("duration", "1h30m")), Map.of("pause", Map.of())));
        assertThat(steps).containsExactly(new Step.SetWeight(10), Step.Pause.of(Duration.ofMinutes(2)), Step.Pause.manual(),
                new Step.Analysis("errors"), new Step.SetWeight(50), Step.Pause.of(Duration.ofMinutes(90)), Step.Pause.manual());
    }

    @Test
    void readsTheCommandLineForm() {
        assertThat(PlanParser.stepsFromText("10,pause:30s,analysis:errors,50,pause:manual,100")).containsExactly(
                new Step.SetWeight(10), Step.Pause.of(Duration.ofSeconds(30)), new Step.Analysis("errors"),
                new Step.SetWeight(50), Step.Pause.manual(), new Step.SetWeight(100));
        assertThat(PlanParser.stepsFromText(" setWeight:5 , pause , weight:100")).containsExactly(
                new Step.SetWeight(5), Step.Pause.manual(), new Step.SetWeight(100));
    }

    @Test
    void expandsTheShorthandWithAPauseBetweenWeights() {
        assertThat(PlanParser.weights(List.of(10, 50, 100), "2m")).containsExactly(new Step.SetWeight(10),
                Step.Pause.of(Duration.ofMinutes(2)), new Step.SetWeight(50), Step.Pause.of(Duration.ofMinutes(2)),
                new Step.SetWeight(100));
        RolloutPlan plan = PlanParser.fromArguments(IMAGE, Map.of("weights", List.of(10, 50), "interval", "1m"));
        assertThat(plan.steps()).containsExactly(new Step.SetWeight(10), Step.Pause.of(Duration.ofMinutes(1)),
                new Step.SetWeight(50), Step.Pause.of(Duration.ofMinutes(1)), new Step.SetWeight(100));
    }

    @Test
    void appendsTheFinalWeightWhenMissing() {
        RolloutPlan plan = RolloutPlan.of(IMAGE, List.of(new Step.SetWeight(10), Step.Pause.manual()), Map.of());
        assertThat(plan.steps()).containsExactly(new Step.SetWeight(10), Step.Pause.manual(), new Step.SetWeight(100));
        assertThat(RolloutPlan.of(IMAGE, List.of(), Map.of()).steps()).containsExactly(new Step.SetWeight(100));
        RolloutPlan after = RolloutPlan.of(IMAGE, List.of(new Step.SetWeight(100), Step.Pause.manual()), Map.of());
        assertThat(after.steps()).containsExactly(new Step.SetWeight(100), Step.Pause.manual());
    }

    @Test
    void readsAWholePlanWithAnalysesAndADeadline() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("steps", List.of(Map.of("setWeight", 10), Map.of("analysis", "errors")));
        args.put("analysis", errorsAnalysis());
        args.put("progressDeadline", "5m");
        RolloutPlan plan = PlanParser.fromArguments(IMAGE, args);
        assertThat(plan.analysis("errors").failIf()).isEqualTo(new Condition(Condition.Operator.GREATER, 0.5));
        assertThat(plan.progressDeadline()).isEqualTo(Duration.ofMinutes(5));
        assertThat(PlanParser.fromArguments(IMAGE, Map.of("steps", "10,50")).steps()).hasSize(3);
    }

    static Stream<Arguments> badPlans() {
        return Stream.of(
                Arguments.of(Map.of("steps", List.of(Map.of("setWeight", 10), Map.of("pause", "2m"), Map.of("setWeight", 120))),
                        "steps[2].setWeight", "steps[2].setWeight: 120 is outside 0..100; expected an integer 0..100"),
                Arguments.of(Map.of("steps", List.of(Map.of("setWeight", 50), Map.of("setWeight", 20))),
                        "steps[1].setWeight", "20 is lower than 50 at steps[0]"),
                Arguments.of(Map.of("steps", List.of(Map.of("setWeight", "ten"))), "steps[0].setWeight", "\"ten\" is not a whole number"),
                Arguments.of(Map.of("steps", List.of(Map.of("setWeight", 10.5))), "steps[0].setWeight", "10.5 is not a whole number"),
                Arguments.of(Map.of("steps", List.of(Map.of("pause", "2x"))), "steps[0].pause", "\"2x\" is neither 'manual' nor a duration"),
                Arguments.of(Map.of("steps", List.of(Map.of("wait", "2m"))), "steps[0]", "\"wait\" is not a step"),
                Arguments.of(Map.of("steps", List.of(Map.of("setWeight", 1, "pause", "1m"))), "steps[0]", "is not a single-key map"),
                Arguments.of(Map.of("steps", List.of(Map.of("analysis", "latency"))), "steps[0].analysis", "\"latency\" is not defined"),
                Arguments.of(Map.of("steps", "10,,50"), "steps[1]", "is empty"),
                Arguments.of(Map.of("steps", "10,pause:forever"), "steps[1].pause", "\"forever\" is neither"),
                Arguments.of(Map.of("steps", "10,analysis:errors"), "steps[1].analysis", "is not defined"),
                Arguments.of(Map.of("weights", List.of(50, 10)), "weights[1]", "10 is lower than the weight before it (50)"),
                Arguments.of(Map.of("weights", List.of(10), "steps", List.of()), "weights", "cannot be combined with steps"),
                Arguments.of(Map.of("weights", List.of(10), "interval", "soon"), "interval", "\"soon\" is not a duration"),
                Arguments.of(Map.of("stpes", List.of()), "canaryRollout.stpes", "is not a known key"),
                Arguments.of(Map.of("progressDeadline", "0s"), "progressDeadline", "must be longer than 0s"));
    }

    @ParameterizedTest
    @MethodSource("badPlans")
    void refusesBadPlansNamingTheStepAndField(Map<String, Object> arguments, String field, String message) {
        assertThatThrownBy(() -> PlanParser.fromArguments(IMAGE, arguments))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(message);
    }

    @Test
    void refusesAnImageWithoutDigest() {
        assertThatThrownBy(() -> RolloutPlan.of("registry.example.com/shop/api:latest", List.of(), Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("image: \"registry.example.com/shop/api:latest\" has no digest; expected REPO@sha256:<64 hex> (a digest-pinned image)");
    }

    @Test
    void hashIsStableAndChangesWithTheSteps() {
        RolloutPlan a = PlanParser.fromArguments(IMAGE, Map.of("steps", "10,pause:2m,100"));
        RolloutPlan same = PlanParser.fromArguments(IMAGE, Map.of("steps", List.of(Map.of("setWeight", 10), Map.of("pause", "120s"))));
        RolloutPlan other = PlanParser.fromArguments(IMAGE, Map.of("steps", "10,pause:3m,100"));
        RolloutPlan otherImage = PlanParser.fromArguments(IMAGE.replace("aaaa", "bbbb"), Map.of("steps", "10,pause:2m,100"));
        assertThat(a.hash()).matches("[0-9a-f]{64}").isEqualTo(same.hash());
        assertThat(other.hash()).isNotEqualTo(a.hash());
        assertThat(otherImage.hash()).isNotEqualTo(a.hash());
    }
}
