package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.Problems;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How this package talks to the API server: client exceptions become {@link KubernetesApiException}s that say
 * what was attempted, and read-modify-write cycles are repeated when the server answers 409 Conflict (another
 * writer changed the object since it was read; the next attempt reads it again).
 */
final class KubeCalls {

    static final int CONFLICT = 409;
    static final int MAX_ATTEMPTS = 10;
    /**
     * The longest wait before the second attempt; it doubles with each attempt up to {@link #MAX_BACKOFF_MILLIS}, and
     * each wait is drawn at random below its bound (as client-go's retry on conflict does, with jitter), so that
     * writers racing for one object stop colliding in step: without it one could lose all ten attempts.
     */
    static final long FIRST_BACKOFF_MILLIS = 10;
    static final long MAX_BACKOFF_MILLIS = 320;

    private KubeCalls() {}

    /** Runs one API interaction; {@code what} completes "failed to …". */
    static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw failure(what, e);
        }
    }

    /**
     * Runs a read-modify-write cycle, again from the read when the write conflicts. Each attempt must read the
     * object afresh and write it locked to the resourceVersion it read.
     */
    static <T> T retryOnConflict(String what, Supplier<T> attempt) {
        return retryOnConflict(what, null, reads -> attempt.get());
    }

    /**
     * {@link #retryOnConflict(String, Supplier)} for an attempt that reads through {@code reads}: the first attempt
     * reads as given (perhaps from a cache), every later one {@link ClusterReads#fresh() fresh} from the API server.
     */
    static <T> T retryOnConflict(String what, ClusterReads reads, Function<ClusterReads, T> attempt) {
        KubernetesClientException last = null;
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            try {
                return attempt.apply(i == 0 || reads == null ? reads : reads.fresh());
            } catch (KubernetesClientException e) {
                if (e.getCode() != CONFLICT) {
                    throw failure(what, e);
                }
                last = e;
            }
            if (i + 1 < MAX_ATTEMPTS) {
                backOff(what, i, last);
            }
        }
        throw new KubernetesApiException("failed to " + what + ": the object kept changing under " + MAX_ATTEMPTS
                + " attempts (409 Conflict each time); another writer is active", CONFLICT, last);
    }

    /** Waits a random time below {@code FIRST_BACKOFF_MILLIS × 2^attempt} (capped) before the next attempt. */
    private static void backOff(String what, int attempt, KubernetesClientException last) {
        long bound = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(attempt, 16));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(bound + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesApiException("failed to " + what + ": interrupted while another writer was changing the"
                    + " object (409 Conflict)", CONFLICT, last);
        }
    }

    static KubernetesApiException failure(String what, KubernetesClientException e) {
        StringBuilder message = new StringBuilder("failed to ").append(what).append(": ");
        if (e.getCode() > 0) {
            message.append("HTTP ").append(e.getCode()).append(' ');
        }
        message.append(e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage());
        if (e.getCode() <= 0 && rootCause(e) != e) {
            // No answer from the server (TLS trust, connection refused, timeout): the root cause says which.
            message.append(" (").append(Problems.describe(e.getCause())).append(')');
        }
        if (e.getCode() == 401) {
            message.append(" (the credentials were not accepted)");
        } else if (e.getCode() == 403) {
            message.append(" (the cluster's RBAC does not allow it; see the Role in docs/kubernetes.md)");
        }
        return new KubernetesApiException(message.toString(), e.getCode(), retryAfter(e), e);
    }

    /** The wait a 429 or 503 answer asked for, in its Status details; zero when it named none. */
    private static Duration retryAfter(KubernetesClientException e) {
        Integer seconds = e.getStatus() == null || e.getStatus().getDetails() == null ? null
                : e.getStatus().getDetails().getRetryAfterSeconds();
        return seconds == null || seconds <= 0 ? Duration.ZERO : Duration.ofSeconds(seconds);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
