package io.jenkins.plugins.immutabledeployment.oci;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs a task per item on a few threads; the first failure (or an interrupt) cancels the rest and is rethrown as it
 * was, once the cancelled tasks have finished their clean-up (an upload cancels its session), up to
 * {@link #CLEAN_UP_WAIT}.
 */
public final class ParallelTasks {

    static final Duration CLEAN_UP_WAIT = Duration.ofSeconds(30);

    private ParallelTasks() {}

    private static void awaitCleanUp(ExecutorService executor) {
        boolean interrupted = Thread.interrupted();
        try {
            executor.awaitTermination(CLEAN_UP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Daemon threads named {@code prefix} and a number. */
    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger threadNumber = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The failure of a task, to be thrown as it was (an {@link Error} is thrown from here). */
    static RuntimeException causeOf(ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e.getCause() instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(e.getCause());
    }

    public static <T> void forEach(List<T> items, int parallelism, Consumer<T> task) {
        if (items.size() <= 1 || parallelism <= 1) {
            items.forEach(task);
            return;
        }
        ExecutorService executor = Executors.newFixedThreadPool(Math.min(parallelism, items.size()),
                daemonThreads("immutable-deploy-blob-"));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(executor.submit(() -> task.accept(item)));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    throw causeOf(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(f -> f.cancel(true));
                    throw new RegistryInterruptedException("interrupted", e);
                }
            }
        } finally {
            // Not shutdownNow(): the tasks still running were cancelled (interrupted) once already, and a second
            // interrupt would cut short the clean-up they do then (e.g. cancelling an upload session with DELETE).
            executor.shutdown();
            awaitCleanUp(executor);
        }
    }
}
