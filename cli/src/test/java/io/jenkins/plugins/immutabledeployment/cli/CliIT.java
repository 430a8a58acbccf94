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
            assertThat(conflict.stderr()).contains(digest.toString()).contains("--tag-policy overwrite moves it");

            CliRun badInput = cli(registry, "", "copy", "--image", registry.host() + "/shop/api:1", "--to", "x/y");
            assertThat(badInput.exitCode()).isEqualTo(2);
            assertThat(badInput.json().path("error").path("field").asText()).isEqualTo("image");
        }
    }

    @Test
    void pushesTheImageOfALayoutThatItsRefNamesAndRefusesToGuessBetweenSeveral() throws Exception {
        try (RegistryServer registry = RegistryServer.plain()) {
            Path layout = work.resolve("two");
            Skopeo.copyOciLayout(Umoci.imageWithFiles(work.resolve("a"), "v1", Map.of("which", "first")), "v1", layout, "v1");
            Skopeo.copyOciLayout(Umoci.imageWithFiles(work.resolve("b"), "v1", Map.of("which", "second")), "v1", layout, "v2");
            Skopeo.copyFromOciLayout(layout, "v2", registry, "skopeo/api:v2");

            CliRun guess = cli(registry, "", "push", "--archive", layout.toString(), "--image", registry.host() + "/shop/api:v2");
            CliRun named = cli(registry, "", "push", "--archive", layout + ":v2", "--image", registry.host() + "/shop/api:v2");

            assertThat(guess.exitCode()).as(guess.stderr()).isEqualTo(2);
            assertThat(guess.json().path("error").path("field").asText()).isEqualTo("archive");
            assertThat(guess.stderr()).contains("holds 2 images (v1, v2); name the one to push as PATH:REF");
            assertThat(named.exitCode()).as(named.stderr()).isZero();
            assertThat(Skopeo.inspectDigest(registry, "shop/api:v2")).isEqualTo(Skopeo.inspectDigest(registry, "skopeo/api:v2"))
                    .hasToString(named.json().path("digest").asText());
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
            assertThat(wrong.stderr()).contains("error: resolve: " + registry.host() + " refused the credentials for user alice")
                    .doesNotContain("HTTP 401");
            assertThat(wrong.json().path("error").path("kind").asText()).isEqualTo("credentials-refused");
            Path trustStore = work.resolve("trust.p12");
            io.jenkins.plugins.immutabledeployment.testing.Command.run(List.of("keytool", "-importcert", "-noprompt",
                    "-alias", "registry-ca", "-file", registry.caCertificate().toString(), "-keystore", trustStore.toString(),
                    "-storetype", "PKCS12", "-storepass", "changeit"));
            CliRun jdkTrust = runWithJvmOptions(List.of("-Djavax.net.ssl.trustStore=" + trustStore,
                    "-Djavax.net.ssl.trustStorePassword=changeit"), PASSWORD, "resolve", registry.host() + "/secure/api:1",
                    "--username", "alice", "--password-stdin");
            assertThat(jdkTrust.exitCode()).as("the JDK's default trust, made on first use: " + jdkTrust.stderr()).isZero();
            assertThat(untrusted.exitCode()).isEqualTo(1);
            assertThat(untrusted.stderr()).contains("certificate is not trusted").contains("--ca-cert FILE");
            for (CliRun run : List.of(push, wrong, untrusted, jdkTrust)) {
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
        return runWithJvmOptions(List.of(), stdin, args);
    }

    static CliRun runWithJvmOptions(List<String> jvmOptions, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
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
