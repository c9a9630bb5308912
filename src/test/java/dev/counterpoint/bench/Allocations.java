package dev.counterpoint.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Bytes allocated by the measuring thread, from {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes}: what
 * one call allocates is the difference around it (H2 runs embedded, so its work is on the same thread). The reading
 * itself allocates a few bytes; {@link #overhead()} says how many, and {@link Summary#of} takes them off.
 */
final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {}

    /** Bytes this thread has allocated so far. */
    static long now() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** What two readings back to back differ by (the median of many). */
    static long overhead() {
        long[] d = new long[1_000];
        for (int i = 0; i < d.length; i++) {
            long a = now();
            d[i] = now() - a;
        }
        Arrays.sort(d);
        return d[d.length / 2];
    }

    /** Bytes per call: median, mean, 99th percentile and the largest, in kilobytes (1,024 bytes). */
    record Summary(double p50Kb, double meanKb, double p99Kb, double maxKb) {
        static Summary of(long[] bytes, long overhead) {
            long[] sorted = bytes.clone();
            for (int i = 0; i < sorted.length; i++) {
                sorted[i] = Math.max(0, sorted[i] - overhead);
            }
            Arrays.sort(sorted);
            double mean = Arrays.stream(sorted).average().orElse(0);
            return new Summary(kb(sorted[(sorted.length - 1) / 2]), kb(mean),
                    kb(sorted[Math.max(0, (int) Math.ceil(0.99 * sorted.length) - 1)]), kb(sorted[sorted.length - 1]));
        }

        private static double kb(double bytes) {
            return Math.round(bytes / 102.4) / 10.0;
        }

        String text() {
            return String.format(java.util.Locale.ROOT, "%.1f KB (p50 %.1f)", meanKb, p50Kb);
        }
    }
}
