package io.jenkins.plugins.immutabledeployment.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The real Prometheus server (Debian {@code prometheus}) on a free loopback port, scraping the given targets every
 * second with {@code honor_labels: true} (as a pushgateway needs), optionally serving HTTPS with a certificate from
 * a throw-away CA. Queries of its own ({@link #values}) use plain HTTP requests, independent of the code under test.
 */
public final class PrometheusServer implements AutoCloseable {

    private final LoopbackProcess process;
    private final String scheme;
    private final HttpClient client;

    private PrometheusServer(LoopbackProcess process, String scheme, HttpClient client) {
        this.process = process;
        this.scheme = scheme;
        this.client = client;
    }

    /** A server scraping {@code pushgatewayTargets} ({@code host:port}) as job {@code pushgateway}. */
    public static PrometheusServer start(Path dir, List<String> pushgatewayTargets) {
        return start(dir, pushgatewayTargets, null);
    }

    /** A server that speaks only HTTPS with {@code tls}' server certificate. */
    public static PrometheusServer startWithTls(Path dir, Tls tls) {
        return start(dir, List.of(), tls);
    }

    private static PrometheusServer start(Path dir, List<String> targets, Tls tls) {
        try {
            Files.createDirectories(dir);
            StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
            if (!targets.isEmpty()) {
                config.append("scrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    scrape_interval: 1s\n")
                        .append("    static_configs:\n      - targets: [")
                        .append(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList())).append("]\n");
            }
            Files.writeString(dir.resolve("prometheus.yml"), config);
            List<String> extra = new ArrayList<>();
            HttpClient client = LoopbackProcess.HTTP;
            if (tls != null) {
                Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: " + tls.serverCertificate()
                        + "\n  key_file: " + tls.serverKey() + "\n");
                extra.add("--web.config.file=" + dir.resolve("web.yml"));
                client = HttpClient.newBuilder().sslContext(tls.trusting()).connectTimeout(Duration.ofSeconds(2)).build();
            }
            HttpClient readyClient = client;
            LoopbackProcess process = LoopbackProcess.start("prometheus", dir, port -> {
                List<String> command = new ArrayList<>(List.of("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"));
                command.addAll(extra);
                return command;
            }, tls == null ? "http" : "https", "/-/ready", readyClient);
            return new PrometheusServer(process, tls == null ? "http" : "https", client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI address() {
        return URI.create(scheme + "://127.0.0.1:" + process.port);
    }

    /** Waits until the scrape of job {@code job} succeeds ({@code up == 1}); the first scrape comes ~6 s after start. */
    public void awaitTargetUp(String job, Duration timeout) {
        LoopbackProcess.poll("up{job=\"" + job + "\"} == 1", timeout, () -> values("up{job=\"" + job + "\"}").contains("1"));
    }

    /** Waits until {@code query} returns a sample with value {@code expected} (as Prometheus prints it). */
    public void awaitValue(String query, String expected, Duration timeout) {
        LoopbackProcess.poll(query + " == " + expected, timeout, () -> values(query).contains(expected));
    }

    /** The sample values of an instant vector query, as Prometheus prints them. */
    public List<String> values(String query) {
        URI uri = URI.create(address() + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode result = Json.mapper().readTree(response.body()).path("data").path("result");
            List<String> values = new ArrayList<>();
            result.forEach(series -> values.add(series.path("value").path(1).asText()));
            return values;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @Override
    public void close() {
        process.close();
    }

    /** A throw-away CA and a server certificate for 127.0.0.1 / localhost signed by it, made with openssl. */
    public record Tls(Path caCertificate, Path serverCertificate, Path serverKey) {

        public static Tls create(Path dir) {
            try {
                Files.createDirectories(dir);
                Path ext = dir.resolve("san.ext");
                Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
                openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                        "-days", "2", "-subj", "/CN=immutable-deployment test CA");
                openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                        "-subj", "/CN=127.0.0.1");
                openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                        "-out", "server.crt", "-days", "2", "-extfile", ext.toString());
                return new Tls(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** An SSLContext trusting only this CA, for the test's own requests. */
        SSLContext trusting() {
            try {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                try (var in = Files.newInputStream(caCertificate)) {
                    store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, factory.getTrustManagers(), null);
                return context;
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void openssl(Path dir, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of("openssl"));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile()).start();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IOException("openssl " + String.join(" ", args) + " failed: " + Files.readString(dir.resolve("openssl.log")));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }
}
