package io.jenkins.plugins.immutabledeployment.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code immutable-deploy} command: the engine's operations outside Jenkins. */
@Command(
        name = "immutable-deploy",
        mixinStandardHelpOptions = true,
        versionProvider = ImmutableDeploy.Version.class,
        description = "Sealed, digest-pinned container releases: push, promote, roll out, roll back.",
        subcommands = {PushCommand.class, ResolveCommand.class, CopyCommand.class, PromoteCommand.class,
            VerifyCommand.class})
public final class ImmutableDeploy {

    private final InputStream stdin;

    ImmutableDeploy(InputStream stdin) {
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return run(System.in, System.out, System.err, args);
    }

    /** Runs a command with the given standard streams; returns the exit code (0 done, 1 failed, 2 bad input). */
    static int run(InputStream stdin, PrintStream stdout, PrintStream stderr, String... args) {
        CommandLine commandLine = new CommandLine(new ImmutableDeploy(stdin))
                .setOut(new PrintWriter(stdout, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(stderr, true, StandardCharsets.UTF_8));
        ExitCodes.install(commandLine);
        return commandLine.execute(args);
    }

    /** Standard input, where {@code --password-stdin} reads from. */
    InputStream stdin() {
        return stdin;
    }

    /** This build's version, or {@code dev} when run from classes rather than the jar. */
    static String version() {
        String v = ImmutableDeploy.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"immutable-deploy " + version()};
        }
    }
}
