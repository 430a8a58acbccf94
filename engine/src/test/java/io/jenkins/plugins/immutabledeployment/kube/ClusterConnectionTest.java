package io.jenkins.plugins.immutabledeployment.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConnectionTest {

    static final String TOKEN = "s3cr3t-t0ken-never-to-be-printed";
    static final URI SERVER = URI.create("https://10.0.0.1:6443");
    static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            current-context: prod
            clusters: [{name: local, cluster: {server: "https://10.0.0.1:6443"}}]
            contexts: [{name: prod, context: {cluster: local, user: ci, namespace: prod}}]
            users: [{name: ci, user: {token: %s}}]
            """;

    @TempDir
    Path dir;

    @Test
    void theSameSettingsHaveTheSameFingerprint() {
        assertThat(ClusterConnection.token(SERVER, TOKEN, null).fingerprint())
                .isEqualTo(ClusterConnection.token(SERVER, TOKEN, null).fingerprint())
                .matches("[0-9a-f]{64}");
        assertThat(ClusterConnection.kubeconfig(KUBECONFIG.formatted(TOKEN), "prod").fingerprint())
                .isEqualTo(ClusterConnection.kubeconfig(KUBECONFIG.formatted(TOKEN), "prod").fingerprint());
    }

    @Test
    void anyChangedSettingChangesTheFingerprint() {
        String token = ClusterConnection.token(SERVER, TOKEN, null).fingerprint();
        assertThat(ClusterConnection.token(SERVER, TOKEN + "2", null).fingerprint()).as("rotated token").isNotEqualTo(token);
        assertThat(ClusterConnection.token(URI.create("https://10.0.0.2:6443"), TOKEN, null).fingerprint()).isNotEqualTo(token);
        assertThat(ClusterConnection.token(SERVER, TOKEN, "-----BEGIN CERTIFICATE-----").fingerprint()).isNotEqualTo(token);

        String kubeconfig = ClusterConnection.kubeconfig(KUBECONFIG.formatted(TOKEN), null).fingerprint();
        assertThat(ClusterConnection.kubeconfig(KUBECONFIG.formatted("new-token"), null).fingerprint()).isNotEqualTo(kubeconfig);
        assertThat(ClusterConnection.kubeconfig(KUBECONFIG.formatted(TOKEN), "prod").fingerprint()).isNotEqualTo(kubeconfig);
        assertThat(ClusterConnection.kubeconfig("ab", "c").fingerprint())
                .as("settings are delimited").isNotEqualTo(ClusterConnection.kubeconfig("a", "bc").fingerprint());
    }

    @Test
    void neitherTheFingerprintNorTheDescriptionShowsASecret() {
        ClusterConnection token = ClusterConnection.token(SERVER, TOKEN, null);
        ClusterConnection kubeconfig = ClusterConnection.kubeconfig(KUBECONFIG.formatted(TOKEN), "prod");

        assertThat(token.toString()).isEqualTo("the API server https://10.0.0.1:6443 with a token");
        assertThat(kubeconfig.toString()).isEqualTo("a kubeconfig, context prod");
        assertThat(token.fingerprint() + token + kubeconfig.fingerprint() + kubeconfig).doesNotContain(TOKEN);
    }

    @Test
    void theDefaultConfigurationsFingerprintFollowsItsKubeconfigFile() throws Exception {
        Path file = Files.writeString(dir.resolve("config"), KUBECONFIG.formatted(TOKEN));
        KubeClientsTest.withDefaultKubeconfig(file, () -> {
            String before = ClusterConnection.defaultConfig(null).fingerprint();
            assertThat(ClusterConnection.defaultConfig(null).fingerprint()).isEqualTo(before);
            assertThat(ClusterConnection.defaultConfig("prod").fingerprint()).isNotEqualTo(before);

            Files.writeString(file, KUBECONFIG.formatted("rotated-token"));

            assertThat(ClusterConnection.defaultConfig(null).fingerprint()).isNotEqualTo(before);
        });
    }

    @Test
    void opensANewClientEachTime() {
        try (MockCluster cluster = MockCluster.start()) {
            ClusterConnection connection = ClusterConnection.token(URI.create(cluster.server().url("/")), TOKEN, null);
            try (KubernetesClient first = connection.get(); KubernetesClient second = connection.get()) {
                assertThat(first).isNotSameAs(second);
                assertThat(first.apps().deployments().inNamespace("shop").list().getItems()).isEmpty();
            }
        }
    }
}
