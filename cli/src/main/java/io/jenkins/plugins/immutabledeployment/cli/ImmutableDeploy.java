package io.jenkins.plugins.immutabledeployment.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code immutable-deploy} command: the engine's operations outside Jenkins. */
@Command(
        name = "immutable-deploy",
        mixinStandardHelpOptions = true,
        versionProvider = ImmutableDeploy.Version.class,
        description = "Sealed, digest-pinned container releases: push, promote, roll out, roll back.")
public final class ImmutableDeploy {

    /**
     * The commands, in the order help lists them. Only the one a run names is built: picocli reads every option of
     * every command it is given, which would be start-up time spent on commands that do not run.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("push", PushCommand::new);
        commands.put("resolve", ResolveCommand::new);
        commands.put("copy", CopyCommand::new);
        commands.put("promote", PromoteCommand::new);
        commands.put("verify", VerifyCommand::new);
        commands.put("rollout", RolloutCommand::new);
        commands.put("rollback", RollbackCommand::new);
        commands.put("history", HistoryCommand::new);
        return Collections.unmodifiableMap(commands);
    }

    private final InputStream stdin;
    private final Output output;

    ImmutableDeploy(InputStream stdin, Output output) {
        this.stdin = stdin;
        this.output = output;
    }

    public static void main(String[] args) {
        Warmup.start(args);
        Output output = new Output(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8));
        // Ctrl-C ends the JVM through its shutdown hooks (exit status 130): say so, in JSON like every other end.
        Runtime.getRuntime().addShutdownHook(new Thread(output::interrupted, "ctrl-c"));
        int exitCode = run(System.in, output, args);
        output.end(); // a shutdown from here on is the normal exit, not an interruption
        HttpClientSelectors.stop();
        System.exit(exitCode);
    }

    /** Runs a command with the given standard streams; returns the exit code (0 done, 1 failed, 2 bad input). */
    static int run(InputStream stdin, PrintStream stdout, PrintStream stderr, String... args) {
        return run(stdin, new Output(new PrintWriter(stdout, true, StandardCharsets.UTF_8),
                new PrintWriter(stderr, true, StandardCharsets.UTF_8)), args);
    }

    private static int run(InputStream stdin, Output output, String... args) {
        ImmutableDeploy root = new ImmutableDeploy(stdin, output);
        JsonCommand parsed = QuickArguments.parse(args);
        if (parsed != null) {
            return parsed.runParsed(root, args[0]);
        }
        CommandLine commandLine = commandLine(root, args)
                .setOut(output.out())
                .setErr(output.err());
        ExitCodes.install(commandLine, output);
        return commandLine.execute(args);
    }

    /**
     * The command line for {@code args}: with the command they name only, with none for {@code --version}, else
     * (help, a mistyped name) with all.
     */
    static CommandLine commandLine(ImmutableDeploy root, String... args) {
        CommandLine commandLine = new CommandLine(root);
        Supplier<Object> named = args.length == 0 ? null : COMMANDS.get(args[0]);
        if (named != null) {
            commandLine.addSubcommand(args[0], named.get());
        } else if (!asksForVersion(args)) {
            COMMANDS.forEach((name, command) -> commandLine.addSubcommand(name, command.get()));
        }
        return commandLine;
    }

    private static boolean asksForVersion(String... args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /** Standard input, where {@code --password-stdin} reads from. */
    InputStream stdin() {
        return stdin;
    }

    /** Where the run's end (result or failure) is printed, once. */
    Output output() {
        return output;
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
