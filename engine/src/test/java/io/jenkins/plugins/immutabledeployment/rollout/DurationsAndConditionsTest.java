package io.jenkins.plugins.immutabledeployment.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsAndConditionsTest {

    @ParameterizedTest
    @CsvSource({"30s,30", "2m,120", "1h,3600", "1h30m,5400", "1m30s,90", "1h0m5s,3605", "0s,0"})
    void parsesDurations(String text, long seconds) {
        assertThat(Durations.parse(text, "interval")).isEqualTo(Duration.ofSeconds(seconds));
        assertThat(Durations.parse(Durations.format(Duration.ofSeconds(seconds)), "x")).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "2x", "m", "30m1h", "-1s", "1.5m", "2 m"})
    void refusesOtherDurations(String text) {
        assertThatThrownBy(() -> Durations.parse(text, "steps[1].pause"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("steps[1].pause: ")
                .hasMessageEndingWith("expected a duration like 30s, 2m, 1h or 1h30m");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "> 0.5; 0.6; true", "> 0.5; 0.5; false", ">= 0.5; 0.5; true", "< 1e3; 999; true", "<= -1; -1; true",
        "== 0; 0; true", "!= 0; 0; false", "result > 0.5; 1; true", ">0.5; 0.4; false", "> 0.5; Infinity; true"})
    void comparesValues(String condition, double value, boolean expected) {
        Condition parsed = Condition.parse(condition, "failIf");
        assertThat(parsed.test(value)).isEqualTo(expected);
        assertThat(Condition.parse(parsed.toString(), "failIf")).isEqualTo(parsed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0.5", "> ", "=> 1", "> abc", "> 1 or < 0", "~ 1"})
    void refusesOtherConditions(String text) {
        assertThatThrownBy(() -> Condition.parse(text, "analysis.errors.failIf"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("analysis.errors.failIf: ")
                .hasMessageContaining("expected an operator (<, <=, >, >=, ==, !=) and a number");
    }
}
