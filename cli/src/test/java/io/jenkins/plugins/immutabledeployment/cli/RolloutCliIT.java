package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.jenkins.plugins.immutabledeployment.kube.CanaryDeployments;
import io.jenkins.plugins.immutabledeployment.oci.PushResult;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives {@code immutable-deploy rollout / rollback / history} as a black box against the mock cluster and a real registry. */
class RolloutCliIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path work;

    @Test
    void rolloutSucceedsThenHistoryShowsIt() throws Exception {
        try (RegistryServer registry = RegistryServer.plain(); MockCluster cluster = MockCluster.start()) {
            PushResult pushed = push(registry, "shop/api:2", "v2");
            cluster.createStable("shop", "api", 2, registry.host() + "/shop/api@sha256:" + "0".repeat(64));
            Path kubeconfig = kubeconfig(cluster);

            CliRun rollout = cli("rollout", "--image", pushed.image(), "--deployment", "api", "--namespace", "shop",
                    "--kubeconfig", kubeconfig.toString(), "--steps", "50,100", "--plain-http");

            assertThat(rollout.exitCode()).as(rollout.stderr()).isZero();
            assertThat(rollout.json().path("phase").asText()).isEqualTo("Healthy");
            assertThat(rollout.json().path("digest").asText()).isEqualTo(pushed.digest().toString());
            assertThat(rollout.json().path("steps").asInt()).isEqualTo(2);
            assertThat(rollout.stderr()).contains("setting canary weight 50");
            assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("api").get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(pushed.image());

            CliRun history = cli("history", "--deployment", "api", "--namespace", "shop", "--kubeconfig", kubeconfig.toString());
            assertThat(history.exitCode()).as(history.stderr()).isZero();
            assertThat(history.json().path("releases").get(0).path("digest").asText()).isEqualTo(pushed.digest().toString());
            assertThat(history.json().path("releases").get(0).path("outcome").asText()).isEqualTo("promoted");
        }
    }

    @Test
    void rollbackAfterAGatewayRolloutSendsTheRouteBackToStable() throws Exception {
        try (RegistryServer registry = RegistryServer.plain(); MockCluster cluster = MockCluster.start()) {
            PushResult v1 = push(registry, "shop/api:1", "v1");
            PushResult v2 = push(registry, "shop/api:2", "v2");
            String role = CanaryDeployments.ROLE_LABEL;
            cluster.createStable("shop", "api", 2, v1.image(), Map.of("app", "api", role, "stable"));
            cluster.createService("shop", "api-stable", Map.of("app", "api", role, "stable"));
            cluster.createService("shop", "api-canary", Map.of("app", "api", role, "canary"));
            cluster.client().resources(HTTPRoute.class).inNamespace("shop").resource(new HTTPRouteBuilder()
                    .withNewMetadata().withName("api").withNamespace("shop").endMetadata()
                    .withNewSpec().addNewRule()
                    .addNewBackendRef().withName("api-stable").withPort(80).withWeight(100).endBackendRef()
                    .addNewBackendRef().withName("api-canary").withPort(80).withWeight(0).endBackendRef()
                    .endRule().endSpec().build()).create();
            String kubeconfig = kubeconfig(cluster).toString();
            CliRun rollout = cli("rollout", "--image", v2.image(), "--deployment", "api", "--namespace", "shop",
                    "--kubeconfig", kubeconfig, "--steps", "50,100", "--plain-http",
                    "--traffic", "gateway", "--http-route", "api", "--stable-service", "api-stable", "--canary-service", "api-canary");
            assertThat(rollout.exitCode()).as(rollout.stderr()).isZero();
            // a later rollout's process died half-way, half the traffic on the canary Service
            cluster.client().resources(HTTPRoute.class).inNamespace("shop").withName("api").edit(r -> {
                r.getSpec().getRules().get(0).getBackendRefs().forEach(ref -> ref.setWeight(50));
                return r;
            });

            CliRun rollback = cli("rollback", "--image", v1.image(), "--deployment", "api", "--namespace", "shop",
                    "--kubeconfig", kubeconfig, "--plain-http");

            assertThat(rollback.exitCode()).as(rollback.stderr()).isZero();
            assertThat(rollback.stderr()).contains("Gateway API HTTPRoute api").contains("canary weight 50% back to 0%");
            assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("api").get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(v1.image());
            assertThat(cluster.client().resources(HTTPRoute.class).inNamespace("shop").withName("api").get()
                    .getSpec().getRules().get(0).getBackendRefs()).extracting(HTTPBackendRef::getWeight).containsExactly(100, 0);
        }
    }

    @Test
    void blueGreenPreviewsAtFullSizeThenSwitchesAndPromotes() throws Exception {
        String role = "immutable-deployment.jenkins.io/role";
        try (RegistryServer registry = RegistryServer.plain(); MockCluster cluster = MockCluster.start()) {
            PushResult pushed = push(registry, "shop/api:4", "v4");
            cluster.createStable("shop", "api", 3, registry.host() + "/shop/api@sha256:" + "0".repeat(64),
                    Map.of("app", "api", role, "stable"));
            cluster.createService("shop", "api", Map.of("app", "api", role, "stable"));
            cluster.createService("shop", "api-preview", Map.of("app", "api", role, "canary"));

            CliRun rollout = cli("rollout", "--image", pushed.image(), "--deployment", "api", "--namespace", "shop",
                    "--kubeconfig", kubeconfig(cluster).toString(), "--blue-green", "--steps", "pause:0s", "--plain-http");

            assertThat(rollout.exitCode()).as(rollout.stderr()).isZero();
            assertThat(rollout.json().path("phase").asText()).isEqualTo("Healthy");
            assertThat(rollout.json().path("steps").asInt()).isEqualTo(3);
            assertThat(rollout.stderr()).contains("blue/green, 0, pause:0s, 100")
                    .contains("through Service api-preview").contains("starting the preview");
            assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("api").get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(pushed.image());
            assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("api-canary").get()).isNull();
        }
    }

    @Test
    void aFailedGateExitsOneBeforeTheClusterIsTouched() throws Exception {
        try (RegistryServer registry = RegistryServer.plain(); MockCluster cluster = MockCluster.start()) {
            PushResult pushed = push(registry, "shop/api:3", "v3");
            String stable = registry.host() + "/shop/api@sha256:" + "0".repeat(64);
            cluster.createStable("shop", "api", 2, stable);
            String before = cluster.client().apps().deployments().inNamespace("shop").withName("api").get()
                    .getMetadata().getResourceVersion();

            CliRun rollout = cli("rollout", "--image", pushed.image(), "--deployment", "api", "--namespace", "shop",
                    "--kubeconfig", kubeconfig(cluster).toString(), "--steps", "50,100", "--plain-http",
                    "--require-provenance");

            assertThat(rollout.exitCode()).as(rollout.stderr()).isEqualTo(1);
            assertThat(rollout.json().path("error").path("kind").asText()).isEqualTo("gate-failed");
            assertThat(rollout.stderr()).contains("gate --require-provenance failed").contains("no SLSA provenance attestation");
            assertThat(cluster.client().apps().deployments().inNamespace("shop").list().getItems())
                    .singleElement().satisfies(d -> {
                        assertThat(d.getMetadata().getResourceVersion()).isEqualTo(before);
                        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(stable);
                    });
        }
    }

    @Test
    void badInputExitsTwoBeforeTouchingAnything() throws Exception {
        Path kubeconfig = work.resolve("no-cluster.yaml");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\n");

        CliRun tag = cli("rollout", "--image", "registry.example.com/shop/api:1.0", "--deployment", "api", "--namespace", "shop",
                "--kubeconfig", kubeconfig.toString());
        assertThat(tag.exitCode()).isEqualTo(2);
        assertThat(tag.json().path("error").path("field").asText()).isEqualTo("image");

        CliRun weight = cli("rollout", "--image", "registry.example.com/shop/api@sha256:" + "a".repeat(64), "--deployment", "api",
                "--namespace", "shop", "--steps", "10,120", "--kubeconfig", kubeconfig.toString());
        assertThat(weight.exitCode()).isEqualTo(2);
        assertThat(weight.stderr()).contains("steps: step 2: 120 is outside 0..100");

        CliRun blueGreenWeight = cli("rollout", "--image", "registry.example.com/shop/api@sha256:" + "a".repeat(64), "--deployment",
                "api", "--namespace", "shop", "--blue-green", "--steps", "pause,50", "--kubeconfig", kubeconfig.toString());
        assertThat(blueGreenWeight.exitCode()).isEqualTo(2);
        assertThat(blueGreenWeight.json().path("error").path("field").asText()).isEqualTo("steps");
        assertThat(blueGreenWeight.stderr()).contains("steps: step 2:").doesNotContain("setWeight");
        assertThat(blueGreenWeight.stderr()).contains("pause and analysis steps only");
    }

    private PushResult push(RegistryServer registry, String repositoryAndTag, String content) {
        return CliFixtures.push(registry, work, repositoryAndTag, content);
    }

    private Path kubeconfig(MockCluster cluster) throws IOException {
        return CliFixtures.kubeconfig(cluster, work);
    }

    private static CliRun cli(String... args) throws Exception {
        return RunningCli.run(LIMIT, args);
    }
}
