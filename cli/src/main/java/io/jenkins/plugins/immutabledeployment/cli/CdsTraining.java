package io.jenkins.plugins.immutabledeployment.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Run by the build, not a command: runs the commands once in this JVM so that {@code -XX:DumpLoadedClassList} lists
 * the classes they load, from which the build dumps the class-data sharing archive the {@code immutable-deploy}
 * launcher starts with (cli/pom.xml). The commands talk to a stand-in registry and API server on loopback that
 * accepts every write and keeps only manifests, so a push goes through to its result, and the others through
 * argument parsing, JSON, the HTTP client and their error paths; whether they succeed does not matter, only which
 * classes they load.
 */
final class CdsTraining {

    private static final Map<String, byte[]> MANIFESTS = new ConcurrentHashMap<>();

    private CdsTraining() {}

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("immutable-deploy-cds-");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", CdsTraining::answer);
        server.start();
        try {
            String host = "127.0.0.1:" + server.getAddress().getPort();
            Path layout = work.resolve("layout");
            Digest image = writeLayout(layout);
            Path kubeconfig = Files.writeString(work.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: c, cluster: {server: "http://%s"}}]
                    contexts: [{name: c, context: {cluster: c, user: u}}]
                    current-context: c
                    users: [{name: u, user: {token: training}}]
                    """.formatted(host));
            String pinned = host + "/cds/app@" + image;
            warmUp("copy", "--image", pinned); // the TLS warm-up too, for registries over HTTPS
            run("--version");
            run("--help");
            run("push", "--help");
            run("push", "--archive", layout.toString(), "--image", host + "/cds/app:1", "--plain-http");
            run("resolve", host + "/cds/app:1", "--plain-http");
            run("copy", "--image", pinned, "--to", host + "/cds/copy:1", "--plain-http");
            run("promote", "--image", pinned, "--to", host + "/cds/prod:1", "--plain-http");
            run("verify", "--image", pinned, "--plain-http");
            run("history", "--kubeconfig", kubeconfig.toString(), "--deployment", "app", "--namespace", "cds");
            run("frobnicate");
            HttpClientSelectors.stop();
        } finally {
            server.stop(0);
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** What {@code main} warms up on its own thread for these arguments; its classes belong in the archive too. */
    private static void warmUp(String... args) {
        try {
            Warmup.start(args).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(String... args) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        ImmutableDeploy.run(new ByteArrayInputStream(new byte[0]), nowhere, nowhere, args);
    }

    /**
     * A registry and API server that accepts every write and knows only the manifests written to it: 200 for the
     * ping, 202 and 201 for writes, a manifest as it was put (so that a push reads back what it wrote and ends with
     * its result), 404 for everything else.
     */
    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] manifest = MANIFESTS.get(path);
            if (method.equals("POST")) {
                exchange.getResponseHeaders().set("Location", path + "upload");
                exchange.sendResponseHeaders(202, -1);
            } else if (method.equals("PUT") || method.equals("PATCH")) {
                if (path.contains("/manifests/")) {
                    MANIFESTS.put(path, request);
                    MANIFESTS.put(path.substring(0, path.lastIndexOf('/') + 1) + Digest.sha256(request), request);
                }
                exchange.sendResponseHeaders(201, -1);
            } else if (path.equals("/v2/")) {
                exchange.sendResponseHeaders(200, -1);
            } else if (manifest != null) {
                exchange.getResponseHeaders().set("Content-Type", MediaTypes.OCI_MANIFEST);
                exchange.getResponseHeaders().set("Docker-Content-Digest", Digest.sha256(manifest).toString());
                exchange.sendResponseHeaders(200, method.equals("HEAD") ? -1 : manifest.length);
                if (!method.equals("HEAD")) {
                    exchange.getResponseBody().write(manifest);
                }
            } else {
                byte[] body = "{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(404, method.equals("HEAD") ? -1 : body.length);
                if (!method.equals("HEAD")) {
                    exchange.getResponseBody().write(body);
                }
            }
        }
    }

    /** Writes a one-image OCI layout (an empty config and one small layer); returns the image's digest. */
    private static Digest writeLayout(Path root) throws IOException {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = new byte[1024];
        Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length);
        Descriptor layerDescriptor = Descriptor.of(MediaTypes.OCI_LAYER_TAR, Digest.sha256(layer), layer.length);
        Manifest manifest = Manifest.imageManifest(MediaTypes.OCI_MANIFEST, configDescriptor, List.of(layerDescriptor),
                null, null, null);
        Path blobs = Files.createDirectories(root.resolve("blobs/sha256"));
        Files.write(blobs.resolve(configDescriptor.digest().hex()), config);
        Files.write(blobs.resolve(layerDescriptor.digest().hex()), layer);
        Files.write(blobs.resolve(manifest.digest().hex()), manifest.bytes());
        Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.write(root.resolve("index.json"), Manifest.index(MediaTypes.OCI_INDEX, List.of(manifest.descriptor()), null,
                null, null).bytes());
        return manifest.digest();
    }
}
