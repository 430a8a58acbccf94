package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Skopeo;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code target/immutable-deploy}, the launcher the build puts next to the jar: it runs the commands, and the
 * class-data sharing archive the build made is usable ({@code -Xshare:on} makes the JVM refuse to start otherwise),
 * holds picocli's classes too, and is not needed: without it the launcher runs the jar all the same.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("target", "immutable-deploy");

    @TempDir
    Path work;

    @Test
    void theLauncherPushesWithTheClassDataSharingArchiveOfTheBuild() throws Exception {
        assertThat(LAUNCHER).isExecutable();
        assertThat(Path.of("target", "immutable-deploy.jsa")).isRegularFile();
        try (RegistryServer registry = RegistryServer.plain()) {
            Path layout = Umoci.imageWithFiles(work.resolve("layout"), "v1", Map.of("launched", "yes"));

            CliRun version = launch(LAUNCHER, "-Xshare:on", "--version");
            CliRun push = launch(LAUNCHER, "-Xshare:on", "push", "--archive", layout.toString(), "--image", registry.host() + "/launched/app:1",
                    "--plain-http");

            assertThat(version.exitCode()).as(version.stderr()).isZero();
            assertThat(version.stdout()).startsWith("immutable-deploy ");
            assertThat(push.exitCode()).as(push.stderr()).isZero();
            assertThat(push.stdout().lines()).hasSize(1);
            assertThat(Skopeo.inspectDigest(registry, "launched/app:1").toString()).isEqualTo(push.json().path("digest").asText());
        }
    }

    @Test
    void picocliStartsFromTheArchiveThoughItsClassFilesPredateJava6() throws Exception {
        Path classes = work.resolve("classes.log");

        CliRun version = launch(LAUNCHER, "-Xshare:on -Xlog:class+load:file=" + classes, "--version");

        assertThat(version.exitCode()).as(version.stderr()).isZero();
        assertThat(Files.readAllLines(classes)).filteredOn(line -> line.contains(" picocli.CommandLine "))
                .singleElement(as(InstanceOfAssertFactories.STRING)).endsWith("source: shared objects file");
    }

    @Test
    void theLauncherRunsTheJarWhenThereIsNoArchive() throws Exception {
        Path copy = Files.createDirectories(work.resolve("no-archive"));
        Path launcher = Files.copy(LAUNCHER, copy.resolve("immutable-deploy"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(LAUNCHER.resolveSibling("immutable-deploy.jar"), copy.resolve("immutable-deploy.jar"));

        CliRun version = launch(launcher, "", "--version");

        assertThat(version.exitCode()).as(version.stderr()).isZero();
        assertThat(version.stdout()).startsWith("immutable-deploy ");
        assertThat(version.stderr()).isEmpty();
    }

    /** Runs {@code launcher} with {@code javaOptions} in IMMUTABLE_DEPLOY_JAVA_OPTS. */
    private CliRun launch(Path launcher, String javaOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("IMMUTABLE_DEPLOY_JAVA_OPTS", javaOptions);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the launcher finished").isTrue();
        return new CliRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
