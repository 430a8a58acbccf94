package io.jenkins.plugins.immutabledeployment.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * (500/502/503, 429 with {@code Retry-After}), a dropped connection, a response body cut off half-way, one byte
 * changed in the request body (on its way to the registry) or in the response body, a stall longer than the
 * client's time-out, a wrong {@code Docker-Content-Digest}, or an action run right after a request was passed on
 * (to stage a race). Each fault applies a number of times or forever to requests whose method matches and whose
 * path (with {@code ?query} when there is one) matches a regular expression; everything else is passed through.
 */
public final class FaultProxy implements AutoCloseable {

    private enum Kind { STATUS, DROP, TAMPER, TAMPER_REQUEST, TRUNCATE, STALL, WRONG_DIGEST, AFTER }

    private static final class Rule {
        final String method;
        final Pattern path;
        final Kind kind;
        final int status;
        final String retryAfter;
        final AtomicInteger remaining;
        final AtomicInteger skip = new AtomicInteger();
        String triggerMethod;
        Pattern trigger;
        final java.util.concurrent.atomic.AtomicBoolean triggered = new java.util.concurrent.atomic.AtomicBoolean();
        Duration stall = Duration.ZERO;
        Runnable after = () -> {};

        Rule(String method, String pathRegex, Kind kind, int status, String retryAfter, int times) {
            this.method = method;
            this.path = Pattern.compile(pathRegex);
            this.kind = kind;
            this.status = status;
            this.retryAfter = retryAfter;
            this.remaining = new AtomicInteger(times);
        }

        boolean claims(String requestMethod, String requestPath) {
            if (trigger != null && !triggered.get()) {
                if (!(triggerMethod.equals(ANY) || triggerMethod.equals(requestMethod))
                        || !trigger.matcher(requestPath).matches()) {
                    return false;
                }
                triggered.set(true);
            }
            if (!(method.equals(ANY) || method.equals(requestMethod)) || !path.matcher(requestPath).matches()) {
                return false;
            }
            if (skip.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return false;
            }
            return remaining.get() == FOREVER || remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        }
    }

    public static final int FOREVER = -1;
    /** As a method: every method. */
    public static final String ANY = "*";

    private static final Set<String> HOP_HEADERS = HttpRelay.HOP_HEADERS;

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client = HttpRelay.client();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger faults = new AtomicInteger();
    private final List<Exchange> timeline = new CopyOnWriteArrayList<>();
    private volatile Duration latency = Duration.ZERO;

    /**
     * A request as the proxy saw it: {@code METHOD path}, when it arrived and when its answer started out
     * ({@link System#nanoTime}).
     */
    public record Exchange(String request, long arrived, long answered) {}

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

    /** Flips one byte in the middle of the request body before passing the request on. */
    public FaultProxy tamperRequest(String method, String pathRegex, int times) {
        rules.add(new Rule(method, pathRegex, Kind.TAMPER_REQUEST, 0, null, times));
        return this;
    }

    /** Passes the request on, then sends the answer's headers and only the first half of its body, and hangs up. */
    public FaultProxy truncate(String method, String pathRegex, int times) {
        rules.add(new Rule(method, pathRegex, Kind.TRUNCATE, 0, null, times));
        return this;
    }

    /** Waits {@code stall} (longer than the client's time-out), then hangs up without passing the request on. */
    public FaultProxy stall(String method, String pathRegex, Duration stall, int times) {
        Rule rule = new Rule(method, pathRegex, Kind.STALL, 0, null, times);
        rule.stall = stall;
        rules.add(rule);
        return this;
    }

    /** Passes the request on and answers with a {@code Docker-Content-Digest} that is not the content's. */
    public FaultProxy wrongDigest(String method, String pathRegex, int times) {
        rules.add(new Rule(method, pathRegex, Kind.WRONG_DIGEST, 0, null, times));
        return this;
    }

    /** Passes the request on, runs {@code action} (e.g. another writer's request), then answers. */
    public FaultProxy after(String method, String pathRegex, int times, Runnable action) {
        Rule rule = new Rule(method, pathRegex, Kind.AFTER, 0, null, times);
        rule.after = action;
        rules.add(rule);
        return this;
    }

    /** Lets the first {@code count} requests that the fault added last would apply to pass unharmed. */
    public FaultProxy skipping(int count) {
        rules.get(rules.size() - 1).skip.set(count);
        return this;
    }

    /**
     * Holds the fault added last back until a request matching {@code method} and {@code pathRegex} comes; from that
     * request on, the fault applies to the requests it names (as a registry that breaks down at a chosen moment).
     */
    public FaultProxy startingAt(String method, String pathRegex) {
        Rule rule = rules.get(rules.size() - 1);
        rule.triggerMethod = method;
        rule.trigger = Pattern.compile(pathRegex);
        return this;
    }

    /**
     * Answers every request that is passed on no sooner than {@code latency} after it arrived, as a distant registry
     * would: requests sent one after the other then take a latency each, requests sent at once one for all.
     */
    public FaultProxy latency(Duration newLatency) {
        latency = newLatency;
        return this;
    }

    /**
     * How many round trips the requests seen so far (from {@link #timeline()}) took one after the other: the longest
     * chain of requests each of which arrived after the previous one's answer was sent.
     */
    public int roundTrips() {
        List<Exchange> exchanges = new ArrayList<>(timeline);
        exchanges.sort(java.util.Comparator.comparingLong(Exchange::answered));
        int[] depth = new int[exchanges.size()];
        int longest = 0;
        for (int i = 0; i < exchanges.size(); i++) {
            depth[i] = 1;
            for (int j = 0; j < i; j++) {
                if (exchanges.get(j).answered() <= exchanges.get(i).arrived()) {
                    depth[i] = Math.max(depth[i], depth[j] + 1);
                }
            }
            longest = Math.max(longest, depth[i]);
        }
        return longest;
    }

    /** Every request seen so far with when it arrived and was answered (those answered, not those dropped). */
    public List<Exchange> timeline() {
        return List.copyOf(timeline);
    }

    public void clearFaults() {
        rules.clear();
    }

    /** Forgets the requests seen and the faults counted so far. */
    public void reset() {
        rules.clear();
        requests.clear();
        timeline.clear();
        faults.set(0);
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
            long arrived = System.nanoTime();
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(method + " " + uri.getRawPath());
            String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            Rule rule = rules.stream().filter(r -> r.claims(method, pathAndQuery)).findFirst().orElse(null);
            Kind kind = rule == null ? null : rule.kind;
            if (kind == Kind.STATUS || kind == Kind.DROP) {
                faults.incrementAndGet();
                if (kind == Kind.DROP) {
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
            if (kind == Kind.STALL) {
                faults.incrementAndGet();
                Thread.sleep(rule.stall.toMillis());
                return; // a server that never answered: the request is not passed on late
            }
            if (kind == Kind.TAMPER_REQUEST && body.length > 0) {
                faults.incrementAndGet();
                body = flipMiddleByte(body);
            }
            HttpResponse<byte[]> answer = forward(exchange, method, uri, body);
            long answerAt = arrived + latency.toNanos();
            while (System.nanoTime() < answerAt) {
                Thread.sleep(Math.max(1, (answerAt - System.nanoTime()) / 1_000_000));
            }
            if (kind == Kind.AFTER) {
                faults.incrementAndGet();
                rule.after.run();
            }
            byte[] answerBody = answer.body();
            if (kind == Kind.TAMPER && answerBody.length > 0) {
                faults.incrementAndGet();
                answerBody = flipMiddleByte(answerBody);
            }
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    List<String> rewritten = new ArrayList<>();
                    values.forEach(v -> rewritten.add(name.equalsIgnoreCase("location") ? rewriteLocation(v) : v));
                    exchange.getResponseHeaders().put(name, rewritten);
                }
            });
            if (kind == Kind.WRONG_DIGEST && answer.headers().firstValue("Docker-Content-Digest").isPresent()) {
                faults.incrementAndGet();
                exchange.getResponseHeaders().set("Docker-Content-Digest", "sha256:" + "0".repeat(63) + "1");
            }
            if (kind == Kind.TRUNCATE && answerBody.length > 1 && !"HEAD".equals(method)) {
                faults.incrementAndGet();
                exchange.sendResponseHeaders(answer.statusCode(), answerBody.length);
                OutputStream out = exchange.getResponseBody();
                out.write(answerBody, 0, answerBody.length / 2);
                out.flush();
                return; // closing with bytes missing makes the server hang up mid-body
            }
            // Taken before the answer goes out: once it has, the client may send a request that depends on it, and
            // that request's arrival, taken on another thread, must not come before this answer's time.
            long answered = System.nanoTime();
            send(exchange, method, answer.statusCode(), answerBody);
            timeline.add(new Exchange(method + " " + uri.getRawPath(), arrived, answered));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] flipMiddleByte(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[copy.length / 2] ^= 0x01;
        return copy;
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
