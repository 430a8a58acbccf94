package io.jenkins.plugins.immutabledeployment.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for a registry with the OCI 1.1 referrers API: the real {@code docker-registry} (which lacks it)
 * behind a loopback front that adds what the distribution spec says a registry with the API does. A manifest
 * {@code PUT} with a {@code subject} is answered with {@code OCI-Subject: <subject digest>} and indexed;
 * {@code GET /v2/<name>/referrers/<digest>[?artifactType=…]} answers an OCI index of the referrers' descriptors
 * (artifactType, or the config media type; all annotations), filtered with {@code OCI-Filters-Applied}, in pages of
 * {@link #PAGE_SIZE} linked with {@code Link: <…>; rel="next"}. Everything else passes through unchanged.
 */
public final class ReferrersApiRegistry implements AutoCloseable {

    public static final int PAGE_SIZE = 2;

    private static final Pattern MANIFEST_PATH = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Pattern REFERRERS_PATH = Pattern.compile("/v2/(.+)/referrers/([^/]+)");

    private final RegistryServer registry;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "referrers-api-registry");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpRelay.client();
    /** "repository@subject digest" → descriptors of its referrers, in the order they were pushed. */
    private final Map<String, List<ObjectNode>> referrers = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private ReferrersApiRegistry(RegistryServer registry) throws IOException {
        this.registry = registry;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a plain-HTTP registry with the referrers API. */
    public static ReferrersApiRegistry start() {
        RegistryServer registry = RegistryServer.plain();
        try {
            return new ReferrersApiRegistry(registry);
        } catch (IOException e) {
            registry.close();
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:PORT}: the registry of image references. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The real registry behind the front (its storage, its access log). */
    public RegistryServer backend() {
        return registry;
    }

    /** {@code METHOD path?query} of every request seen so far. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            URI uri = exchange.getRequestURI();
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            Matcher referrersPath = REFERRERS_PATH.matcher(uri.getRawPath());
            if ("GET".equals(method) && referrersPath.matches()) {
                listReferrers(exchange, referrersPath.group(1), referrersPath.group(2), uri.getRawQuery());
                return;
            }
            HttpResponse<byte[]> answer = HttpRelay.forward(client, URI.create(registry.baseUrl()), exchange, method, uri,
                    body, Map.of());
            answer.headers().map().forEach((name, values) -> {
                if (!HttpRelay.HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    exchange.getResponseHeaders().put(name, values.stream().map(this::rewriteLocation).toList());
                }
            });
            Matcher manifestPath = MANIFEST_PATH.matcher(uri.getRawPath());
            if ("PUT".equals(method) && answer.statusCode() == 201 && manifestPath.matches()) {
                indexSubject(exchange, manifestPath.group(1), body);
            }
            send(exchange, method, answer.statusCode(), answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records a pushed manifest with a subject and says so with {@code OCI-Subject}, as the spec requires. */
    private void indexSubject(HttpExchange exchange, String repository, byte[] manifestBytes) throws IOException {
        JsonNode manifest = Json.mapper().readTree(manifestBytes);
        JsonNode subject = manifest.path("subject").path("digest");
        if (!subject.isTextual()) {
            return;
        }
        ObjectNode descriptor = Json.mapper().createObjectNode();
        descriptor.put("mediaType", manifest.path("mediaType").asText());
        descriptor.put("digest", Digest.sha256(manifestBytes).toString());
        descriptor.put("size", manifestBytes.length);
        String artifactType = manifest.path("artifactType").isTextual() ? manifest.path("artifactType").asText()
                : manifest.path("config").path("mediaType").asText(null);
        if (artifactType != null) {
            descriptor.put("artifactType", artifactType);
        }
        if (manifest.path("annotations").isObject()) {
            descriptor.set("annotations", manifest.get("annotations"));
        }
        List<ObjectNode> list = referrers.computeIfAbsent(repository + "@" + subject.asText(),
                key -> new CopyOnWriteArrayList<>());
        synchronized (list) {
            if (list.stream().noneMatch(d -> d.path("digest").equals(descriptor.path("digest")))) {
                list.add(descriptor);
            }
        }
        exchange.getResponseHeaders().set("OCI-Subject", subject.asText());
    }

    private void listReferrers(HttpExchange exchange, String repository, String subject, String query) throws IOException {
        String artifactType = parameter(query, "artifactType");
        int start = Integer.parseInt(parameter(query, "start") == null ? "0" : parameter(query, "start"));
        List<ObjectNode> matching = referrers.getOrDefault(repository + "@" + subject, List.of()).stream()
                .filter(d -> artifactType == null || artifactType.equals(d.path("artifactType").asText()))
                .toList();
        ObjectNode index = Json.mapper().createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode manifests = index.putArray("manifests");
        matching.subList(Math.min(start, matching.size()), Math.min(start + PAGE_SIZE, matching.size()))
                .forEach(manifests::add);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.oci.image.index.v1+json");
        if (artifactType != null) {
            exchange.getResponseHeaders().set("OCI-Filters-Applied", "artifactType");
        }
        if (start + PAGE_SIZE < matching.size()) {
            String next = "/v2/" + repository + "/referrers/" + subject + "?start=" + (start + PAGE_SIZE)
                    + (artifactType == null ? "" : "&artifactType=" + URLEncoder.encode(artifactType, StandardCharsets.UTF_8));
            exchange.getResponseHeaders().set("Link", "<" + next + ">; rel=\"next\"");
        }
        send(exchange, "GET", 200, Json.mapper().writeValueAsBytes(index));
    }

    private static String parameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private String rewriteLocation(String value) {
        return value.replace(registry.host(), host());
    }

    private static void send(HttpExchange exchange, String method, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().putIfAbsent("Docker-Distribution-API-Version", List.of("registry/2.0"));
        HttpRelay.send(exchange, method, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        registry.close();
    }
}
