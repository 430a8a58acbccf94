package io.jenkins.plugins.immutabledeployment.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which threads make up the peak: a daemon thread of its own (started before the idle count, so it is part of it)
 * looks at the live threads by name every few milliseconds and keeps the look with the most threads, and the most
 * threads each name had at once. A look can miss a thread that lives shorter than the interval; the peak count
 * itself comes from the JVM ({@link JvmFigures#peakThreads()}).
 */
final class ThreadCensus implements AutoCloseable {

    private static final long INTERVAL_MS = 10;

    private final Thread looker;
    private Map<String, Integer> atPeak = Map.of(); // guarded by this
    private int peak; // guarded by this
    private final Map<String, Integer> mostByName = new TreeMap<>(); // guarded by this
    private volatile boolean counting;

    ThreadCensus() {
        looker = new Thread(this::look, "bench-census");
        looker.setDaemon(true);
        looker.start();
    }

    /** Starts over: what was seen so far is forgotten. */
    synchronized void reset() {
        atPeak = Map.of();
        peak = 0;
        mostByName.clear();
        counting = true;
    }

    /** The look with the most live threads since {@link #reset()}, by name. */
    synchronized Map<String, Integer> atPeak() {
        return new TreeMap<>(atPeak);
    }

    /** The most threads of each name alive at once since {@link #reset()}. */
    synchronized Map<String, Integer> mostByName() {
        return new TreeMap<>(mostByName);
    }

    private void look() {
        while (!Thread.currentThread().isInterrupted()) {
            if (counting) {
                Map<String, Integer> names = JvmFigures.threadsByName();
                int total = names.values().stream().mapToInt(Integer::intValue).sum();
                synchronized (this) {
                    if (total > peak) {
                        peak = total;
                        atPeak = names;
                    }
                    names.forEach((name, count) -> mostByName.merge(name, count, Math::max));
                }
            }
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        looker.interrupt();
    }
}
