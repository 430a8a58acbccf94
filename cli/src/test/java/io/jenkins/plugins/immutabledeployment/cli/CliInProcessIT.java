package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands run in this JVM against a real registry with TLS and basic auth: every command's output is
 * checked for the password given on stdin, success and failure alike.
 */
class CliInProcessIT {

    private static final String PASSWORD = "In-Process-Secret-42";

    @TempDir
    Path work;

    @Test
    void noCommandPrintsThePasswordWhetherItSucceedsOrFails() throws Exception {
        try (RegistryServer registry = RegistryServer.withTlsAndBasicAuth("alice", PASSWORD)) {
            Path layout = Umoci.imageWithFiles(work.resolve("layout"), "v1", Map.of("p", "in process"));
            List<CliRun> runs = new ArrayList<>();

            CliRun push = run(registry, PASSWORD + "\n", "push", "--archive", layout.toString(),
                    "--image", registry.host() + "/app/api:1");
            runs.add(push);
            String digest = push.json().path("digest").asText();
            CliRun resolve = run(registry, PASSWORD + "\r\n", "resolve", registry.host() + "/app/api:1");
            CliRun copy = run(registry, PASSWORD, "copy", "--image", registry.host() + "/app/api@" + digest,
                    "--to", registry.host() + "/app/prod:1");
            CliRun missing = run(registry, PASSWORD, "resolve", registry.host() + "/app/api:missing");
            CliRun wrong = run(registry, PASSWORD + "-wrong", "resolve", registry.host() + "/app/api:1");
            runs.addAll(List.of(resolve, copy, missing, wrong));

            assertThat(List.of(push, resolve, copy)).extracting(CliRun::exitCode).containsOnly(0);
            assertThat(resolve.json().path("digest").asText()).isEqualTo(digest);
            assertThat(copy.json().path("blobsMounted").asInt()).isEqualTo(2);
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.json().path("error").path("kind").asText()).isEqualTo("registry");
            assertThat(wrong.exitCode()).isEqualTo(1);
            for (CliRun run : runs) {
                assertThat(run.stdout()).doesNotContain(PASSWORD);
                assertThat(run.stderr()).doesNotContain(PASSWORD);
            }
        }
    }

    private static CliRun run(RegistryServer registry, String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(registry.cliOptions());
        all.addAll(List.of("--username", "alice", "--password-stdin"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = ImmutableDeploy.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                all.toArray(String[]::new));
        return new CliRun(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
