package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.DeploymentException;
import java.time.Duration;

/** The Kubernetes API refused or failed a request (after the client's own retries). */
public class KubernetesApiException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final Duration retryAfter;

    public KubernetesApiException(String message, int code, Throwable cause) {
        this(message, code, Duration.ZERO, cause);
    }

    /** {@code retryAfter}: how long the server asked to wait before trying again (429, 503), zero when it did not say. */
    public KubernetesApiException(String message, int code, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
    }

    /** The HTTP status code, or 0 when no response was received. */
    public int code() {
        return code;
    }

    /** How long the server asked to wait before the next attempt; zero when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * Whether trying again later may succeed: no answer at all, 409 Conflict (others kept writing), 429 Too Many
     * Requests, or a 5xx. Not for the others (401, 403, 404, 422…), which say the request itself is wrong.
     */
    public boolean retryable() {
        return code <= 0 || code == KubeCalls.CONFLICT || code == 429 || code >= 500;
    }

    /** {@link #retryable()} for any failure: only a Kubernetes API failure may be. */
    public static boolean retryable(Throwable failure) {
        return failure instanceof KubernetesApiException api && api.retryable();
    }

    /** {@link #retryAfter()} for any failure: zero unless a Kubernetes API failure asked for a wait. */
    public static Duration retryAfter(Throwable failure) {
        return failure instanceof KubernetesApiException api ? api.retryAfter() : Duration.ZERO;
    }
}
