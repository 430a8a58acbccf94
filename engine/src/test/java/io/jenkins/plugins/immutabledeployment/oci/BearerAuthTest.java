package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.immutabledeployment.testing.kube.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Bearer token flow against a stand-in registry and token service on loopback that answer as the
 * distribution token specification says: a 401 with a challenge, then tokens per scope.
 */
class BearerAuthTest {

    private static final String DIGEST = "sha256:" + "c".repeat(64);
    private static final String PASSWORD = "bearer-secret";

    private HttpServer server;
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    private final Map<String, String> scopeOfToken = new ConcurrentHashMap<>();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::registry);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void fetchesOneTokenPerScopeAndReusesItUntilItExpires() {
        RegistryClient client = client(new Credentials("alice", PASSWORD));

        assertThat(client.resolve("shop/api", "1")).contains(Digest.parse(DIGEST));
        long coldRequests = client.stats().requests();
        assertThat(client.resolve("shop/api", "1")).contains(Digest.parse(DIGEST));

        assertThat(client.stats().requests() - coldRequests).as("one HEAD when warm").isEqualTo(1);
        assertThat(tokensIssued).hasValue(1);
        assertThat(tokenRequests.get(0)).contains("service=stand-in").contains("scope=repository:shop/api:pull")
                .contains("Basic");

        client.resolve("shop/other", "1");
        assertThat(tokensIssued).as("another scope, another token").hasValue(2);

        clock.advance(Duration.ofSeconds(301));
        client.resolve("shop/api", "1");
        assertThat(tokensIssued).as("expired token renewed").hasValue(3);
    }

    /**
     * Two requests sent at once before the scheme is known are both refused without authorization; the second 401,
     * handled after the first one's token was fetched, refused no token and must not drop it.
     */
    @Test
    void anUnauthorizedAnswerToARequestSentWithoutATokenKeepsTheTokenFetchedMeanwhile() {
        String port = String.valueOf(server.getAddress().getPort());
        Authenticator authenticator = new Authenticator("127.0.0.1:" + port,
                URI.create("http://127.0.0.1:" + port + "/v2/"), Optional.empty(),
                HttpClient.newHttpClient(), clock, Duration.ofSeconds(10));
        List<String> scopes = List.of("repository:shop/api:pull");
        List<String> challenge = List.of("Bearer realm=\"http://127.0.0.1:" + port
                + "/token\",service=\"stand-in\",scope=\"repository:shop/api:pull\"");

        assertThat(authenticator.challenged(challenge, scopes, false)).isTrue(); // the first request's 401
        String first = authenticator.authorization(scopes).orElseThrow();
        assertThat(authenticator.challenged(challenge, scopes, false)).isTrue(); // the second's, sent at once
        String second = authenticator.authorization(scopes).orElseThrow();

        assertThat(second).isEqualTo(first);
        assertThat(tokensIssued).hasValue(1);
    }

    @Test
    void anonymousTokensAreFetchedWithoutCredentials() {
        RegistryClient client = client(null);

        assertThat(client.resolve("shop/api", "1")).isPresent();
        assertThat(tokenRequests.get(0)).doesNotContain("Basic");
    }

    @Test
    void refusedCredentialsFailWithoutShowingThem() {
        RegistryClient client = client(new Credentials("alice", "wrong-" + PASSWORD));

        assertThatThrownBy(() -> client.resolve("shop/api", "1"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("refused the credentials")
                .hasMessageNotContaining(PASSWORD)
                .hasMessageNotContaining("alice:");
    }

    private RegistryClient client(Credentials credentials) {
        RegistryConnection connection = RegistryConnection.defaults().withPlainHttp(true).withClock(clock)
                .withCredentials(credentials == null ? CredentialsSource.NONE : CredentialsSource.of(credentials))
                .withRetry(RetryPolicy.NONE);
        return new RegistryClient("127.0.0.1:" + server.getAddress().getPort(), connection);
    }

    private void token(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
        tokenRequests.add(query + (authorization == null ? "" : " Basic"));
        if (authorization != null && !authorization.equals("Basic "
                + Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))) {
            respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
            return;
        }
        String token = "token-" + tokensIssued.incrementAndGet();
        List<String> scopes = new ArrayList<>();
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("scope=")) {
                scopes.add(parameter.substring("scope=".length()));
            }
        }
        scopeOfToken.put(token, String.join(" ", scopes));
        respond(exchange, 200, "{\"token\":\"" + token + "\",\"expires_in\":300}");
    }

    private void registry(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String repository = path.replaceFirst("^/v2/", "").replaceFirst("/manifests/.*$", "");
        String scope = "repository:" + repository + ":pull";
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        if (token == null || !scopeOfToken.getOrDefault(token, "").contains(scope)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:"
                    + server.getAddress().getPort() + "/token\",service=\"stand-in\",scope=\"" + scope + "\"");
            respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
            return;
        }
        exchange.getResponseHeaders().set("Docker-Content-Digest", DIGEST);
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
