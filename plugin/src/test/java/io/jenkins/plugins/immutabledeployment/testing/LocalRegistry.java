package io.jenkins.plugins.immutabledeployment.testing;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.config.ImmutableDeploymentConfiguration;
import io.jenkins.plugins.immutabledeployment.config.RegistryEntry;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImagePusher;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.RegistryConnection;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Debian {@code docker-registry} (CNCF distribution) on a free loopback port, plain HTTP, for the tests of
 * one class ({@code @RegisterExtension static final LocalRegistry REGISTRY = new LocalRegistry();}), in a temporary
 * directory removed afterwards. {@link #judge} asks {@code skopeo}, a client nobody here wrote, what it holds.
 */
public final class LocalRegistry implements BeforeAllCallback, AfterAllCallback {

    private static final Duration READY = Duration.ofSeconds(20);

    private Path directory;
    private Process process;
    private int port;
    private Path log;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("immutable-deployment-registry");
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        process.destroy();
        process.waitFor();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    /** A small real image in this registry, {@code repositoryAndTag} in it: returns {@code repo@sha256:…}. */
    public String pushNew(String repositoryAndTag, String content) throws IOException, InterruptedException {
        return push(layout(content), repositoryAndTag);
    }

    /** A new OCI layout (in this registry's scratch directory) holding {@code content}. */
    public Path layout(String content) throws IOException, InterruptedException {
        // umoci creates the layout directory itself and refuses one that exists.
        return OciLayouts.create(Files.createTempDirectory(directory, "layout").resolve("oci"), content);
    }

    private void start() throws IOException, InterruptedException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path storage = Files.createDirectories(directory.resolve("storage"));
        Path config = directory.resolve("config.yml");
        Files.writeString(config, "version: 0.1\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + storage + "\n  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n", StandardCharsets.UTF_8);
        Path log = directory.resolve("registry.log");
        this.port = port;
        this.log = log;
        this.process = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        awaitReady();
    }

    /** {@code 127.0.0.1:PORT}, as image references name it. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** Lets the steps reach it: a registry entry with plain HTTP in the global configuration. */
    public void configure() {
        RegistryEntry entry = new RegistryEntry(host());
        entry.setPlainHttp(true);
        ImmutableDeploymentConfiguration.get().setRegistries(List.of(entry));
    }

    /** Pushes an OCI layout with the engine (test set-up only) and returns {@code repo@sha256:…}. */
    public String push(Path layout, String repositoryAndTag) {
        ImageRef target = ImageRef.parse(host() + "/" + repositoryAndTag, "image");
        RegistryClient client = new RegistryClient(target.registry(), RegistryConnection.defaults().withPlainHttp(true));
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            return new ImagePusher(client, Progress.NONE).push(archive, target, TagPolicy.OVERWRITE).image();
        }
    }

    /** The digest skopeo reads for {@code repo[:tag|@digest]} in this registry, or null when it has no such image. */
    public String judge(String reference) throws IOException, InterruptedException {
        Process skopeo = new ProcessBuilder("skopeo", "inspect", "--no-tags", "--tls-verify=false", "--format", "{{.Digest}}",
                "docker://" + host() + "/" + reference).redirectErrorStream(true).start();
        String out = new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return skopeo.waitFor() == 0 ? out : null;
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(READY);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + host() + "/v2/").toURL().openConnection();
                connection.setConnectTimeout(500);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll interval, the deadline bounds the wait
        }
        throw new IllegalStateException("docker-registry not ready within " + READY + ":\n" + Files.readString(log));
    }
}
