package io.jenkins.plugins.immutabledeployment;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few threads the engine's HTTP clients share, however many clusters, rollouts, watches and queries a process
 * has: without them fabric8 and the JDK give every client a cached pool that starts a thread for each answer that
 * arrives while the others are busy. Each pool is bounded, queues what comes while all its threads are busy, and lets
 * its threads go after {@link #IDLE_SECONDS} without work. Nothing running on them may block — a task that waits for
 * another task of the same pool can wait forever — so both pools only ever run short hand-overs: answers parsed and
 * passed on, informer news put into caches and handed to the rollouts' scheduler.
 *
 * <p>One thing no executor setting changes: the JDK's {@code HttpClient.sendAsync} completes every answer's future
 * on {@code CompletableFuture}'s default executor — the JVM's common pool, or, where that has fewer than two threads
 * (a machine with two CPUs or fewer, unless {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} says
 * otherwise), a new thread for each answer. Those threads are the JVM's, shared with everything else in the process.
 */
public final class EngineThreads {

    /** Threads for HTTP answers: the Kubernetes client's (when it is the JDK one) and Prometheus'. */
    public static final int HTTP_ANSWER_THREADS = 2;
    /** Threads for the Kubernetes clients' own tasks: informer and watch callbacks. */
    public static final int KUBERNETES_TASK_THREADS = 1;
    static final long IDLE_SECONDS = 30;

    private static final Executor HTTP_ANSWERS = bounded("engine-http", HTTP_ANSWER_THREADS);
    private static final Executor KUBERNETES_TASKS = bounded("engine-kube-tasks", KUBERNETES_TASK_THREADS);

    private EngineThreads() {}

    /** Where HTTP clients run their asynchronous work and the completions of their requests. */
    public static Executor httpAnswers() {
        return HTTP_ANSWERS;
    }

    /** The task executor of every Kubernetes client the engine opens (informer and watch callbacks). */
    public static Executor kubernetesTasks() {
        return KUBERNETES_TASKS;
    }

    private static Executor bounded(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
