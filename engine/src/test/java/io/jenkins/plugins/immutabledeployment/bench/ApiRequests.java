package io.jenkins.plugins.immutabledeployment.bench;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts every request the engine's client sends to the API server (watches and retries included) and remembers
 * when each write to a canary Deployment was acknowledged: with replica-ratio traffic that write is the router's
 * (the canary's replica count), so the first one after a failure is the moment traffic is all on stable.
 */
final class ApiRequests implements Interceptor {

    private static final Pattern CANARY = Pattern.compile("/apis/apps/v1/namespaces/([^/]+)/deployments/([^/?]+-canary)");

    private final AtomicLong sent = new AtomicLong();
    private final Map<String, AtomicLong> byKind = new ConcurrentHashMap<>();
    private final Map<String, List<Instant>> canaryWrites = new ConcurrentHashMap<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        sent.incrementAndGet();
        byKind.computeIfAbsent(kind(request), k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        if (!"PATCH".equals(request.method()) || response.code() >= 300) {
            return;
        }
        Matcher canary = CANARY.matcher(request.uri().getRawPath());
        if (canary.matches()) {
            canaryWrites.computeIfAbsent(canary.group(1) + "/" + canary.group(2), k -> new CopyOnWriteArrayList<>()).add(Instant.now());
        }
    }

    long sent() {
        return sent.get();
    }

    /** Requests by {@code METHOD resource} (with {@code watch} for watches), for reading where they go. */
    Map<String, Long> byKind() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        byKind.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** When the first write to the canary of {@code namespace/deployment} at or after {@code since} was acknowledged. */
    Instant firstCanaryWriteAfter(String namespace, String deployment, Instant since) {
        return canaryWrites.getOrDefault(namespace + "/" + deployment + "-canary", List.of()).stream()
                .filter(t -> !t.isBefore(since)).min(Instant::compareTo).orElse(null);
    }

    private static String kind(HttpRequest request) {
        String path = request.uri().getRawPath();
        String query = request.uri().getRawQuery();
        String[] parts = path.split("/");
        // .../namespaces/NS/RESOURCE[/NAME[/SUBRESOURCE]]
        String resource = "?";
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals("namespaces") && i + 2 < parts.length) {
                resource = parts[i + 2] + (i + 3 < parts.length ? "/name" : "") + (i + 4 < parts.length ? "/" + parts[i + 4] : "");
            }
        }
        boolean watch = query != null && query.contains("watch=true");
        return request.method() + " " + resource + (watch ? " watch" : "");
    }
}
