package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --version} prints the version, and builds none of the commands to do so (start-up time). */
class VersionTest {

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V"})
    void printsTheVersionWithoutBuildingTheCommands(String option) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = ImmutableDeploy.run(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), option);

        assertThat(exitCode).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("immutable-deploy " + ImmutableDeploy.version() + "\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(ImmutableDeploy.commandLine(new ImmutableDeploy(System.in, null), option).getSubcommands()).isEmpty();
    }
}
