package io.jenkins.plugins.immutabledeployment.testing;

import io.jenkins.plugins.immutabledeployment.oci.Credentials;
import io.jenkins.plugins.immutabledeployment.oci.CredentialsSource;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryConnection;
import io.jenkins.plugins.immutabledeployment.oci.RetryPolicy;
import io.jenkins.plugins.immutabledeployment.oci.TlsTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Debian {@code docker-registry} (CNCF distribution), started on a free loopback port with its own
 * temporary storage: plain HTTP, with htpasswd (bcrypt) basic auth, or with TLS from a test CA made by openssl.
 */
public final class RegistryServer implements AutoCloseable {

    private static final Duration READY_DEADLINE = Duration.ofSeconds(15);

    private final Path directory;
    private final Process process;
    private final int port;
    private final Credentials credentials;
    private final TestCertificates tls;

    private RegistryServer(Path directory, Process process, int port, Credentials credentials, TestCertificates tls) {
        this.directory = directory;
        this.process = process;
        this.port = port;
        this.credentials = credentials;
        this.tls = tls;
    }

    public static RegistryServer plain() {
        return start(null, null, null);
    }

    public static RegistryServer withBasicAuth(String username, String password) {
        return start(new Credentials(username, password), null, null);
    }

    public static RegistryServer withTls() {
        return start(null, TestCertificates.get(), null);
    }

    public static RegistryServer withTlsAndBasicAuth(String username, String password) {
        return start(new Credentials(username, password), TestCertificates.get(), null);
    }

    /** Bearer token authorization, by {@code tokens} (whose credentials the clients of {@link #connection()} use). */
    public static RegistryServer withTokenAuth(TokenServer tokens) {
        return start(tokens.credentials(), null, tokens);
    }

    /** TLS, with Bearer token authorization by {@code tokens}, whose realm is plain HTTP. */
    public static RegistryServer withTlsAndTokenAuth(TokenServer tokens) {
        return start(tokens.credentials(), TestCertificates.get(), tokens);
    }

    private static RegistryServer start(Credentials credentials, TestCertificates tls, TokenServer tokens) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Path directory;
            try {
                directory = Files.createTempDirectory("registry-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int port = FreePort.find();
            Process process = launch(directory, port, tokens == null ? credentials : null, tls, tokens);
            RegistryServer server = new RegistryServer(directory, process, port, credentials, tls);
            try {
                server.awaitReady();
                return server;
            } catch (IllegalStateException e) {
                last = e;
                server.close();
            }
        }
        throw last;
    }

    private static Process launch(
            Path directory, int port, Credentials htpasswd, TestCertificates tls, TokenServer tokens) {
        StringBuilder config = new StringBuilder()
                .append("version: 0.1\n")
                .append("log:\n  level: info\n  formatter: text\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(directory.resolve("storage")).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        if (tls != null) {
            config.append("  tls:\n    certificate: ").append(tls.serverCertificate())
                    .append("\n    key: ").append(tls.serverKey()).append('\n');
        }
        try {
            if (tokens != null) {
                config.append(String.join("\n", TokenServer.registryConfig(tokens))).append('\n');
            }
            if (htpasswd != null) {
                String entry = Command.run(List.of("htpasswd", "-Bbn", htpasswd.username(), htpasswd.password()));
                Files.writeString(directory.resolve("htpasswd"), entry.trim() + "\n");
                config.append("auth:\n  htpasswd:\n    realm: test-registry\n    path: ")
                        .append(directory.resolve("htpasswd")).append('\n');
            }
            Path configFile = directory.resolve("config.yml");
            Files.writeString(configFile, config);
            return new ProcessBuilder("docker-registry", "serve", configFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("registry.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TlsTrust.context(tls == null ? null : tls.caCertificate(), "ca"))
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        URI uri = URI.create(baseUrl() + "/v2/");
        Instant deadline = Instant.now().plus(READY_DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                int status = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pauseBriefly();
        }
        throw new IllegalStateException("docker-registry not ready within " + READY_DEADLINE + ":\n" + log());
    }

    private void pauseBriefly() {
        try {
            process.waitFor(25, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code 127.0.0.1:PORT}, the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public String baseUrl() {
        return (tls == null ? "http" : "https") + "://" + host();
    }

    /** An image reference in this registry: {@code ref("shop/api:1")}. */
    public ImageRef ref(String repositoryAndReference) {
        return ImageRef.parse(host() + "/" + repositoryAndReference, "image");
    }

    public boolean isTls() {
        return tls != null;
    }

    public Credentials credentials() {
        return credentials;
    }

    public Path caCertificate() {
        return tls == null ? null : tls.caCertificate();
    }

    /** Connection settings that reach this registry, with fast retries for tests. */
    public RegistryConnection connection() {
        return RegistryConnection.defaults()
                .withPlainHttp(tls == null)
                .withCaCertificate(caCertificate())
                .withCredentials(credentials == null ? CredentialsSource.NONE : CredentialsSource.of(credentials))
                .withRetry(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100)));
    }

    /** The CLI's registry options for this registry (credentials excluded: they go through stdin). */
    public List<String> cliOptions() {
        return tls == null ? List.of("--plain-http") : List.of("--ca-cert", tls.caCertificate().toString());
    }

    /**
     * skopeo's TLS and credential options for this registry; {@code role} is {@code ""} for inspect,
     * {@code "src-"} or {@code "dest-"} for copy.
     */
    public List<String> skopeoOptions(String role) {
        List<String> options = new ArrayList<>();
        if (tls == null) {
            options.add("--" + role + "tls-verify=false");
        } else {
            options.add("--" + role + "cert-dir=" + tls.caDirectory());
        }
        if (credentials != null) {
            options.add("--" + role + "creds=" + credentials.username() + ":" + credentials.password());
        }
        return options;
    }

    /** Everything the registry has logged so far (its access log included). */
    public String log() {
        try {
            return Files.readString(directory.resolve("registry.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The access-log request lines ({@code "PUT /v2/… HTTP/1.1" 201}) logged so far. */
    public List<String> accessLog() {
        return log().lines().filter(line -> line.contains("\" ") && line.contains(" /v2/") && line.contains("HTTP/1.1\""))
                .toList();
    }

    /** Every file in the registry's storage, relative paths sorted: equal before and after = nothing written. */
    public List<String> storageListing() {
        Path storage = directory.resolve("storage");
        if (!Files.exists(storage)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(storage)) {
            return files.filter(Files::isRegularFile).map(p -> storage.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The upload sessions open in a repository: those with a {@code startedat} file (a cancelled session may keep
     * its hash state file, but no longer this one).
     */
    public List<String> openUploadSessions(String repository) {
        Path uploads = directory.resolve("storage/docker/registry/v2/repositories").resolve(repository).resolve("_uploads");
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (Stream<Path> sessions = Files.list(uploads)) {
            return sessions.filter(session -> Files.exists(session.resolve("startedat")))
                    .map(session -> session.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of a file that {@link #storageListing()} lists. */
    public byte[] readStorageFile(String relativePath) {
        try {
            return Files.readAllBytes(directory.resolve("storage").resolve(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteRecursively(directory);
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
