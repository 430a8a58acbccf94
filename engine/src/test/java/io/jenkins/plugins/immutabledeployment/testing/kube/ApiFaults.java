package io.jenkins.plugins.immutabledeployment.testing.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The mock server's dispatcher with API-server faults on demand, answered before the CRUD store sees the request: an
 * error status (500, 503, 403…, or 429 with a Retry-After) for requests whose method and path (with {@code ?query})
 * match, a number of times or {@link #FOREVER}; and watches that are opened and then answered as a real API server
 * answers a watch from a resourceVersion it no longer has: an {@code ERROR} event with a 410 Gone Status. Everything
 * else is the CRUD mock's (with the one-off expectations it keeps).
 */
public final class ApiFaults extends KubernetesMixedDispatcher {

    public static final int FOREVER = -1;

    private record Rule(String method, Pattern path, int status, int retryAfterSeconds, AtomicInteger remaining) {

        boolean claims(String requestMethod, String requestPath) {
            if (!method.equals(requestMethod) || !path.matcher(requestPath).matches()) {
                return false;
            }
            return remaining.get() == FOREVER || remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private final AtomicInteger gone = new AtomicInteger();
    private final AtomicInteger goneAnswered = new AtomicInteger();

    ApiFaults(Map<ServerRequest, Queue<ServerResponse>> expectations) {
        super(expectations);
    }

    /** Answers {@code times} requests (or {@link #FOREVER}) of {@code method} on paths matching {@code pathRegex} with {@code status}. */
    public ApiFaults fail(String method, String pathRegex, int status, int times) {
        rules.add(new Rule(method.toUpperCase(Locale.ROOT), Pattern.compile(pathRegex), status, 0, new AtomicInteger(times)));
        return this;
    }

    /** Answers with 429 Too Many Requests, asking for {@code retryAfterSeconds} (header and Status details, as the API server does). */
    public ApiFaults throttle(String method, String pathRegex, int retryAfterSeconds, int times) {
        rules.add(new Rule(method.toUpperCase(Locale.ROOT), Pattern.compile(pathRegex), 429, retryAfterSeconds, new AtomicInteger(times)));
        return this;
    }

    /** The next {@code times} watch requests are opened and answered with an ERROR event carrying 410 Gone, then closed. */
    public ApiFaults goneOnNextWatches(int times) {
        gone.set(times);
        return this;
    }

    /** Removes every fault not yet used up. */
    public void clear() {
        rules.clear();
        gone.set(0);
    }

    /** How many requests were answered with an injected error status. */
    public int injected() {
        return injected.get();
    }

    /** How many watches were answered 410 Gone. */
    public int goneAnswered() {
        return goneAnswered.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path = request.getPath();
        if (path.contains("watch=true") && gone.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            goneAnswered.incrementAndGet();
            return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
                @Override
                public void onOpen(WebSocket webSocket, Response response) {
                    webSocket.send("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                            + "\"message\":\"too old resource version\",\"reason\":\"Expired\",\"code\":410}}");
                    webSocket.close(1000, "gone");
                }
            });
        }
        for (Rule rule : rules) {
            if (rule.claims(method, path)) {
                injected.incrementAndGet();
                return error(rule);
            }
        }
        return super.dispatch(request);
    }

    private static MockResponse error(Rule rule) {
        String reason = switch (rule.status()) {
            case 429 -> "TooManyRequests";
            case 403 -> "Forbidden";
            case 500 -> "InternalError";
            default -> "ServiceUnavailable";
        };
        String details = rule.retryAfterSeconds() > 0 ? ",\"details\":{\"retryAfterSeconds\":" + rule.retryAfterSeconds() + "}" : "";
        MockResponse response = new MockResponse().setResponseCode(rule.status())
                .setHeader("Content-Type", "application/json")
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"injected: " + reason + "\","
                        + "\"reason\":\"" + reason + "\",\"code\":" + rule.status() + details + "}");
        if (rule.retryAfterSeconds() > 0) {
            response.setHeader("Retry-After", String.valueOf(rule.retryAfterSeconds()));
        }
        return response;
    }
}
