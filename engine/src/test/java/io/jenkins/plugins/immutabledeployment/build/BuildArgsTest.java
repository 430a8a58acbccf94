package io.jenkins.plugins.immutabledeployment.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildArgsTest {

    @Test
    void keepsTheOrderAndTurnsScalarsIntoText() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("Z_LAST", 3);
        map.put("A_FIRST", true);
        map.put("_private", "x=y");
        BuildArgs args = BuildArgs.parse(map, "buildArgs");
        assertThat(args.toArguments()).containsExactly(
                "--build-arg", "Z_LAST=3", "--build-arg", "A_FIRST=true", "--build-arg", "_private=x=y");
        assertThat(BuildArgs.parseText(args.toText(), "buildArgs")).isEqualTo(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ST", "A-B", "A B", "", "É"})
    void refusesNamesThatAreNotArgNames(String name) {
        assertThatThrownBy(() -> BuildArgs.parse(Map.of(name, "v"), "buildArgs"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("buildArgs: \"" + name + "\" is not an ARG name");
    }

    @Test
    void refusesValuesThatAreNotSingleLineScalars() {
        assertThatThrownBy(() -> BuildArgs.parse(Map.of("A", "1\n2"), "buildArgs"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("buildArgs.A: spans several lines; expected a single-line value");
        assertThatThrownBy(() -> BuildArgs.parse(Map.of("A", List.of(1)), "buildArgs"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("buildArgs.A: is a ");
        Map<String, Object> nullValue = new LinkedHashMap<>();
        nullValue.put("A", null);
        assertThatThrownBy(() -> BuildArgs.parse(nullValue, "buildArgs")).hasMessageStartingWith("buildArgs.A: has no value");
    }

    @Test
    void readsTheFormsTextLineByLine() {
        BuildArgs args = BuildArgs.parseText("VERSION=1.4\n\n  DEBUG=false  \r\nEMPTY=", "buildArgs");
        assertThat(args.values()).containsExactly(Map.entry("VERSION", "1.4"), Map.entry("DEBUG", "false"), Map.entry("EMPTY", ""));
        assertThat(BuildArgs.parseText("  ", "buildArgs")).isEqualTo(BuildArgs.NONE);
        assertThatThrownBy(() -> BuildArgs.parseText("VERSION=1\nDEBUG", "buildArgs"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("buildArgs: line 2 has no NAME=; expected " + BuildArgs.TEXT_FORM);
    }
}
