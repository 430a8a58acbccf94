package io.jenkins.plugins.immutabledeployment.testing.kube;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A minimal HTTPS stand-in for the Kubernetes API, behind a certificate signed by a CA that {@code openssl} makes
 * for the test: answers canned JSON per path and records the Authorization headers it received. For testing how
 * a client is configured (trust, token), not Kubernetes semantics.
 */
public final class TlsApiServer implements AutoCloseable {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private final HttpsServer server;
    private final String caPem;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    private TlsApiServer(HttpsServer server, String caPem) {
        this.server = server;
        this.caPem = caPem;
    }

    /** Starts on a free loopback port; {@code responses} maps a request path to (status code, JSON body). */
    public static TlsApiServer start(Path workDir, Map<String, Map.Entry<Integer, String>> responses)
            throws IOException, GeneralSecurityException, InterruptedException {
        openssl(workDir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=test-cluster-ca");
        openssl(workDir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        Files.writeString(workDir.resolve("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                + "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        openssl(workDir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "1", "-extfile", "ext.cnf");
        openssl(workDir, "pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key", "-out", "server.p12",
                "-passout", "pass:changeit", "-name", "server");

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(workDir.resolve("server.p12"))) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        TlsApiServer api = new TlsApiServer(server, Files.readString(workDir.resolve("ca.pem")));
        server.createContext("/", exchange -> api.answer(exchange, responses));
        server.start();
        return api;
    }

    public URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The CA certificate (PEM) that signed the server's certificate. */
    public String caPem() {
        return caPem;
    }

    public List<String> authorizations() {
        return authorizations;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange, Map<String, Map.Entry<Integer, String>> responses) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            authorizations.add(authorization);
        }
        Map.Entry<Integer, String> response = responses.getOrDefault(exchange.getRequestURI().getPath(),
                Map.entry(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404,\"reason\":\"NotFound\"}"));
        byte[] body = response.getValue().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(response.getKey(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.out").toFile()).start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + Files.readString(dir.resolve("openssl.out")));
        }
    }
}
