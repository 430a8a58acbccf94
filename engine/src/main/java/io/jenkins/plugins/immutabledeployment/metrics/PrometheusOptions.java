package io.jenkins.plugins.immutabledeployment.metrics;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach a Prometheus server: an optional bearer token (sent as {@code Authorization: Bearer}), an optional
 * extra CA certificate file (PEM; trusted in addition to the JDK's CAs, never instead of verification) and the
 * default query timeout. {@link #toString()} never shows the token.
 */
public record PrometheusOptions(String bearerToken, Path caCertificate, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public PrometheusOptions {
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (bearerToken != null && bearerToken.isBlank()) {
            bearerToken = null;
        }
    }

    public static PrometheusOptions defaults() {
        return new PrometheusOptions(null, null, null);
    }

    public PrometheusOptions withBearerToken(String token) {
        return new PrometheusOptions(token, caCertificate, timeout);
    }

    public PrometheusOptions withCaCertificate(Path file) {
        return new PrometheusOptions(bearerToken, file, timeout);
    }

    public PrometheusOptions withTimeout(Duration newTimeout) {
        return new PrometheusOptions(bearerToken, caCertificate, newTimeout);
    }

    @Override
    public String toString() {
        return "PrometheusOptions[bearerToken=" + (bearerToken == null ? "none" : "****") + ", caCertificate=" + caCertificate
                + ", timeout=" + timeout + "]";
    }
}
