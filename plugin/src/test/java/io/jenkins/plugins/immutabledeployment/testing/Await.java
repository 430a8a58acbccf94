package io.jenkins.plugins.immutabledeployment.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls state a test cannot be told about (a build's recorded facts, what a running step holds), with a deadline. */
public final class Await {

    public static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);

    private Await() {}

    /** Reads {@code read} until {@code condition} holds, for up to {@link #DEADLINE}; fails naming {@code what} and the last value. */
    public static <T> T until(String what, Supplier<T> read, Predicate<T> condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            T now = read.get();
            if (condition.test(now)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what + "; last seen: " + now);
            }
            LockSupport.parkNanos(POLL.toNanos()); // poll interval; the deadline bounds the wait
        }
    }
}
