package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.Progress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach registries: the settings a {@link RegistryClient} is made from. Immutable; the {@code with…}
 * methods return changed copies.
 *
 * @param plainHttp talk {@code http://} instead of {@code https://} (only when the user asked for it)
 * @param caCertificate a PEM file of extra CA certificates to trust besides the JDK's, or {@code null}
 * @param credentials where credentials come from, looked up per registry
 * @param chunkSize 0 (the default): every blob is streamed in one request, as fast as the registry ingests; N: blobs
 *     larger than N bytes go in {@code PATCH} chunks of N (for registries or proxies that limit request bodies)
 * @param timeout how long to wait for a response to start (not for a whole blob to transfer)
 * @param retryReports where each retry is announced, with its reason and delay (stderr, the build log)
 */
public record RegistryConnection(
        boolean plainHttp, Path caCertificate, CredentialsSource credentials, RetryPolicy retry, Clock clock,
        Sleeper sleeper, long chunkSize, Duration timeout, Progress retryReports) {

    /** One streamed request per blob: measured faster against distribution than chunks, which it hashes per request. */
    public static final long NO_CHUNKS = 0;

    public RegistryConnection {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retryReports, "retryReports");
        if (chunkSize < 0) {
            throw new IllegalArgumentException("chunkSize must not be negative");
        }
    }

    /** HTTPS with the JDK's trusted CAs, anonymous, default retries, system clock. */
    public static RegistryConnection defaults() {
        return new RegistryConnection(false, null, CredentialsSource.NONE, RetryPolicy.DEFAULT, Clock.systemUTC(),
                Sleeper.SYSTEM, NO_CHUNKS, Duration.ofMinutes(2), Progress.NONE);
    }

    public RegistryConnection withPlainHttp(boolean newPlainHttp) {
        return new RegistryConnection(newPlainHttp, caCertificate, credentials, retry, clock, sleeper, chunkSize, timeout, retryReports);
    }

    public RegistryConnection withCaCertificate(Path newCaCertificate) {
        return new RegistryConnection(plainHttp, newCaCertificate, credentials, retry, clock, sleeper, chunkSize, timeout, retryReports);
    }

    public RegistryConnection withCredentials(CredentialsSource newCredentials) {
        return new RegistryConnection(plainHttp, caCertificate, newCredentials, retry, clock, sleeper, chunkSize, timeout, retryReports);
    }

    public RegistryConnection withRetry(RetryPolicy newRetry) {
        return new RegistryConnection(plainHttp, caCertificate, credentials, newRetry, clock, sleeper, chunkSize, timeout, retryReports);
    }

    public RegistryConnection withClock(Clock newClock) {
        return new RegistryConnection(plainHttp, caCertificate, credentials, retry, newClock, sleeper, chunkSize, timeout, retryReports);
    }

    public RegistryConnection withSleeper(Sleeper newSleeper) {
        return new RegistryConnection(plainHttp, caCertificate, credentials, retry, clock, newSleeper, chunkSize, timeout, retryReports);
    }

    public RegistryConnection withChunkSize(long newChunkSize) {
        return new RegistryConnection(plainHttp, caCertificate, credentials, retry, clock, sleeper, newChunkSize, timeout, retryReports);
    }

    public RegistryConnection withTimeout(Duration newTimeout) {
        return new RegistryConnection(plainHttp, caCertificate, credentials, retry, clock, sleeper, chunkSize, newTimeout, retryReports);
    }

    public RegistryConnection withRetryReports(Progress newRetryReports) {
        return new RegistryConnection(plainHttp, caCertificate, credentials, retry, clock, sleeper, chunkSize, timeout,
                newRetryReports);
    }
}
