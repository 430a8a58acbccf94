package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@link QuickArguments} parses push and copy as picocli would, or leaves the arguments to picocli: its tables hold
 * the options picocli knows for these commands, and the commands it makes are those picocli makes.
 */
class QuickArgumentsTest {

    private static final String ALL_PUSH_OPTIONS = "push --archive layout:v1 --image registry.example.com/shop/api:1"
            + " --sign-key key.pem --no-provenance --sbom bom.json --builder-id https://ci/job --build-url https://ci/job/1"
            + " --job shop/api --source-repository https://git/shop --source-commit 0123456789abcdef0123456789abcdef01234567"
            + " --source-ref refs/heads/main --tag-policy overwrite --plain-http --ca-cert ca.pem --auth-file auth.json"
            + " --username alice --password-stdin --quiet";
    private static final String ALL_COPY_OPTIONS = "copy --to registry.example.com/prod/api:1 --quiet --image"
            + " registry.example.com/shop/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            + " --tag-policy overwrite --plain-http --ca-cert ca.pem --auth-file auth.json --username alice --password-stdin";

    @ParameterizedTest
    @ValueSource(strings = {"push", "copy"})
    void knowsExactlyTheOptionsPicocliKnows(String command) {
        Map<String, QuickArguments.Kind> picocli = new HashMap<>();
        for (OptionSpec option : picocliCommand(command + " --help").getCommandSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                picocli.put(option.longestName(), option.arity().max() == 0 ? QuickArguments.Kind.FLAG
                        : option.required() ? QuickArguments.Kind.REQUIRED_VALUE : QuickArguments.Kind.VALUE);
            }
        }

        assertThat(QuickArguments.options(command)).isEqualTo(picocli);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "push --archive layout --image registry.example.com/shop/api:1",
        "push --image registry.example.com/shop/api --archive image.tar:shop/api:1 --plain-http",
        ALL_PUSH_OPTIONS,
        "copy --image registry.example.com/shop/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                + " --to registry.example.com/prod/api",
        ALL_COPY_OPTIONS,
    })
    void makesTheCommandPicocliMakes(String line) {
        String[] args = line.split(" ");

        JsonCommand quick = QuickArguments.parse(args);

        assertThat(quick).as("parsed without picocli").isNotNull();
        Object picocli = picocliCommand(line).getParseResult().subcommand().commandSpec().userObject();
        assertThat(quick).usingRecursiveComparison().usingOverriddenEquals().ignoringFields("spec").isEqualTo(picocli);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "push --help",
        "push --archive layout --image registry.example.com/shop/api:1 --help",
        "push --archive=layout --image registry.example.com/shop/api:1",
        "push @arguments.txt",
        "push --archive @layout --image registry.example.com/shop/api:1",
        "push --archive layout --image registry.example.com/shop/api:1 --archive other",
        "push --archive layout --image registry.example.com/shop/api:1 --plain-http --plain-http",
        "push --archive layout",
        "push --archive layout --image",
        "push --archive -layout --image registry.example.com/shop/api:1",
        "push --archive layout --image registry.example.com/shop/api:1 --frobnicate",
        "push --archive layout --image registry.example.com/shop/api:1 extra",
        "push --archive layout --image registry.example.com/shop/api:1 --plain-http true",
        "push --archive layout --image registry.example.com/shop/api:1 -h",
        "copy --image registry.example.com/shop/api@sha256:0123 --to",
        "copy --to registry.example.com/prod/api",
        "resolve registry.example.com/shop/api:1",
        "--version",
        "",
    })
    void leavesEverythingElseToPicocli(String line) {
        assertThat(QuickArguments.parse(line.isEmpty() ? new String[0] : line.split(" "))).isNull();
    }

    @Test
    void aPathPicocliWouldRefuseIsLeftToIt() {
        assertThat(QuickArguments.parse("push", "--archive", "layout", "--image", "registry.example.com/shop/api:1",
                "--sign-key", "key\0.pem")).isNull();
        assertThat(QuickArguments.parse("copy", "--image", "registry.example.com/shop/api@sha256:01",
                "--to", "registry.example.com/prod/api", "--ca-cert", "ca\0.pem")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "push --archive %s/missing --image 127.0.0.1:1/shop/api:1 --plain-http",
        "push --archive %s/missing --image http://127.0.0.1:1/shop/api:1",
        "copy --image 127.0.0.1:1/shop/api:1 --to 127.0.0.1:1/prod/api --plain-http",
        "copy --image 127.0.0.1:1/shop/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                + " --to 127.0.0.1:1/prod/api --tag-policy sometimes",
    })
    void aBadValueIsReportedAsPicocliReportsIt(String template) {
        String line = template.formatted(System.getProperty("java.io.tmpdir"));
        String[] quick = line.split(" ");
        String[] viaPicocli = line.replace("--image ", "--image=").split(" ");
        assertThat(QuickArguments.parse(quick)).isNotNull();
        assertThat(QuickArguments.parse(viaPicocli)).isNull();

        Run fast = run(quick);
        Run picocli = run(viaPicocli);

        assertThat(fast.exitCode).isEqualTo(2);
        assertThat(fast).usingRecursiveComparison().isEqualTo(picocli);
    }

    private static CommandLine picocliCommand(String line) {
        String[] args = line.split(" ");
        Output output = new Output(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        ImmutableDeploy root = new ImmutableDeploy(new ByteArrayInputStream(new byte[0]), output);
        CommandLine commandLine = ImmutableDeploy.commandLine(root, args);
        commandLine.parseArgs(args);
        return args[args.length - 1].equals("--help") ? commandLine.getSubcommands().get(args[0]) : commandLine;
    }

    private record Run(int exitCode, String stdout, String stderr) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = ImmutableDeploy.run(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
