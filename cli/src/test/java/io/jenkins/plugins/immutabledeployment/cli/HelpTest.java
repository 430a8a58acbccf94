package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code --help} of every command and subcommand prints its usage and nothing else: no picocli warnings. */
class HelpTest {

    static Stream<String> commands() {
        List<String> names = new ArrayList<>();
        collect(ImmutableDeploy.commandLine(new ImmutableDeploy(System.in, null)), "", names);
        return names.stream();
    }

    private static void collect(CommandLine command, String prefix, List<String> names) {
        names.add(prefix.strip());
        command.getSubcommands().forEach((name, sub) -> collect(sub, prefix + " " + name, names));
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("commands")
    void printsUsageWithoutPicocliWarnings(String command) {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--help");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        int exitCode;
        // picocli's own warnings go to System.err, not to the command's error writer.
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            exitCode = ImmutableDeploy.run(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
        } finally {
            System.setErr(systemErr);
        }
        assertThat(exitCode).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: immutable-deploy");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
