package io.jenkins.plugins.immutabledeployment.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The HTTP plumbing under {@link RegistryClient}: one registry's base URL, authorization, retries with backoff,
 * and the translation of error responses into {@link RegistryException}s. Never logs, never puts the
 * {@code Authorization} header into a message.
 */
final class RegistryHttp {

    /** A request; {@code body} is called once per attempt, {@code replayable} says whether that is allowed. */
    record Call(String what, String method, URI uri, Map<String, String> headers,
                Supplier<HttpRequest.BodyPublisher> body, List<String> scopes, boolean replayable, boolean authorize) {

        static Call of(String what, String method, URI uri, List<String> scopes) {
            return new Call(what, method, uri, Map.of(), HttpRequest.BodyPublishers::noBody, scopes, true, true);
        }

        Call withHeaders(Map<String, String> newHeaders) {
            return new Call(what, method, uri, newHeaders, body, scopes, replayable, authorize);
        }

        Call withBody(Supplier<HttpRequest.BodyPublisher> newBody, boolean newReplayable) {
            return new Call(what, method, uri, headers, newBody, scopes, newReplayable, authorize);
        }

        Call redirectedTo(URI target) {
            boolean sameServer = target.getAuthority() != null && target.getAuthority().equals(uri.getAuthority());
            return new Call(what, method, target, headers, body, scopes, replayable, authorize && sameServer);
        }
    }

    /** A failure that a fresh attempt of a whole multi-request operation (an upload) may overcome. */
    static final class RetryableFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Duration retryAfter;

        RetryableFailure(RegistryException failure, Duration retryAfter) {
            super(failure.getMessage(), failure);
            this.retryAfter = retryAfter;
        }

        RegistryException failure() {
            return (RegistryException) getCause();
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }

    static final int ERROR_BODY_MAX = 64 << 10;

    private final String registry;
    private final URI base;
    private final HttpClient http;
    private final Authenticator authenticator;
    private final RegistryConnection connection;
    private final AtomicLong requests = new AtomicLong();

    RegistryHttp(String registry, String apiHost, RegistryConnection connection) {
        this.registry = registry;
        this.base = URI.create((connection.plainHttp() ? "http" : "https") + "://" + apiHost + "/v2/");
        this.connection = connection;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30))
                .sslContext(TlsTrust.context(connection.caCertificate(), "caCertificate"))
                .build();
        this.authenticator = new Authenticator(registry, base, connection.credentials().lookup(registry), http,
                connection.clock(), connection.timeout());
    }

    String registry() {
        return registry;
    }

    URI uri(String pathAfterV2) {
        return base.resolve(pathAfterV2);
    }

    URI resolve(String location) {
        return base.resolve(location);
    }

    long requests() {
        return requests.get();
    }

    RetryPolicy retry() {
        return connection.retry();
    }

    java.time.Clock clock() {
        return connection.clock();
    }

    /**
     * Sends a call; with {@code retry}, retries on 429, 5xx and I/O errors as the retry policy allows (only
     * replayable calls), announcing each retry, and fails when the attempts are used up. Failures that a retry
     * cannot mend (TLS handshake, an unknown host, plain HTTP against TLS and back) fail at once. A 401 is answered
     * once with (new) authorization. The caller closes the response body.
     */
    HttpResponse<InputStream> send(Call call, boolean retry) {
        return send(call, retry, false);
    }

    /** How long a request sent to the end ({@link #sendToTheEnd}) still waits for its answer once interrupted. */
    static final Duration ANSWER_WAIT_WHEN_INTERRUPTED = Duration.ofSeconds(10);

    /**
     * Like {@link #send(Call, boolean)}, but an interrupt while a request is on its way does not abandon it at once:
     * the answer is awaited up to {@link #ANSWER_WAIT_WHEN_INTERRUPTED} more, and the interrupt kept for the caller.
     * For the requests that open and cancel an upload session: a session the registry opened but whose answer the
     * client dropped is one it cannot cancel.
     */
    HttpResponse<InputStream> sendToTheEnd(Call call, boolean retry) {
        return send(call, retry, true);
    }

    private HttpResponse<InputStream> send(Call call, boolean retry, boolean toTheEnd) {
        boolean reauthorized = false;
        for (int attempt = 1; ; attempt++) {
            Optional<String> authorization = call.authorize() ? authenticator.authorization(call.scopes()) : Optional.empty();
            HttpResponse<InputStream> response;
            try {
                requests.incrementAndGet();
                response = exchange(request(call, authorization), toTheEnd);
            } catch (IOException e) {
                IntegrityException integrity = integrityCause(e);
                if (integrity != null) {
                    throw integrity;
                }
                ConnectionProblem problem = ConnectionProblem.of(e);
                if (problem != null) {
                    throw new RegistryConnectionException(call.what() + " at " + registry + ": " + problem.describe(e),
                            problem, e);
                }
                RegistryException failure = new RegistryException(call.what() + " at " + registry + ": "
                        + describe(e) + attempts(attempt), e);
                if (retry && call.replayable() && attempt < retry().maxAttempts()) {
                    pause(call.what(), attempt, null, describe(e));
                    continue;
                }
                throw failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryInterruptedException(call.what() + " at " + registry + ": interrupted", e);
            }
            int status = response.statusCode();
            if (status == 400 && "http".equals(base.getScheme()) && isTlsServerComplaint(response)) {
                throw new RegistryConnectionException(call.what() + " at " + registry + ": "
                        + ConnectionProblem.TLS_SERVER.describe(null), ConnectionProblem.TLS_SERVER, null);
            }
            if (status == 401 && call.authorize() && call.replayable() && !reauthorized) {
                List<String> challenges = response.headers().allValues("WWW-Authenticate");
                byte[] body = readError(response);
                if (authenticator.challenged(challenges, call.scopes(), authorization.isPresent())) {
                    reauthorized = true;
                    attempt--;
                    continue;
                }
                throw failure(call, status, body, attempt);
            }
            if (status == 401 && call.authorize() && !call.replayable()) {
                authenticator.challenged(response.headers().allValues("WWW-Authenticate"), call.scopes(), true);
            }
            if (retry && call.replayable() && isRetryable(status)) {
                Duration retryAfter = retryAfter(response);
                byte[] body = readError(response);
                if (attempt >= retry().maxAttempts()) {
                    throw failure(call, status, body, attempt);
                }
                pause(call.what(), attempt, retryAfter, "HTTP " + status);
                continue;
            }
            return response;
        }
    }

    private HttpResponse<InputStream> exchange(HttpRequest request, boolean toTheEnd)
            throws IOException, InterruptedException {
        if (!toTheEnd) {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        }
        CompletableFuture<HttpResponse<InputStream>> answer =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        boolean interrupted = false;
        long deadline = 0;
        try {
            while (true) {
                try {
                    return interrupted ? answer.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS) : answer.get();
                } catch (InterruptedException e) {
                    if (!interrupted) {
                        interrupted = true;
                        deadline = System.nanoTime() + ANSWER_WAIT_WHEN_INTERRUPTED.toNanos();
                    }
                } catch (TimeoutException e) {
                    answer.cancel(true);
                    throw new InterruptedException("no answer within " + ANSWER_WAIT_WHEN_INTERRUPTED.toSeconds()
                            + " s of the interrupt");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw ParallelTasks.causeOf(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads a response body into a value; an {@link IOException} (a reset or truncated body) may be retried. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(HttpResponse<InputStream> response) throws IOException;
    }

    /**
     * Like {@link #sendUnlessNotFound}, then reads the body with {@code reader}; a body that breaks off (reset,
     * truncated) or does not match its digest is fetched again as the retry policy allows, since a read changes
     * nothing. Empty on 404.
     */
    <T> Optional<T> fetch(Call call, BodyReader<T> reader, int... expected) {
        for (int attempt = 1; ; attempt++) {
            Optional<HttpResponse<InputStream>> found = sendUnlessNotFound(call, expected);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            RuntimeException failure;
            try (InputStream body = found.get().body()) {
                return Optional.of(reader.read(found.get()));
            } catch (IntegrityException | InvalidManifestException e) {
                // A manifest changed on the way fails its digest, or (read by tag, with no digest to check) its parsing.
                failure = e;
            } catch (IOException e) {
                IntegrityException integrity = integrityCause(e);
                failure = integrity != null ? integrity
                        : new RegistryException(call.what() + " at " + registry + ": " + describe(e) + attempts(attempt), e);
            }
            if (attempt >= retry().maxAttempts()) {
                throw failure;
            }
            pause(call.what(), attempt, null, failure instanceof IntegrityException ? "the answer did not match its digest"
                    : failure instanceof InvalidManifestException ? "the answer was not a valid manifest"
                    : "the answer broke off");
        }
    }

    /**
     * Sends a replayable call with retries; a 404 is empty, a status in {@code expected} is the response (the caller
     * closes its body), anything else a failure.
     */
    Optional<HttpResponse<InputStream>> sendUnlessNotFound(Call call, int... expected) {
        HttpResponse<InputStream> response = send(call, true);
        int status = response.statusCode();
        if (status == 404) {
            discard(response);
            return Optional.empty();
        }
        for (int ok : expected) {
            if (status == ok) {
                return Optional.of(response);
            }
        }
        throw failure(call, response);
    }

    /** Closes the body of a response whose content does not matter. */
    static void discard(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The body is unwanted; a broken connection is simply not reused.
        }
    }

    /** Reads a body of at most {@code max} bytes; a larger one is a protocol error, a broken one an I/O error. */
    byte[] readBody(HttpResponse<InputStream> response, int max, String what) throws IOException {
        byte[] bytes = response.body().readNBytes(max + 1);
        if (bytes.length > max) {
            throw new RegistryException(what + " at " + registry + ": response is larger than " + max + " bytes",
                    response.statusCode(), List.of());
        }
        return bytes;
    }

    /** The failure for an unexpected response; its body is read (and closed) for the registry's error codes. */
    RegistryException failure(Call call, HttpResponse<InputStream> response) {
        return failure(call, response.statusCode(), readError(response), 1);
    }

    /** Like {@link #failure(Call, HttpResponse)}, but as a {@link RetryableFailure} when a new attempt may help. */
    RuntimeException failureOfAttempt(Call call, HttpResponse<InputStream> response) {
        int status = response.statusCode();
        Duration retryAfter = retryAfter(response);
        RegistryException failure = failure(call, response);
        return isRetryable(status) || status == 401 ? new RetryableFailure(failure, retryAfter) : failure;
    }

    /** Waits before attempt {@code attempt + 1} of {@code what}, announcing the retry with its reason and delay. */
    void pause(String what, int attempt, Duration retryAfter, String reason) {
        Duration delay = retry().delayAfter(attempt, retryAfter);
        connection.retryReports().report("  retrying " + what + " at " + registry + " in "
                + Sizes.duration(delay) + " (attempt " + (attempt + 1) + " of " + retry().maxAttempts() + "): " + reason);
        try {
            connection.sleeper().sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryInterruptedException("interrupted while waiting to retry at " + registry, e);
        }
    }

    static boolean isRetryable(int status) {
        return status == 408 || status == 429 || status >= 500 && status != 501 && status != 505;
    }

    static IntegrityException integrityCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IntegrityException integrity) {
                return integrity;
            }
        }
        return null;
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + message);
    }

    /**
     * A TLS server's answer to plain HTTP: Go's is a bare {@code 400} without a single header (its text, "Client
     * sent an HTTP request to an HTTPS server", does not show for a {@code HEAD}); a registry's own 400 always
     * says its API version and content type.
     */
    private static boolean isTlsServerComplaint(HttpResponse<InputStream> response) {
        return response.headers().firstValue("Docker-Distribution-API-Version").isEmpty()
                && response.headers().firstValue("Content-Type").isEmpty();
    }

    private RegistryException failure(Call call, int status, byte[] body, int attempt) {
        if (status == 400 && "http".equals(base.getScheme()) && ConnectionProblem.isHttpToTlsAnswer(body)) {
            return new RegistryConnectionException(call.what() + " at " + registry + ": "
                    + ConnectionProblem.TLS_SERVER.describe(null), ConnectionProblem.TLS_SERVER, null);
        }
        List<String> codes = new ArrayList<>();
        StringBuilder details = new StringBuilder();
        try {
            JsonNode errors = body.length == 0 ? null : Json.mapper().readTree(body).path("errors");
            if (errors != null && errors.isArray()) {
                for (JsonNode error : errors) {
                    String code = error.path("code").asText("");
                    codes.add(code);
                    details.append(' ').append(code);
                    String message = error.path("message").asText("");
                    if (!message.isEmpty()) {
                        details.append(" (").append(message).append(')');
                    }
                }
            }
        } catch (IOException e) {
            // Not the registry's JSON error format: the status alone must do.
        }
        String hint = switch (status) {
            case 401 -> " (credentials missing or refused)";
            case 403 -> " (access denied)";
            default -> "";
        };
        String message = call.what() + " at " + registry + ": HTTP " + status + details + hint + attempts(attempt);
        String username = connection.credentials().lookup(registry).map(Credentials::username).orElse(null);
        return switch (status) {
            case 401 -> new CredentialsRefusedException(message, codes, registry, username);
            case 403 -> new PermissionDeniedException(message, codes, registry, username);
            default -> new RegistryException(message, status, codes);
        };
    }

    private byte[] readError(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            return body.readNBytes(ERROR_BODY_MAX);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private HttpRequest request(Call call, Optional<String> authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri())
                .method(call.method(), call.body().get())
                .timeout(connection.timeout())
                .header("User-Agent", RegistryClient.USER_AGENT);
        call.headers().forEach(builder::header);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder.build();
    }

    private Duration retryAfter(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Retry-After");
        if (value.isEmpty()) {
            return null;
        }
        String text = value.get().trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(connection.clock().instant(), when.toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static String attempts(int attempt) {
        return attempt > 1 ? " (after " + attempt + " attempts)" : "";
    }
}
