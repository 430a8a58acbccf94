package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImagePusher;
import io.jenkins.plugins.immutabledeployment.oci.PushResult;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives {@code immutable-deploy rollout / history} as a black box against the mock cluster and a real registry. */
class RolloutCliIT {

    private static final Path JAR = Path.of("target", "immutable-deploy.jar");

    record Run(int exitCode, String stdout, String stderr) {
        JsonNode json() throws IOException {
            return Json.mapper().readTree(stdout);
        }
    }

    @TempDir
    Path work;

    @Test
    void rolloutSucceedsThenHistoryShowsIt() throws Exception {
        try (RegistryServer registry = RegistryServer.plain(); MockCluster cluster = MockCluster.start()) {
            PushResult pushed = push(registry, "shop/api:2", "v2");
            cluster.createStable("shop", "api", 2, registry.host() + "/shop/api@sha256:" + "0".repeat(64));
            Path kubeconfig = kubeconfig(cluster);

            Run rollout = cli("rollout", "--image", pushed.image(), "--deployment", "api", "--namespace", "shop",
                    "--kubeconfig", kubeconfig.toString(), "--steps", "50,100", "--plain-http");

            assertThat(rollout.exitCode()).as(rollout.stderr()).isZero();
            assertThat(rollout.json().path("phase").asText()).isEqualTo("Healthy");
            assertThat(rollout.json().path("digest").asText()).isEqualTo(pushed.digest().toString());
            assertThat(rollout.json().path("steps").asInt()).isEqualTo(2);
            assertThat(rollout.stderr()).contains("setting canary weight 50");
            assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("api").get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(pushed.image());

            Run history = cli("history", "--deployment", "api", "--namespace", "shop", "--kubeconfig", kubeconfig.toString());
            assertThat(history.exitCode()).as(history.stderr()).isZero();
            assertThat(history.json().path("releases").get(0).path("digest").asText()).isEqualTo(pushed.digest().toString());
            assertThat(history.json().path("releases").get(0).path("outcome").asText()).isEqualTo("promoted");
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

            Run rollout = cli("rollout", "--image", pushed.image(), "--deployment", "api", "--namespace", "shop",
                    "--kubeconfig", kubeconfig(cluster).toString(), "--blue-green", "--steps", "pause:0s", "--plain-http");

            assertThat(rollout.exitCode()).as(rollout.stderr()).isZero();
            assertThat(rollout.json().path("phase").asText()).isEqualTo("Healthy");
            assertThat(rollout.json().path("steps").asInt()).isEqualTo(3);
            assertThat(rollout.stderr()).contains("blue/green, setWeight:0, pause:0s, setWeight:100")
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

            Run rollout = cli("rollout", "--image", pushed.image(), "--deployment", "api", "--namespace", "shop",
                    "--kubeconfig", kubeconfig(cluster).toString(), "--steps", "50,100", "--plain-http",
                    "--require-provenance");

            assertThat(rollout.exitCode()).as(rollout.stderr()).isEqualTo(1);
            assertThat(rollout.json().path("error").path("kind").asText()).isEqualTo("gate-failed");
            assertThat(rollout.stderr()).contains("requireProvenance").contains("no SLSA provenance attestation");
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

        Run tag = cli("rollout", "--image", "registry.example.com/shop/api:1.0", "--deployment", "api", "--namespace", "shop",
                "--kubeconfig", kubeconfig.toString());
        assertThat(tag.exitCode()).isEqualTo(2);
        assertThat(tag.json().path("error").path("field").asText()).isEqualTo("image");

        Run weight = cli("rollout", "--image", "registry.example.com/shop/api@sha256:" + "a".repeat(64), "--deployment", "api",
                "--namespace", "shop", "--steps", "10,120", "--kubeconfig", kubeconfig.toString());
        assertThat(weight.exitCode()).isEqualTo(2);
        assertThat(weight.stderr()).contains("steps[1]").contains("0..100");

        Run blueGreenWeight = cli("rollout", "--image", "registry.example.com/shop/api@sha256:" + "a".repeat(64), "--deployment",
                "api", "--namespace", "shop", "--blue-green", "--steps", "pause,50", "--kubeconfig", kubeconfig.toString());
        assertThat(blueGreenWeight.exitCode()).isEqualTo(2);
        assertThat(blueGreenWeight.json().path("error").path("field").asText()).isEqualTo("steps[1].setWeight");
        assertThat(blueGreenWeight.stderr()).contains("pause and analysis steps only");
    }

    private PushResult push(RegistryServer registry, String repositoryAndTag, String content) {
        Path layout = Umoci.imageWithFiles(work.resolve("layout-" + content), "v1", Map.of("app", content));
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            return new ImagePusher(new RegistryClient(registry.host(), registry.connection()), Progress.NONE)
                    .push(archive, registry.ref(repositoryAndTag), TagPolicy.IMMUTABLE);
        }
    }

    private Path kubeconfig(MockCluster cluster) throws IOException {
        String server = cluster.server().url("/").replaceAll("/$", "");
        Path file = work.resolve("kubeconfig.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: tester
                current-context: mock
                users:
                - name: tester
                  user:
                    token: not-a-real-token
                """.formatted(server));
        return file;
    }

    private Run cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        var stdout = process.getInputStream();
        var stderr = process.getErrorStream();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(stdout));
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(stderr));
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not finish within 90s; stderr so far: " + err.getNow(""));
        }
        return new Run(process.exitValue(), out.get(), err.get());
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
