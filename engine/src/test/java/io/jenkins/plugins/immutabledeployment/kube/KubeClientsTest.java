package io.jenkins.plugins.immutabledeployment.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.impl.BaseClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.jenkins.plugins.immutabledeployment.EngineThreads;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import io.jenkins.plugins.immutabledeployment.testing.kube.TlsApiServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeClientsTest {

    static final String TOKEN = "s3cr3t-t0ken-never-to-be-printed";
    static final String CONFIG_MAP = "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"api-releases\","
            + "\"namespace\":\"shop\"},\"data\":{\"releases.json\":\"[]\"}}";
    static final String UNAUTHORIZED = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
            + "\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}";

    @TempDir
    Path dir;

    @Test
    void usesTheNamedContextOfAKubeconfigFile() throws Exception {
        try (MockCluster cluster = MockCluster.start()) {
            cluster.client().configMaps().inNamespace("staging").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("marker").endMetadata().build()).create();
            Path kubeconfig = kubeconfig(cluster.server().url("/").replaceAll("/$", ""));

            try (KubernetesClient current = KubeClients.fromKubeconfig(kubeconfig, null);
                    KubernetesClient staging = KubeClients.fromKubeconfig(kubeconfig, "staging")) {
                assertThat(current.getNamespace()).isEqualTo("prod");
                assertThat(staging.getNamespace()).isEqualTo("staging");
                assertThat(staging.configMaps().withName("marker").get()).isNotNull();
            }
            try (KubernetesClient fromText = KubeClients.fromKubeconfigText(Files.readString(kubeconfig), "staging")) {
                assertThat(fromText.configMaps().withName("marker").get()).isNotNull();
            }
        }
    }

    @Test
    void refusesAnUnknownContextNamingTheKnownOnes() throws Exception {
        Path kubeconfig = kubeconfig("https://127.0.0.1:6443");

        assertThatThrownBy(() -> KubeClients.fromKubeconfig(kubeconfig, "qa"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("context: no context \"qa\" in the kubeconfig")
                .hasMessageContaining("prod, staging");
    }

    @Test
    void refusesAMissingOrUnreadableKubeconfigWithoutQuotingIt() throws Exception {
        assertThatThrownBy(() -> KubeClients.fromKubeconfig(dir.resolve("nope"), null))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("kubeconfig: no file at");

        Path broken = Files.writeString(dir.resolve("broken"), "users:\n- name: u\n  user: {token: " + TOKEN + "\n  ]]]");
        assertThatThrownBy(() -> KubeClients.fromKubeconfig(broken, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("kubeconfig:")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void trustsTheClusterThroughItsCaAndSendsTheToken() throws Exception {
        try (TlsApiServer api = TlsApiServer.start(dir, Map.of(
                "/api/v1/namespaces/shop/configmaps/api-releases", Map.entry(200, CONFIG_MAP)))) {
            try (KubernetesClient client = KubeClients.fromToken(api.url(), TOKEN, api.caPem())) {
                assertThat(new ReleaseLedger(client).history(DeploymentTarget.of("shop", "api"))).isEmpty();
            }
            assertThat(api.authorizations()).contains("Bearer " + TOKEN);
        }
    }

    @Test
    void clientsShareTheEngineThreadsAndLeaveThemWorkingWhenClosed() throws Exception {
        try (TlsApiServer api = TlsApiServer.start(dir, Map.of(
                "/api/v1/namespaces/shop/configmaps/api-releases", Map.entry(200, CONFIG_MAP)))) {
            for (int i = 0; i < 2; i++) {
                try (KubernetesClient client = KubeClients.fromToken(api.url(), TOKEN, api.caPem())) {
                    assertThat(client.adapt(BaseClient.class).getExecutor()).isSameAs(EngineThreads.kubernetesTasks());
                    assertThat(new ReleaseLedger(client).history(DeploymentTarget.of("shop", "api"))).isEmpty();
                }
            }
        }
    }

    @Test
    void onlyFabric8sOwnJdkClientFactoryIsReplaced() {
        assertThat(KubeClients.isJdkHttpClient(new JdkHttpClientFactory())).isTrue();
        assertThat(KubeClients.isJdkHttpClient(new SharedThreadsJdkHttpClientFactory())).isFalse();
        assertThat(KubeClients.isJdkHttpClient(() -> null)).as("another HTTP client, e.g. OkHttp's").isFalse();
    }

    @Test
    void doesNotTrustTheClusterWithoutItsCaNorPrintTheToken() throws Exception {
        try (TlsApiServer api = TlsApiServer.start(dir, Map.of(
                "/api/v1/namespaces/shop/configmaps/api-releases", Map.entry(200, CONFIG_MAP)));
                KubernetesClient client = KubeClients.fromToken(api.url(), TOKEN, null)) {
            assertThatThrownBy(() -> new ReleaseLedger(client).history(DeploymentTarget.of("shop", "api")))
                    .isInstanceOf(KubernetesApiException.class)
                    .hasMessageContaining("failed to read the release ledger ConfigMap shop/api-releases")
                    .hasMessageContaining("certification path")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
            assertThat(api.authorizations()).isEmpty();
        }
    }

    @Test
    void reportsARefusedTokenWithoutPrintingIt() throws Exception {
        try (TlsApiServer api = TlsApiServer.start(dir, Map.of(
                "/api/v1/namespaces/shop/configmaps/api-releases", Map.entry(401, UNAUTHORIZED)));
                KubernetesClient client = KubeClients.fromToken(api.url(), TOKEN, api.caPem())) {
            assertThatThrownBy(() -> new ReleaseLedger(client).history(DeploymentTarget.of("shop", "api")))
                    .isInstanceOf(KubernetesApiException.class)
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("the credentials were not accepted")
                    .satisfies(e -> {
                        assertThat(e.getMessage()).doesNotContain(TOKEN);
                        assertThat(((KubernetesApiException) e).code()).isEqualTo(401);
                    });
        }
    }

    @Test
    void refusesBadServerTokenAndCaInput() {
        assertThatThrownBy(() -> KubeClients.fromToken(URI.create("http://10.0.0.1:6443"), TOKEN, null))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("server:").hasMessageContaining("clear text")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        assertThatThrownBy(() -> KubeClients.fromToken(URI.create("cluster.local"), TOKEN, null))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("server:");
        assertThatThrownBy(() -> KubeClients.fromToken(URI.create("https://10.0.0.1:6443"), TOKEN + "\nX-Injected: 1", null))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("token:")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        assertThatThrownBy(() -> KubeClients.fromToken(URI.create("https://10.0.0.1:6443"), TOKEN, "not a certificate"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("caCertificate:");
        KubeClients.fromToken(URI.create("http://127.0.0.1:8001"), TOKEN, null).close(); // kubectl proxy style
    }

    @Test
    void theDefaultConfigurationFollowsTheKubeconfigSetting() throws Exception {
        try (MockCluster cluster = MockCluster.start()) {
            Path kubeconfig = kubeconfig(cluster.server().url("/").replaceAll("/$", ""));
            withDefaultKubeconfig(kubeconfig, () -> {
                try (KubernetesClient client = KubeClients.fromDefaultConfig("staging")) {
                    assertThat(client.getNamespace()).isEqualTo("staging");
                    assertThat(client.getMasterUrl().toString()).startsWith(cluster.server().url("/").replaceAll("/$", ""));
                    assertThatThrownBy(() -> KubeClients.fromDefaultConfig("qa")).isInstanceOf(InvalidInputException.class);
                }
            });
        }
    }

    @Test
    void refusesAtOnceWhereThereIsNoDefaultConfigurationNamingWhereItLooked() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("KUBERNETES_SERVICE_HOST") == null, "not inside a cluster");
        Path missing = Files.createTempDirectory("no-kube").resolve("config");
        withDefaultKubeconfig(missing, () -> assertThatThrownBy(() -> KubeClients.fromDefaultConfig(null))
                .isInstanceOf(NoClusterConfigurationException.class)
                .hasMessageStartingWith("kubeconfig: no Kubernetes configuration found (looked at " + missing + " (no such file),"
                        + " the in-cluster service account")
                .satisfies(e -> assertThat(((NoClusterConfigurationException) e).looked()).hasSize(2)));
    }

    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} with {@code file} as the default kubeconfig (the property fabric8 reads before $KUBECONFIG). */
    static void withDefaultKubeconfig(Path file, Body body) throws Exception {
        String saved = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", file.toString());
        try {
            body.run();
        } finally {
            if (saved == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", saved);
            }
        }
    }

    @Test
    void theNamespaceIsTheRequestedOneElseTheContextsElseDefault() throws Exception {
        try (MockCluster cluster = MockCluster.start()) {
            Path kubeconfig = kubeconfig(cluster.server().url("/").replaceAll("/$", ""));
            String text = Files.readString(kubeconfig);

            assertThat(KubeClients.namespace("shop", () -> {
                throw new AssertionError("no client needed for a named namespace");
            })).isEqualTo("shop");
            assertThat(KubeClients.namespace(null, () -> KubeClients.fromKubeconfigText(text, null))).isEqualTo("prod");
            assertThat(KubeClients.namespace(" ", () -> KubeClients.fromKubeconfigText(text, "staging"))).isEqualTo("staging");
            assertThat(KubeClients.namespace(null, () -> KubeClients.fromToken(URI.create("http://127.0.0.1:8001"), TOKEN, null)))
                    .as("a server URL and token name no namespace").isEqualTo(KubeClients.DEFAULT_NAMESPACE);
            try (KubernetesClient client = KubeClients.fromKubeconfig(kubeconfig, "staging")) {
                assertThat(KubeClients.defaultNamespace(client)).isEqualTo("staging");
            }
        }
    }

    private Path kubeconfig(String server) throws Exception {
        return Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                current-context: prod
                clusters:
                - name: local
                  cluster:
                    server: %s
                contexts:
                - name: prod
                  context: {cluster: local, user: ci, namespace: prod}
                - name: staging
                  context: {cluster: local, user: ci, namespace: staging}
                users:
                - name: ci
                  user: {token: %s}
                """.formatted(server, TOKEN));
    }
}
