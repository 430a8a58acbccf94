package io.jenkins.plugins.immutabledeployment.metrics;

import io.jenkins.plugins.immutabledeployment.EngineThreads;
import io.jenkins.plugins.immutabledeployment.Problems;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.metrics.QueryResult.Data;
import io.jenkins.plugins.immutabledeployment.metrics.QueryResult.Failure;
import io.jenkins.plugins.immutabledeployment.metrics.QueryResult.FailureKind;
import io.jenkins.plugins.immutabledeployment.metrics.QueryResult.ResultType;
import io.jenkins.plugins.immutabledeployment.metrics.QueryResult.Sample;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Instant queries against the Prometheus HTTP API ({@code POST /api/v1/query}, form-encoded, so long queries
 * fit). Never throws for a failed query: the answer says whether it is data or a failure, and which kind.
 * Thread-safe; one instance per Prometheus address.
 */
public final class PrometheusClient {

    private static final int MAX_BODY_IN_MESSAGE = 200;
    private final URI queryEndpoint;
    private final PrometheusOptions options;
    private final HttpClient http;

    public PrometheusClient(URI address, PrometheusOptions options) {
        String base = address.toString().endsWith("/") ? address.toString() : address + "/";
        this.queryEndpoint = URI.create(base).resolve("api/v1/query");
        this.options = options;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(options.timeout()).followRedirects(HttpClient.Redirect.NEVER)
                .executor(EngineThreads.httpAnswers()); // the JDK's default would start a thread per answer in flight
        if (options.caCertificate() != null) {
            builder.sslContext(ExtraCaTrust.sslContext(options.caCertificate(), "caCertificate"));
        }
        this.http = builder.build();
    }

    /** Evaluates {@code promql} at the server's current time, within the default timeout. */
    public QueryResult query(String promql) {
        return query(promql, null, options.timeout());
    }

    /** Evaluates {@code promql} at {@code time} (the server's now when null), giving up after {@code timeout}. */
    public QueryResult query(String promql, Instant time, Duration timeout) {
        return queryAsync(promql, time, timeout).join();
    }

    /**
     * {@link #query(String, Instant, Duration)} without waiting: the future completes with the answer (never
     * exceptionally). No thread waits for Prometheus meanwhile, however many queries are in flight.
     */
    public CompletableFuture<QueryResult> queryAsync(String promql, Instant time, Duration timeout) {
        StringBuilder form = new StringBuilder("query=").append(URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (time != null) {
            form.append("&time=").append(time.getEpochSecond()).append('.').append(String.format("%03d", time.getNano() / 1_000_000));
        }
        // Let Prometheus stop evaluating when we stop waiting.
        form.append("&timeout=").append(Math.max(1, timeout.toMillis())).append("ms");
        HttpRequest.Builder request = HttpRequest.newBuilder(queryEndpoint)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        if (options.bearerToken() != null) {
            request.header("Authorization", "Bearer " + options.bearerToken());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, failure) -> redacted(failure == null ? interpret(response) : failed(failure, timeout)));
    }

    private QueryResult failed(Throwable failure, Duration timeout) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return new Failure(FailureKind.TIMEOUT, "no answer from " + queryEndpoint + " within " + timeout.toMillis() + " ms");
        }
        if (cause instanceof IOException e) {
            return new Failure(FailureKind.CONNECTION, "cannot query " + queryEndpoint + ": " + describe(e));
        }
        return new Failure(FailureKind.CONNECTION, "cannot query " + queryEndpoint + ": " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
    }

    private QueryResult interpret(HttpResponse<String> response) {
        JsonNode body;
        try {
            body = Json.mapper().readTree(response.body());
        } catch (JsonProcessingException e) {
            body = null;
        }
        int status = response.statusCode();
        if (body != null && "error".equals(body.path("status").asText())) {
            return new Failure(FailureKind.PROMETHEUS_ERROR, "Prometheus answered HTTP " + status + ", "
                    + body.path("errorType").asText("error") + ": " + body.path("error").asText(""));
        }
        if (status < 200 || status > 299) {
            return new Failure(FailureKind.HTTP_STATUS, "HTTP " + status + " from " + queryEndpoint + bodyExcerpt(response.body()));
        }
        if (body == null || !"success".equals(body.path("status").asText())) {
            return new Failure(FailureKind.BAD_RESPONSE, "not a Prometheus API answer from " + queryEndpoint + bodyExcerpt(response.body()));
        }
        try {
            return data(body);
        } catch (IllegalArgumentException e) {
            return new Failure(FailureKind.BAD_RESPONSE, "unreadable Prometheus answer: " + e.getMessage());
        }
    }

    private static QueryResult data(JsonNode body) {
        JsonNode data = body.path("data");
        String type = data.path("resultType").asText();
        List<String> warnings = new ArrayList<>();
        body.path("warnings").forEach(w -> warnings.add(w.asText()));
        JsonNode result = data.path("result");
        switch (type) {
            case "vector": {
                List<Sample> samples = new ArrayList<>();
                for (JsonNode series : result) {
                    Map<String, String> labels = new LinkedHashMap<>();
                    Iterator<Map.Entry<String, JsonNode>> fields = series.path("metric").fields();
                    fields.forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
                    samples.add(new Sample(labels, number(series.path("value").path(1))));
                }
                return new Data(ResultType.VECTOR, samples, warnings);
            }
            case "scalar":
                return new Data(ResultType.SCALAR, List.of(new Sample(Map.of(), number(result.path(1)))), warnings);
            default:
                return new Failure(FailureKind.UNSUPPORTED_RESULT, "the query returned a " + (type.isEmpty() ? "missing" : type)
                        + " result; an analysis query must return an instant vector or a scalar");
        }
    }

    /** Prometheus writes sample values as strings: "0.25", "NaN", "+Inf", "-Inf". */
    private static double number(JsonNode value) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException("sample value " + value + " is not a string");
        }
        switch (value.asText()) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(value.asText());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("sample value \"" + value.asText() + "\" is not a number");
                }
        }
    }

    /** A failure's message with the bearer token blanked, should a server or proxy have echoed it. */
    private QueryResult redacted(QueryResult result) {
        if (result instanceof Failure failure && options.bearerToken() != null && failure.message().contains(options.bearerToken())) {
            return new Failure(failure.kind(), failure.message().replace(options.bearerToken(), "****"));
        }
        return result;
    }

    private static String bodyExcerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return ": " + (flat.length() > MAX_BODY_IN_MESSAGE ? flat.substring(0, MAX_BODY_IN_MESSAGE) + "…" : flat);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if ((message == null || message.isBlank()) && cause != null) {
            message = cause.getMessage();
        }
        String words = Problems.describe(e);
        return message == null || words.equals(message) ? words : words + " (" + message + ")";
    }

    @Override
    public String toString() {
        return "PrometheusClient[" + queryEndpoint + ", " + options + "]";
    }
}
