package io.jenkins.plugins.immutabledeployment.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.metrics.QueryResult.Data;
import io.jenkins.plugins.immutabledeployment.metrics.QueryResult.Failure;
import io.jenkins.plugins.immutabledeployment.metrics.QueryResult.FailureKind;
import io.jenkins.plugins.immutabledeployment.metrics.QueryResult.ResultType;
import io.jenkins.plugins.immutabledeployment.metrics.QueryResult.Sample;
import io.jenkins.plugins.immutabledeployment.testing.PrometheusServer;
import io.jenkins.plugins.immutabledeployment.testing.PrometheusStack;
import io.jenkins.plugins.immutabledeployment.testing.PrometheusStackExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The client against the real Prometheus 2.42 fed by the real pushgateway. */
@ExtendWith(PrometheusStackExtension.class)
class PrometheusClientIT {

    private static PrometheusClient client(PrometheusStack stack) {
        return new PrometheusClient(stack.prometheus().address(), PrometheusOptions.defaults().withTimeout(Duration.ofSeconds(5)));
    }

    @Test
    void readsAVectorWithLabels(PrometheusStack stack) {
        stack.pushAndAwait("client-vector", "client_errors_rate{pod=\"api-canary-1\"} 0.25\nclient_errors_rate{pod=\"api-canary-2\"} 0.75\n",
                "client_errors_rate", "0.75");

        QueryResult result = client(stack).query("client_errors_rate");

        assertThat(result).isInstanceOfSatisfying(Data.class, data -> {
            assertThat(data.type()).isEqualTo(ResultType.VECTOR);
            assertThat(data.samples()).extracting(Sample::value).containsExactlyInAnyOrder(0.25, 0.75);
            assertThat(data.samples()).extracting(s -> s.labels().get("pod")).containsExactlyInAnyOrder("api-canary-1", "api-canary-2");
            assertThat(data.samples().get(0).labels()).containsEntry("job", "client-vector");
        });
    }

    @Test
    void readsAScalarAndTellsEmptyFromNaN(PrometheusStack stack) {
        stack.pushAndAwait("client-scalar", "client_latency_seconds 0.125\n", "client_latency_seconds", "0.125");
        PrometheusClient client = client(stack);

        assertThat(client.query("scalar(client_latency_seconds)"))
                .isEqualTo(new Data(ResultType.SCALAR, List.of(new Sample(Map.of(), 0.125)), List.of()));
        assertThat(client.query("client_metric_nobody_pushed")).isEqualTo(new Data(ResultType.VECTOR, List.of(), List.of()));
        assertThat(client.query("vector(0) / 0")).isInstanceOfSatisfying(Data.class,
                data -> assertThat(data.values()).singleElement().matches(v -> v.isNaN()));
        assertThat(client.query("1 / 0")).isInstanceOfSatisfying(Data.class,
                data -> assertThat(data.values()).containsExactly(Double.POSITIVE_INFINITY));
    }

    @Test
    void evaluatesAtAGivenTime(PrometheusStack stack) {
        Instant inTheFuture = Instant.now().plus(Duration.ofHours(1));
        assertThat(client(stack).query("time()", inTheFuture, Duration.ofSeconds(5))).isInstanceOfSatisfying(Data.class,
                data -> assertThat(data.values().get(0)).isCloseTo(inTheFuture.getEpochSecond(), org.assertj.core.data.Offset.offset(1.0)));
    }

    @Test
    void reportsPrometheusErrorsAndUnsupportedResults(PrometheusStack stack) {
        PrometheusClient client = client(stack);

        assertThat(client.query("sum(")).isInstanceOfSatisfying(Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(FailureKind.PROMETHEUS_ERROR);
            assertThat(failure.message()).startsWith("Prometheus answered HTTP 400, bad_data: ").contains("parse error");
        });
        assertThat(client.query("up[1m]")).isInstanceOfSatisfying(Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(FailureKind.UNSUPPORTED_RESULT);
            assertThat(failure.message()).contains("matrix");
        });
        assertThat(client.query("\"text\"")).isInstanceOfSatisfying(Failure.class,
                failure -> assertThat(failure.kind()).isEqualTo(FailureKind.UNSUPPORTED_RESULT));
    }

    @Test
    void reportsAnUnreachableServerAsAConnectionFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        QueryResult result = new PrometheusClient(URI.create("http://127.0.0.1:" + closedPort), PrometheusOptions.defaults()).query("up");
        assertThat(result).isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(FailureKind.CONNECTION));
    }

    @Test
    void givesUpAfterTheTimeout() throws IOException {
        // A socket that accepts connections and never answers.
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            PrometheusClient client = new PrometheusClient(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    PrometheusOptions.defaults().withTimeout(Duration.ofMillis(500)));
            long start = System.nanoTime();
            QueryResult result = client.query("up");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(result).isInstanceOfSatisfying(Failure.class, f -> {
                assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT);
                assertThat(f.message()).contains("within 500 ms");
            });
            assertThat(tookMillis).isBetween(400L, 5_000L);
        }
    }

    @Test
    void trustsAnExtraCaAndOnlyThen(@TempDir Path dir) {
        PrometheusServer.Tls tls = PrometheusServer.Tls.create(dir.resolve("tls"));
        try (PrometheusServer https = PrometheusServer.startWithTls(dir.resolve("prometheus"), tls)) {
            assertThat(https.address().getScheme()).isEqualTo("https");
            PrometheusClient trusting = new PrometheusClient(https.address(), PrometheusOptions.defaults().withCaCertificate(tls.caCertificate()));
            assertThat(trusting.query("vector(1)")).isInstanceOfSatisfying(Data.class, d -> assertThat(d.values()).containsExactly(1.0));

            QueryResult untrusted = new PrometheusClient(https.address(), PrometheusOptions.defaults()).query("vector(1)");
            assertThat(untrusted).isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(FailureKind.CONNECTION));
        }
    }
}
