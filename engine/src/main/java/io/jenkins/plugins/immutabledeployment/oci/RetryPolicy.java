package io.jenkins.plugins.immutabledeployment.oci;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a registry call is retried on 429, 5xx and I/O errors: exponential backoff from
 * {@code initialDelay}, doubling up to {@code maxDelay}, with jitter; a {@code Retry-After} from the registry is
 * honoured up to {@code maxRetryAfter}.
 *
 * @param maxAttempts attempts in all, the first included (1 = no retry)
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration maxRetryAfter) {

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(60));
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /**
     * The wait before attempt {@code attempt + 1} after attempt {@code attempt} (1-based) failed: the registry's
     * {@code Retry-After} if it gave one, else half the exponential delay plus up to as much again at random.
     */
    public Duration delayAfter(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
        }
        long base = initialDelay.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, maxDelay.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1)));
    }
}
