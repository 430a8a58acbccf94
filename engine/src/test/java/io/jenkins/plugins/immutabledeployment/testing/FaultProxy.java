package io.jenkins.plugins.immutabledeployment.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A small HTTP proxy in front of a real registry that injects faults into chosen requests: an error status
 * (503, 429 with {@code Retry-After}), a dropped connection, or a response body with one byte changed. Each fault
 * applies a number of times or forever; everything else is passed through unchanged.
 */
public final class FaultProxy implements AutoCloseable {

    private enum Kind { STATUS, DROP, TAMPER }

    private static final class Rule {
        final String method;
        final Pattern path;
        final Kind kind;
        final int status;
        final String retryAfter;
        final AtomicInteger remaining;

        Rule(String method, String pathRegex, Kind kind, int status, String retryAfter, int times) {
            this.method = method;
            this.path = Pattern.compile(pathRegex);
            this.kind = kind;
            this.status = status;
            this.retryAfter = retryAfter;
            this.remaining = new AtomicInteger(times);
        }

        boolean claims(String requestMethod, String requestPath) {
            if (!method.equals(requestMethod) || !path.matcher(requestPath).matches()) {
                return false;
            }
            return remaining.get() == FOREVER || remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        }
    }

    public static final int FOREVER = -1;

    private static final Set<String> HOP_HEADERS = HttpRelay.HOP_HEADERS;

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client = HttpRelay.client();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger faults = new AtomicInteger();

    private FaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fault-proxy");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy to a plain-HTTP registry. */
    public static FaultProxy to(RegistryServer registry) {
        if (registry.isTls()) {
            throw new IllegalArgumentException("the fault proxy speaks plain HTTP only");
        }
        try {
            return new FaultProxy(URI.create(registry.baseUrl()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:PORT}: use it as the registry of image references. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code times} matching requests (or {@link #FOREVER}) with {@code status}. */
    public FaultProxy respond(String method, String pathRegex, int status, int times) {
        rules.add(new Rule(method, pathRegex, Kind.STATUS, status, null, times));
        return this;
    }

    /** Answers with 429 and {@code Retry-After: seconds}. */
    public FaultProxy throttle(String method, String pathRegex, int retryAfterSeconds, int times) {
        rules.add(new Rule(method, pathRegex, Kind.STATUS, 429, String.valueOf(retryAfterSeconds), times));
        return this;
    }

    /** Closes the connection without an answer. */
    public FaultProxy drop(String method, String pathRegex, int times) {
        rules.add(new Rule(method, pathRegex, Kind.DROP, 0, null, times));
        return this;
    }

    /** Passes the request on, then changes one byte of the answer's body. */
    public FaultProxy tamper(String method, String pathRegex, int times) {
        rules.add(new Rule(method, pathRegex, Kind.TAMPER, 0, null, times));
        return this;
    }

    public void clearFaults() {
        rules.clear();
    }

    /** How many faults were injected so far. */
    public int faultsInjected() {
        return faults.get();
    }

    /** {@code METHOD path} of every request seen so far. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            URI uri = exchange.getRequestURI();
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(method + " " + uri.getRawPath());
            Rule rule = rules.stream().filter(r -> r.claims(method, uri.getRawPath())).findFirst().orElse(null);
            if (rule != null && rule.kind != Kind.TAMPER) {
                faults.incrementAndGet();
                if (rule.kind == Kind.DROP) {
                    return; // closing the exchange before any answer drops the connection
                }
                byte[] error = ("{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected fault\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                if (rule.retryAfter != null) {
                    exchange.getResponseHeaders().set("Retry-After", rule.retryAfter);
                }
                send(exchange, method, rule.status, error);
                return;
            }
            HttpResponse<byte[]> answer = forward(exchange, method, uri, body);
            byte[] answerBody = answer.body();
            if (rule != null && answerBody.length > 0) {
                faults.incrementAndGet();
                answerBody = answerBody.clone();
                answerBody[answerBody.length / 2] ^= 0x01;
            }
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    List<String> rewritten = new ArrayList<>();
                    values.forEach(v -> rewritten.add(name.equalsIgnoreCase("location") ? rewriteLocation(v) : v));
                    exchange.getResponseHeaders().put(name, rewritten);
                }
            });
            send(exchange, method, answer.statusCode(), answerBody);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, String method, URI uri, byte[] body)
            throws IOException, InterruptedException {
        return HttpRelay.forward(client, upstream, exchange, method, uri, body,
                Map.of("X-Forwarded-Host", host(), "X-Forwarded-Proto", "http"));
    }

    private String rewriteLocation(String location) {
        return location.replace(upstream.getRawAuthority(), host());
    }

    private static void send(HttpExchange exchange, String method, int status, byte[] body) throws IOException {
        HttpRelay.send(exchange, method, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
