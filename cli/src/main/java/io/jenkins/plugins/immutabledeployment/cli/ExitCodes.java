package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.RegistryConnectionException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Exit codes: 0 done; 1 the operation failed ({@link DeploymentException}, or anything unexpected); 2 bad input
 * ({@link InvalidInputException} or a usage error), nothing changed. A failure is explained on stderr and also
 * printed on stdout as one JSON object {@code {"error": {…}}}, so scripts always get JSON.
 */
final class ExitCodes {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    private ExitCodes() {}

    static void install(CommandLine commandLine) {
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> handle(exception, cmd));
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine cmd = exception.getCommandLine();
            report(cmd, BAD_INPUT, "usage", null, exception.getMessage());
            cmd.getErr().println(cmd.getHelp().fullSynopsis());
            cmd.getErr().flush();
            return BAD_INPUT;
        });
    }

    private static int handle(Exception exception, CommandLine cmd) {
        if (exception instanceof InvalidInputException invalid) {
            return report(cmd, BAD_INPUT, "invalid-input", invalid.field(), invalid.getMessage());
        }
        if (exception instanceof DeploymentException failed) {
            return report(cmd, FAILED, kind(failed), null, failed.getMessage() + hint(failed));
        }
        return report(cmd, FAILED, "unexpected", null,
                "unexpected failure: " + exception.getClass().getName() + ": " + exception.getMessage());
    }

    /** The CLI's wording of the fix for a registry that cannot be talked to as configured. */
    private static String hint(DeploymentException failed) {
        if (!(failed instanceof RegistryConnectionException connection)) {
            return "";
        }
        return switch (connection.problem()) {
            case PLAIN_HTTP_SERVER -> " (a plain-HTTP registry: add --plain-http)";
            case TLS_SERVER -> " (drop --plain-http)";
            case UNTRUSTED_CERTIFICATE -> " (trust its CA with --ca-cert FILE)";
            case TLS_HANDSHAKE, UNKNOWN_HOST -> "";
        };
    }

    /** {@code RegistryException} → {@code registry}, {@code TagConflictException} → {@code tag-conflict}. */
    private static String kind(DeploymentException failed) {
        String name = failed.getClass().getSimpleName().replaceFirst("Exception$", "");
        return name.isEmpty() || name.equals("Deployment") ? "failed"
                : name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static int report(CommandLine cmd, int exitCode, String kind, String field, String message) {
        PrintWriter err = cmd.getErr();
        err.println("error: " + message);
        err.flush();
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("exitCode", exitCode);
        error.put("kind", kind);
        if (field != null) {
            error.put("field", field);
        }
        error.put("message", message);
        PrintWriter out = cmd.getOut();
        out.println(JsonCommand.toJson(Map.of("error", error)));
        out.flush();
        return exitCode;
    }
}
