package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.immutabledeployment.oci.PushResult;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person's decisions on a running {@code immutable-deploy rollout}, each made as in a terminal: {@code rollout
 * promote} from a second shell ends a manual pause; Ctrl-C (a real SIGINT) aborts to stable before the process exits.
 */
class RolloutDecisionsIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final String WAITING = "Waiting for a decision. From another shell run:";

    @TempDir
    Path work;

    @Test
    void aManualPauseIsPromotedFromASecondShell() throws Exception {
        try (RegistryServer registry = RegistryServer.plain(); MockCluster cluster = MockCluster.start()) {
            PushResult pushed = CliFixtures.push(registry, work, "shop/api:2", "v2");
            cluster.createStable("shop", "api", 2, registry.host() + "/shop/api@sha256:" + "0".repeat(64));
            String kubeconfig = CliFixtures.kubeconfig(cluster, work).toString();

            try (RunningCli rollout = RunningCli.start("rollout", "--image", pushed.image(), "--deployment", "api",
                    "--namespace", "shop", "--kubeconfig", kubeconfig, "--steps", "50,pause:manual,100", "--plain-http")) {
                rollout.awaitStderr(WAITING, LIMIT);
                assertThat(image(cluster, "api")).as("stable waits untouched at the pause").doesNotContain(pushed.digest().toString());

                CliRun promote = RunningCli.run(LIMIT, "rollout", "promote", "--deployment", "api", "--namespace", "shop",
                        "--kubeconfig", kubeconfig);
                assertThat(promote.exitCode()).as(promote.stderr()).isZero();
                assertThat(promote.json().path("sent").asText()).isEqualTo("promote");

                CliRun result = rollout.awaitExit(LIMIT);
                assertThat(result.exitCode()).as(result.stderr()).isZero();
                assertThat(result.json().path("phase").asText()).isEqualTo("Healthy");
                assertThat(image(cluster, "api")).isEqualTo(pushed.image());
                cluster.awaitDeploymentGone("shop", "api-canary");
            }
        }
    }

    @Test
    void ctrlCAbortsToStableBeforeTheProcessExits() throws Exception {
        try (RegistryServer registry = RegistryServer.plain(); MockCluster cluster = MockCluster.start()) {
            PushResult pushed = CliFixtures.push(registry, work, "shop/api:3", "v3");
            String stable = registry.host() + "/shop/api@sha256:" + "0".repeat(64);
            cluster.createStable("shop", "api", 2, stable);
            String kubeconfig = CliFixtures.kubeconfig(cluster, work).toString();

            try (RunningCli rollout = RunningCli.start("rollout", "--image", pushed.image(), "--deployment", "api",
                    "--namespace", "shop", "--kubeconfig", kubeconfig, "--steps", "50,pause:manual,100", "--plain-http")) {
                rollout.awaitStderr(WAITING, LIMIT);
                assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("api-canary").get())
                        .as("the canary runs while the rollout waits").isNotNull();

                rollout.interrupt();

                CliRun result = rollout.awaitExit(LIMIT);
                String printed = "stdout:\n" + result.stdout() + "stderr:\n" + result.stderr();
                assertThat(result.exitCode()).as("the exit status of a process ended by SIGINT; " + printed).isEqualTo(130);
                assertThat(result.stderr()).contains("Interrupted: aborting the rollout")
                        .contains("interrupted on the command line (Ctrl-C)");
                assertThat(result.json().path("phase").asText()).as("the aborted rollout's result, once; " + printed)
                        .isEqualTo("Aborted");
                assertThat(result.stdout().lines()).hasSize(1);
                // The process waited for the abort before exiting: nothing is left to wait for here.
                assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("api-canary").get())
                        .as("the canary is gone when the process has exited").isNull();
                assertThat(image(cluster, "api")).isEqualTo(stable);
            }
        }
    }

    private static String image(MockCluster cluster, String name) {
        Deployment deployment = cluster.client().apps().deployments().inNamespace("shop").withName(name).get();
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }
}
