package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Skopeo;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the shaded {@code immutable-deploy.jar} as a black box: JSON on stdout, progress on stderr, exit codes. */
class CliIT {

    private static final Path JAR = Path.of("target", "immutable-deploy.jar");
    private static final String PASSWORD = "Cli-Pa55word-Must-Not-Leak";

    @TempDir
    Path work;

    @BeforeAll
    static void jarIsBuilt() {
        assertThat(JAR).as("failsafe runs after package").exists();
    }

    @Test
    void pushResolveAndCopyPrintJsonAndExitWithTheRightCodes() throws Exception {
        try (RegistryServer registry = RegistryServer.plain()) {
            Path layout = Umoci.imageWithFiles(work.resolve("a"), "v1", Map.of("hello", "cli"));
            Path other = Umoci.imageWithFiles(work.resolve("b"), "v1", Map.of("hello", "other"));

            CliRun push = cli(registry, "", "push", "--archive", layout.toString(), "--image", registry.host() + "/shop/api:1");
            assertThat(push.exitCode()).as(push.stderr()).isZero();
            Digest digest = Digest.parse(push.json().path("digest").asText());
            assertThat(push.json().path("image").asText()).isEqualTo(registry.host() + "/shop/api@" + digest);
            assertThat(push.stdout().lines()).hasSize(1);
            assertThat(push.stderr()).contains("Pushing").contains("uploaded");
            assertThat(Skopeo.inspectDigest(registry, "shop/api:1")).isEqualTo(digest);

            CliRun resolve = cli(registry, "", "resolve", registry.host() + "/shop/api:1");
            assertThat(resolve.exitCode()).isZero();
            assertThat(resolve.json().path("digest").asText()).isEqualTo(digest.toString());

            CliRun copy = cli(registry, "", "copy", "--image", registry.host() + "/shop/api@" + digest,
                    "--to", registry.host() + "/prod/api:release");
            assertThat(copy.exitCode()).as(copy.stderr()).isZero();
            assertThat(copy.json().path("digest").asText()).isEqualTo(digest.toString());
            assertThat(copy.json().path("blobsMounted").asInt()).isEqualTo(2);
            assertThat(copy.json().path("bytesCopied").asLong()).isZero();
            assertThat(Skopeo.inspectDigest(registry, "prod/api:release")).isEqualTo(digest);

            CliRun conflict = cli(registry, "", "push", "--archive", other.toString(), "--image", registry.host() + "/shop/api:1");
            assertThat(conflict.exitCode()).isEqualTo(1);
            assertThat(conflict.json().path("error").path("kind").asText()).isEqualTo("tag-conflict");
            assertThat(conflict.stderr()).contains(digest.toString());

            CliRun badInput = cli(registry, "", "copy", "--image", registry.host() + "/shop/api:1", "--to", "x/y");
            assertThat(badInput.exitCode()).isEqualTo(2);
            assertThat(badInput.json().path("error").path("field").asText()).isEqualTo("image");
        }
    }

    @Test
    void passwordFromStdinNeverAppearsAndTlsNeedsTheCa() throws Exception {
        try (RegistryServer registry = RegistryServer.withTlsAndBasicAuth("alice", PASSWORD)) {
            Path layout = Umoci.imageWithFiles(work.resolve("secure"), "v1", Map.of("s", "secure"));

            CliRun push = cli(registry, PASSWORD + "\n", "push", "--archive", layout.toString(),
                    "--image", registry.host() + "/secure/api:1", "--username", "alice", "--password-stdin");
            CliRun wrong = cli(registry, "not-" + PASSWORD, "resolve", registry.host() + "/secure/api:1",
                    "--username", "alice", "--password-stdin");
            CliRun untrusted = run(PASSWORD, "resolve", registry.host() + "/secure/api:1", "--username", "alice",
                    "--password-stdin");

            assertThat(push.exitCode()).as(push.stderr()).isZero();
            assertThat(Skopeo.inspectDigest(registry, "secure/api:1").toString()).isEqualTo(push.json().path("digest").asText());
            assertThat(wrong.exitCode()).isEqualTo(1);
            assertThat(wrong.stderr()).contains("HTTP 401");
            assertThat(untrusted.exitCode()).isEqualTo(1);
            assertThat(untrusted.stderr()).contains("certificate is not trusted").contains("--ca-cert FILE");
            for (CliRun run : List.of(push, wrong, untrusted)) {
                assertThat(run.stdout()).doesNotContain(PASSWORD);
                assertThat(run.stderr()).doesNotContain(PASSWORD);
            }
            assertThat(registry.log()).doesNotContain(PASSWORD);
        }
    }

    /** Runs the CLI with the registry's options appended. */
    static CliRun cli(RegistryServer registry, String stdin, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(registry.cliOptions());
        return run(stdin, all.toArray(String[]::new));
    }

    static CliRun run(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("cli-", ".out");
        Path err = Files.createTempFile("cli-", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("CLI finished").isTrue();
            return new CliRun(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
