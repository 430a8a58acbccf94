package io.jenkins.plugins.immutabledeployment.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The real Prometheus pushgateway (Debian {@code prometheus-pushgateway}) on a free loopback port. */
public final class Pushgateway implements AutoCloseable {

    private final LoopbackProcess process;

    private Pushgateway(LoopbackProcess process) {
        this.process = process;
    }

    public static Pushgateway start(Path dir) {
        return new Pushgateway(LoopbackProcess.start("pushgateway", dir, port -> List.of("prometheus-pushgateway",
                "--web.listen-address=127.0.0.1:" + port, "--persistence.file=", "--log.level=warn"),
                "http", "/-/ready", LoopbackProcess.HTTP));
    }

    /** {@code host:port}, as a scrape target. */
    public String target() {
        return "127.0.0.1:" + process.port;
    }

    public URI address() {
        return URI.create("http://" + target());
    }

    /**
     * Replaces the metrics of group {@code job} with {@code exposition} (Prometheus text format, e.g.
     * {@code http_errors_rate{pod="api-canary-1"} 0.9\n}).
     */
    public void push(String job, String exposition) {
        URI uri = URI.create(address() + "/metrics/job/" + URLEncoder.encode(job, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "text/plain; version=0.0.4")
                .PUT(HttpRequest.BodyPublishers.ofString(exposition)).build();
        try {
            HttpResponse<String> response = LoopbackProcess.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("pushgateway refused the push: HTTP " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
