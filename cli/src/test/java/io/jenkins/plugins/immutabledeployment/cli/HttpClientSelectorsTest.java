package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The selector thread of an HTTP client that has talked to a server ends when the command's end stops it, so that
 * the JVM has no thread in native code to wait for at exit.
 */
class HttpClientSelectorsTest {

    @Test
    void stopsTheSelectorThreadOfAClientThatHasConnections() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(HttpClientSelectors.running()).as("the client's selector thread, waiting on its kept-alive"
                    + " connection").isNotEmpty();

            assertThat(HttpClientSelectors.stop()).isPositive();

            assertThat(HttpClientSelectors.running()).isEmpty();
            Reference.reachabilityFence(client);
        } finally {
            server.stop(0);
        }
    }
}
