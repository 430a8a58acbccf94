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
import java.util.stream.Stream;

/**
 * Run by the build, not a command: runs the commands once in this JVM so that {@code -XX:ArchiveClassesAtExit}
 * writes the class-data sharing archive the {@code immutable-deploy} launcher starts with. The commands talk to a
 * stand-in registry and API server on loopback that accepts every write and knows nothing, so each command goes
 * through argument parsing, the archive, JSON, the HTTP client and its error path; whether they succeed does not
 * matter, only which classes they load.
 */
final class CdsTraining {

    private CdsTraining() {}

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("immutable-deploy-cds-");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", CdsTraining::answer);
        server.start();
        try {
            String host = "127.0.0.1:" + server.getAddress().getPort();
            Path layout = layout(work.resolve("layout"));
            Path kubeconfig = Files.writeString(work.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: c, cluster: {server: "http://%s"}}]
                    contexts: [{name: c, context: {cluster: c, user: u}}]
                    current-context: c
                    users: [{name: u, user: {token: training}}]
                    """.formatted(host));
            String pinned = host + "/cds/app@sha256:" + "0".repeat(64);
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
        } finally {
            server.stop(0);
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void run(String... args) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        ImmutableDeploy.run(new ByteArrayInputStream(new byte[0]), nowhere, nowhere, args);
    }

    /** A registry and API server that has nothing and accepts everything: 200 for the ping, 202 and 201 for writes. */
    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (method.equals("POST")) {
                exchange.getResponseHeaders().set("Location", path + "upload");
                exchange.sendResponseHeaders(202, -1);
            } else if (method.equals("PUT") || method.equals("PATCH")) {
                exchange.sendResponseHeaders(201, -1);
            } else if (path.equals("/v2/")) {
                exchange.sendResponseHeaders(200, -1);
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

    /** A one-image OCI layout: an empty config and one small layer. */
    private static Path layout(Path root) throws IOException {
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
        return root;
    }
}
