package io.jenkins.plugins.immutabledeployment.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Stops the selector threads of the JDK's HTTP clients ({@code HttpClient-N-SelectorManager}) when a command has
 * ended, just before the JVM exits. Such a thread waits for its connections in {@code epoll_wait}, in native code,
 * and HotSpot 17 waits at exit for every thread in native code to come back, 300 ms at least
 * ({@code VM_Exit::wait_for_threads_in_native_to_block}): more than a small push itself takes. An interrupted
 * selector thread wakes up and ends (its loop runs while it is not interrupted). JDK 21 has
 * {@code HttpClient.shutdownNow()} for this; JDK 17 has no API, so the threads are found by the name the JDK gives
 * them. A client whose thread is stopped can send nothing more: this is for the end of the process only.
 */
final class HttpClientSelectors {

    /** How long to wait for a stopped thread to end; it ends within microseconds unless the machine is starved. */
    private static final long JOIN_MILLIS = 200;

    private HttpClientSelectors() {}

    /** Interrupts every HTTP client's selector thread and waits for them to end; returns how many there were. */
    static int stop() {
        List<Thread> selectors = running();
        selectors.forEach(Thread::interrupt);
        try {
            for (Thread selector : selectors) {
                selector.join(JOIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return selectors.size();
    }

    /** The selector threads alive now. */
    static List<Thread> running() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        List<Thread> selectors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = threads[i].getName();
            if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
                selectors.add(threads[i]);
            }
        }
        return selectors;
    }
}
