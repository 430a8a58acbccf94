package io.jenkins.plugins.immutabledeployment.oci;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs a task per item on a few threads; the first failure (or an interrupt) stops the rest (those running are
 * interrupted once, those not started do not start) and is rethrown as it was, once the stopped tasks have finished
 * their clean-up (an upload cancels its session), up to {@link #CLEAN_UP_WAIT}.
 *
 * <p>The threads are shared by every call and kept for {@link #IDLE} after their last task: a copy runs about seven
 * of these steps one after the other, and starting fresh threads for each added to every one of its round trips
 * (bench/README.md). Calls may nest: the pool grows as needed, so a task that waits for tasks of its own never waits
 * for a thread.
 */
public final class ParallelTasks {

    static final Duration CLEAN_UP_WAIT = Duration.ofSeconds(30);
    /** How long an idle thread is kept for the next call. */
    static final Duration IDLE = Duration.ofSeconds(30);

    private static final ExecutorService THREADS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE.toMillis(),
            TimeUnit.MILLISECONDS, new SynchronousQueue<>(), daemonThreads("immutable-deploy-parallel-"));

    private ParallelTasks() {}

    /**
     * Starts {@code task} in the background on the shared threads; cancelling the returned future with
     * {@code cancel(true)} interrupts it while it runs (and never the thread's next task).
     */
    static Future<?> start(Runnable task) {
        return THREADS.submit(task);
    }

    /**
     * Daemon threads named {@code prefix} and a number, with the engine's class loader as their context class loader,
     * not that of whichever caller happened to start the thread (a plugin's, in Jenkins).
     */
    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger threadNumber = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(ParallelTasks.class.getClassLoader());
            return thread;
        };
    }

    /** A task's failure, to be thrown as it was (an {@link Error} is thrown from here). */
    static RuntimeException causeOf(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(failure);
    }

    public static <T> void forEach(List<T> items, int parallelism, Consumer<T> task) {
        if (items.size() <= 1 || parallelism <= 1) {
            items.forEach(task);
            return;
        }
        new Run<>(items, task, Math.min(parallelism, items.size())).await();
    }

    /** One call: its workers take the items in turn until none are left or the run is stopped. */
    private static final class Run<T> {
        private final List<T> items;
        private final Consumer<T> task;
        private final List<Worker> workers = new ArrayList<>();
        private final CountDownLatch finished;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean stopped;

        Run(List<T> items, Consumer<T> task, int threads) {
            this.items = items;
            this.task = task;
            this.finished = new CountDownLatch(threads);
            for (int i = 0; i < threads; i++) {
                workers.add(new Worker());
            }
            workers.forEach(THREADS::execute);
        }

        void await() {
            try {
                finished.await();
            } catch (InterruptedException e) {
                stop();
                awaitCleanUp();
                Thread.currentThread().interrupt();
                throw new RegistryInterruptedException("interrupted", e);
            }
            Throwable first = failure.get();
            if (first != null) {
                throw causeOf(first);
            }
        }

        /** Interrupts the tasks running, once: a second interrupt would cut short their clean-up (an upload's DELETE). */
        private void stop() {
            stopped = true;
            for (Worker worker : workers) {
                worker.interrupt();
            }
        }

        private void awaitCleanUp() {
            boolean interrupted = Thread.interrupted();
            long deadline = System.nanoTime() + CLEAN_UP_WAIT.toNanos();
            while (true) {
                try {
                    finished.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Takes items until none are left; its thread is interrupted only while it runs one of this call's tasks. */
        private final class Worker implements Runnable {
            private Thread thread;

            @Override
            public void run() {
                try {
                    for (int i = next.getAndIncrement(); i < items.size() && !stopped; i = next.getAndIncrement()) {
                        if (!begin()) {
                            break;
                        }
                        try {
                            task.accept(items.get(i));
                        } finally {
                            end();
                        }
                    }
                } catch (Throwable e) {
                    if (failure.compareAndSet(null, e)) {
                        stop();
                    }
                } finally {
                    finished.countDown();
                }
            }

            private synchronized boolean begin() {
                thread = Thread.currentThread();
                return !stopped;
            }

            /** Clears an interrupt meant for this call, so that the pool's thread serves the next call unharmed. */
            private synchronized void end() {
                thread = null;
                Thread.interrupted();
            }

            synchronized void interrupt() {
                if (thread != null) {
                    thread.interrupt();
                }
            }
        }
    }
}
