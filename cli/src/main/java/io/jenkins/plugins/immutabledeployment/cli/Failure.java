package io.jenkins.plugins.immutabledeployment.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure as the command line reports it: the exit code, the {@code kind} scripts branch on, the option that was
 * wrong (bad input), the message in the command line's words, and, for some kinds, what was found ({@code report}).
 */
record Failure(int exitCode, String kind, String field, String message, Object report) {

    static Failure badInput(String kind, String field, String message) {
        return new Failure(ExitCodes.BAD_INPUT, kind, field, message, null);
    }

    static Failure failed(String kind, String message) {
        return new Failure(ExitCodes.FAILED, kind, null, message, null);
    }

    /** The {@code {"error": {…}}} object printed on standard output. */
    Map<String, Object> json() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("exitCode", exitCode);
        error.put("kind", kind);
        if (field != null) {
            error.put("field", field);
        }
        error.put("message", message);
        if (report != null) {
            error.put("report", report);
        }
        return Map.of("error", error);
    }
}
