package io.jenkins.plugins.immutabledeployment.steps;

import hudson.util.ClassLoaderSanityThreadFactory;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Threads for the registry work of steps that hold no executor: never the Pipeline's CPS VM thread (which must not
 * block), never {@code jenkins.util.Timer} (whose few threads are for short tasks).
 */
final class Background {

    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(new NamingThreadFactory(
            new ClassLoaderSanityThreadFactory(new DaemonThreadFactory()), "Immutable Deployment"));

    private Background() {}

    static Future<?> submit(Runnable task) {
        return EXECUTOR.submit(task);
    }

    static Executor executor() {
        return EXECUTOR;
    }
}
