package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded CLI as a process: what it says when it cannot go on, and when it is stopped. */
class FailingFastIT {

    @TempDir
    Path work;

    @Test
    void ctrlCMidPushPrintsTheInterruptedErrorAsJsonAndOneLine() throws Exception {
        try (RegistryServer registry = RegistryServer.plain();
                StallingRelay link = new StallingRelay(registry.host(), 256 << 10)) {
            Path layout = Umoci.imageWithRandomLayer(work.resolve("big"), "v1", 1 << 20, 12);
            try (RunningCli cli = RunningCli.start(Map.of(), "push", "--archive", layout.toString(), "--image",
                    link.host() + "/slow/app:1", "--plain-http", "--no-provenance")) {
                cli.awaitStderr("Pushing", Duration.ofMinutes(1));
                link.awaitStall(60);
                cli.interrupt();
                CliRun run = cli.awaitExit(Duration.ofMinutes(1));

                assertThat(run.exitCode()).isEqualTo(130);
                assertThat(run.json().path("error").path("kind").asText()).isEqualTo("interrupted");
                assertThat(run.json().path("error").path("exitCode").asInt()).isEqualTo(130);
                assertThat(run.stdout().lines()).hasSize(1);
                assertThat(run.stderr().lines().filter(line -> line.startsWith("error: ")))
                        .containsExactly("error: interrupted (Ctrl-C): push stopped before it finished");
            }
        }
    }

    @Test
    void withoutAnyKubernetesConfigurationTheClusterCommandsSayWhereTheyLookedAndExit2() throws Exception {
        Map<String, String> noKube = Map.of("HOME", work.toString(), "KUBECONFIG", "");
        for (String command : new String[] {"history", "rollback"}) {
            CliRun run = RunningCli.run(noKube, Duration.ofMinutes(1), command, "--deployment", "api", "--namespace", "shop");

            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
            assertThat(run.json().path("error").path("field").asText()).isEqualTo("kubeconfig");
            assertThat(run.stderr()).contains("no Kubernetes configuration found (looked at $KUBECONFIG (not set), "
                    + work.resolve(".kube/config") + " (no such file), the in-cluster service account")
                    .contains("--kubeconfig FILE")
                    .doesNotContain("SLF4J");
        }
    }
}
