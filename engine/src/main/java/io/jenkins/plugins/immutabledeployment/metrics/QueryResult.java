package io.jenkins.plugins.immutabledeployment.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to one instant query: data (possibly empty, possibly NaN) or a failure. An empty vector is data
 * ("no series matched"), not a failure; a failure means the query could not be answered.
 */
public sealed interface QueryResult permits QueryResult.Data, QueryResult.Failure {

    /** Prometheus answered: a vector (one sample per series, maybe none) or a scalar (one sample, no labels). */
    record Data(ResultType type, List<Sample> samples, List<String> warnings) implements QueryResult {

        public Data {
            Objects.requireNonNull(type, "type");
            samples = List.copyOf(samples);
            warnings = List.copyOf(warnings);
        }

        public boolean isEmpty() {
            return samples.isEmpty();
        }

        /** The sample values in Prometheus' order; NaN and infinities as Java doubles. */
        public List<Double> values() {
            return samples.stream().map(Sample::value).toList();
        }
    }

    /** The query could not be answered; {@code message} is for people and never holds the bearer token. */
    record Failure(FailureKind kind, String message) implements QueryResult {

        public Failure {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }
    }

    /** One series' value; {@code labels} are the series labels (empty for a scalar). */
    record Sample(Map<String, String> labels, double value) {

        public Sample {
            labels = Map.copyOf(labels);
        }
    }

    enum ResultType {
        VECTOR,
        SCALAR
    }

    enum FailureKind {
        /** Prometheus said {@code "status": "error"} (bad PromQL, execution error, its own timeout). */
        PROMETHEUS_ERROR,
        /** An HTTP error status without a Prometheus error body (proxy, auth, 5xx). */
        HTTP_STATUS,
        /** No answer within the timeout. */
        TIMEOUT,
        /** Could not connect, TLS handshake failed, connection reset. */
        CONNECTION,
        /** The body was not the JSON the Prometheus HTTP API returns. */
        BAD_RESPONSE,
        /** A matrix or string result: an instant query for analysis must return a vector or a scalar. */
        UNSUPPORTED_RESULT
    }
}
