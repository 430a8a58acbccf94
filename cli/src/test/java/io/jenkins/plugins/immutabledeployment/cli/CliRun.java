package io.jenkins.plugins.immutabledeployment.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.Json;
import java.io.IOException;

/** What one run of the CLI printed, and its exit code. */
record CliRun(int exitCode, String stdout, String stderr) {

    /** Standard output, which is always one JSON object. */
    JsonNode json() throws IOException {
        return Json.mapper().readTree(stdout);
    }
}
