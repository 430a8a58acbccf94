package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Exit codes: 0 done; 1 the operation failed ({@link DeploymentException}, or anything unexpected); 2 bad input
 * ({@link InvalidInputException} or a usage error), nothing changed; 130 interrupted (Ctrl-C). A failure is
 * explained on stderr and also printed on stdout as one JSON object {@code {"error": {…}}} ({@link Failure}), so
 * scripts always get JSON; {@link FailureWording} says it in the command line's words.
 */
final class ExitCodes {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;
    static final int INTERRUPTED = 130;

    private ExitCodes() {}

    static void install(CommandLine commandLine, Output output) {
        commandLine.setExecutionExceptionHandler(
                (exception, cmd, parseResult) -> output.failure(FailureWording.of(exception, commandName(cmd))));
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine cmd = exception.getCommandLine();
            int exitCode = output.failure(Failure.badInput("usage", null, exception.getMessage() + suggestion(exception)));
            cmd.getErr().println(cmd.getHelp().fullSynopsis());
            cmd.getErr().flush();
            return exitCode;
        });
    }

    /** The command as typed, without the program's name: {@code push}, {@code rollout promote}. */
    static String commandName(CommandLine cmd) {
        String qualified = cmd.getCommandSpec().qualifiedName(" ");
        int space = qualified.indexOf(' ');
        return space < 0 ? qualified : qualified.substring(space + 1);
    }

    /** {@code ; did you mean push?} for a mistyped command or option that is near a real one. */
    private static String suggestion(CommandLine.ParameterException exception) {
        if (exception instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                return "; did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size()))) + "?";
            }
        }
        return "";
    }
}
