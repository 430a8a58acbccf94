package io.jenkins.plugins.immutabledeployment.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnalysisSpecTest {

    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    static Map<String, Object> definition(Object... keyValues) {
        Map<String, Object> map = new HashMap<>(Map.of("prometheus", "http://prometheus:9090", "query", "up"));
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                map.remove((String) keyValues[i]);
            } else {
                map.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return map;
    }

    static AnalysisSpec spec(Object... keyValues) {
        return AnalysisSpecParser.parse(Map.of("errors", definition(keyValues)), "analysis").get("errors");
    }

    @Test
    void readsADefinitionWithArgoDefaults() {
        AnalysisSpec spec = spec("failIf", "> 0.5", "interval", "30s", "count", 4);
        assertThat(spec.prometheus()).isEqualTo(URI.create("http://prometheus:9090"));
        assertThat(spec.count()).isEqualTo(4);
        assertThat(spec.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.failureLimit()).isZero();
        assertThat(spec.inconclusiveLimit()).isZero();
        assertThat(spec.consecutiveErrorLimit()).isEqualTo(4);
        assertThat(spec.initialDelay()).isZero();
        assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec("successIf", ">= 0.95").count()).isEqualTo(1);
    }

    @Test
    void readsDefinitionsFromAJsonFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("analysis.json");
        Files.writeString(file, """
                {"errors": {"prometheus": "https://prom.example.com/prometheus", "query": "sum(rate(x[1m]))",
                            "failIf": "> 0.5", "successIf": "< 0.1", "interval": "30s", "count": 4,
                            "failureLimit": 1, "inconclusiveLimit": 2, "consecutiveErrorLimit": 0, "initialDelay": "1m"}}
                """);
        AnalysisSpec spec = AnalysisSpecParser.fromJson(file, "--analysis").get("errors");
        assertThat(spec.successIf()).isEqualTo(new Condition(Condition.Operator.LESS, 0.1));
        assertThat(spec.failureLimit()).isEqualTo(1);
        assertThat(spec.inconclusiveLimit()).isEqualTo(2);
        assertThat(spec.consecutiveErrorLimit()).isZero();
        assertThat(spec.initialDelay()).isEqualTo(Duration.ofMinutes(1));

        Files.writeString(file, "{\"errors\": {\"query\": }");
        assertThatThrownBy(() -> AnalysisSpecParser.fromJson(file, "--analysis"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not valid JSON")
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> AnalysisSpecParser.fromJson(dir.resolve("missing.json"), "--analysis"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot read");
    }

    static Stream<Arguments> badDefinitions() {
        return Stream.of(
                Arguments.of(definition("failif", "> 1"), "analysis.errors.failif", "is not a known key"),
                Arguments.of(definition("failIf", "> 1", "query", null), "analysis.errors.query", "is empty"),
                Arguments.of(definition(), "analysis.errors", "has neither failIf nor successIf"),
                Arguments.of(definition("failIf", "bigger than 1"), "analysis.errors.failIf", "is not a comparison"),
                Arguments.of(definition("failIf", "> 1", "count", 3), "analysis.errors.interval", "is missing but count is 3"),
                Arguments.of(definition("failIf", "> 1", "count", 0), "analysis.errors.count", "0 is less than 1"),
                Arguments.of(definition("failIf", "> 1", "count", 2, "interval", "1m", "failureLimit", 2),
                        "analysis.errors.failureLimit", "2 is not less than count 2: the analysis would never fail"),
                Arguments.of(definition("failIf", "> 1", "inconclusiveLimit", -1), "analysis.errors.inconclusiveLimit", "is negative"),
                Arguments.of(definition("failIf", "> 1", "interval", "0s"), "analysis.errors.interval", "is zero"),
                Arguments.of(definition("failIf", "> 1", "prometheus", "prometheus:9090"), "analysis.errors.prometheus",
                        "is not an http(s) URL with a host"),
                Arguments.of(definition("failIf", "> 1", "prometheus", null), "analysis.errors.prometheus", "is missing"));
    }

    @ParameterizedTest
    @MethodSource("badDefinitions")
    void refusesBadDefinitionsNamingTheField(Map<String, Object> definition, String field, String message) {
        assertThatThrownBy(() -> AnalysisSpecParser.parse(Map.of("errors", definition), "analysis"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(message);
    }

    @Test
    void neverEchoesCredentialsInTheAddress() {
        assertThatThrownBy(() -> spec("failIf", "> 1", "prometheus", "http://admin:s3cret-pass@prometheus:9090"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("contains credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-pass"));
    }

    static Stream<Arguments> judgements() {
        return Stream.of(
                Arguments.of("> 0.5", null, List.of(0.2), MeasurementOutcome.SUCCESSFUL, "0.2"),
                Arguments.of("> 0.5", null, List.of(0.7), MeasurementOutcome.FAILED, "0.7"),
                Arguments.of(null, ">= 0.95", List.of(0.99), MeasurementOutcome.SUCCESSFUL, "0.99"),
                Arguments.of(null, ">= 0.95", List.of(0.5), MeasurementOutcome.FAILED, "0.5"),
                Arguments.of("< 0.5", "> 0.9", List.of(0.7), MeasurementOutcome.INCONCLUSIVE, "0.7"),
                Arguments.of("< 0.5", "> 0.9", List.of(0.95), MeasurementOutcome.SUCCESSFUL, "0.95"),
                Arguments.of("< 0.5", "> 0.9", List.of(0.1), MeasurementOutcome.FAILED, "0.1"),
                Arguments.of("> 0.5", null, List.of(), MeasurementOutcome.INCONCLUSIVE, null),
                Arguments.of("> 0.5", null, List.of(Double.NaN), MeasurementOutcome.INCONCLUSIVE, "NaN"),
                Arguments.of("> 0.5", null, List.of(0.1, 0.9), MeasurementOutcome.FAILED, "[0.1, 0.9]"),
                Arguments.of(null, "> 0", List.of(1.0, 0.0), MeasurementOutcome.FAILED, "[1, 0]"),
                Arguments.of(null, "> 0", List.of(1.0, 2.0), MeasurementOutcome.SUCCESSFUL, "[1, 2]"));
    }

    @ParameterizedTest
    @MethodSource("judgements")
    void judgesValues(String failIf, String successIf, List<Double> values, MeasurementOutcome outcome, String value) {
        Object[] conditions = {"failIf", failIf, "successIf", successIf};
        Measurement m = spec(conditions).judge(T, values);
        assertThat(m.outcome()).isEqualTo(outcome);
        assertThat(m.value()).isEqualTo(value);
        assertThat(m.takenAt()).isEqualTo(T);
        assertThat(m.message()).isNotBlank();
    }

    @Test
    void aControllerWideDefaultPrometheusFillsOnlyDefinitionsWithoutOne() {
        Map<String, Object> filled = AnalysisSpecParser.withDefaultPrometheus(Map.of(
                "errors", definition("prometheus", null, "failIf", "> 0.5"),
                "latency", definition("prometheus", "http://other:9090", "failIf", "> 2")), "http://prometheus.monitoring:9090", "defaultPrometheusUrl");
        Map<String, AnalysisSpec> specs = AnalysisSpecParser.parse(filled, "analysis");
        assertThat(specs.get("errors").prometheus()).isEqualTo(URI.create("http://prometheus.monitoring:9090"));
        assertThat(specs.get("latency").prometheus()).isEqualTo(URI.create("http://other:9090"));
        assertThat(AnalysisSpecParser.withDefaultPrometheus(Map.of("errors", definition("prometheus", null)), null, "d"))
                .isEqualTo(Map.of("errors", definition("prometheus", null)));
    }

    @Test
    void aDefaultPrometheusIsCheckedLikeAnyAddressAndNeverEchoesCredentials() {
        assertThatThrownBy(() -> AnalysisSpecParser.withDefaultPrometheus(Map.of(), "ftp://prometheus", "defaultPrometheusUrl"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("defaultPrometheusUrl: ");
        assertThatThrownBy(() -> AnalysisSpecParser.prometheusAddress("http://u:s3cret@prometheus:9090", "defaultPrometheusUrl"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("contains credentials")
                .message().doesNotContain("s3cret");
    }
}
