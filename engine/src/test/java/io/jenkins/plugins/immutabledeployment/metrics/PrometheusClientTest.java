package io.jenkins.plugins.immutabledeployment.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.immutabledeployment.metrics.QueryResult.Data;
import io.jenkins.plugins.immutabledeployment.metrics.QueryResult.Failure;
import io.jenkins.plugins.immutabledeployment.metrics.QueryResult.FailureKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the real Prometheus cannot show: the bearer token sent (Prometheus itself has no bearer auth) and kept
 * out of every message, and answers only a proxy or a broken server gives. A loopback server with canned answers
 * plays that proxy.
 */
class PrometheusClientTest {

    static final String TOKEN = "tok-8f3a1c-very-secret";

    private HttpServer server;
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private volatile int status = 200;
    private volatile String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.put("method", exchange.getRequestMethod());
            seen.put("path", exchange.getRequestURI().getPath());
            seen.put("authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            seen.put("form", URLDecoder.decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private PrometheusClient client(String path) {
        URI address = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        return new PrometheusClient(address, PrometheusOptions.defaults().withBearerToken(TOKEN));
    }

    @Test
    void postsTheQueryWithTheBearerTokenUnderAPathPrefix() {
        QueryResult result = client("/prometheus").query("sum(rate(http_requests_total{code=~\"5..\"}[1m]))");
        assertThat(result).isInstanceOf(Data.class);
        assertThat(seen).containsEntry("method", "POST").containsEntry("path", "/prometheus/api/v1/query")
                .containsEntry("authorization", "Bearer " + TOKEN);
        assertThat(seen.get("form")).startsWith("query=sum(rate(http_requests_total{code=~\"5..\"}[1m]))&timeout=30000ms");
    }

    @Test
    void keepsTheTokenOutOfMessagesAndToString() {
        status = 401;
        body = "<html>unauthorized: Bearer " + TOKEN + " is not valid</html>";
        PrometheusClient client = client("/");
        QueryResult result = client.query("up");
        assertThat(result).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(FailureKind.HTTP_STATUS);
            assertThat(f.message()).startsWith("HTTP 401 from ").contains("Bearer ****").doesNotContain(TOKEN);
        });
        assertThat(client.toString()).doesNotContain(TOKEN).contains("bearerToken=****");
        assertThat(PrometheusOptions.defaults().withBearerToken(TOKEN).toString()).doesNotContain(TOKEN);
    }

    @Test
    void tellsBrokenAnswersApart() {
        body = "not json";
        assertThat(client("/").query("up")).isInstanceOfSatisfying(Failure.class,
                f -> assertThat(f.kind()).isEqualTo(FailureKind.BAD_RESPONSE));

        status = 503;
        body = "upstream unavailable";
        assertThat(client("/").query("up")).isInstanceOfSatisfying(Failure.class,
                f -> assertThat(f.message()).endsWith(": upstream unavailable"));

        status = 422;
        body = "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query timed out\"}";
        assertThat(client("/").query("up")).isEqualTo(
                new Failure(FailureKind.PROMETHEUS_ERROR, "Prometheus answered HTTP 422, execution: query timed out"));

        status = 200;
        body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"x\"]}]}}";
        assertThat(client("/").query("up")).isInstanceOfSatisfying(Failure.class,
                f -> assertThat(f.message()).contains("\"x\" is not a number"));

        body = "{\"status\":\"success\",\"warnings\":[\"partial\"],\"data\":{\"resultType\":\"vector\",\"result\":"
                + "[{\"metric\":{\"pod\":\"a\"},\"value\":[1,\"-Inf\"]}]}}";
        assertThat(client("/").query("up")).isInstanceOfSatisfying(Data.class, d -> {
            assertThat(d.values()).containsExactly(Double.NEGATIVE_INFINITY);
            assertThat(d.warnings()).isEqualTo(List.of("partial"));
        });
    }
}
