package io.jenkins.plugins.immutabledeployment.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/** Threads, heap after a full GC and CPU time of this JVM, as the benchmark reports them. */
final class JvmFigures {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private JvmFigures() {}

    static int threads() {
        return THREADS.getThreadCount();
    }

    static void resetPeakThreads() {
        THREADS.resetPeakThreadCount();
    }

    static int peakThreads() {
        return THREADS.getPeakThreadCount();
    }

    /** Live threads by name, digits folded ({@code HttpClient-#-Worker-#}), to see what a count is made of. */
    static Map<String, Integer> threadsByName() {
        Map<String, Integer> names = new TreeMap<>();
        for (ThreadInfo info : THREADS.dumpAllThreads(false, false)) {
            names.merge(info.getThreadName().replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        return names;
    }

    /** Heap in use after two full collections, in MiB. */
    static double heapAfterGcMib() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** CPU time this process used so far, in seconds. */
    static double cpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
