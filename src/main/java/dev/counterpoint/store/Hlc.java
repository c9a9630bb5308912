package dev.counterpoint.store;

import java.time.Clock;

/**
 * Hybrid logical clock: 48 bits of wall-clock milliseconds and 16 bits of counter in one long.
 * Values only grow, even if the wall clock steps back, so events made here keep their order.
 */
public final class Hlc {
    private static final int COUNTER_BITS = 16;
    private static final long COUNTER_MASK = (1L << COUNTER_BITS) - 1;

    private final Clock clock;
    private long last;

    public Hlc(Clock clock, long lastSeen) {
        this.clock = clock;
        this.last = lastSeen;
    }

    public synchronized long now() {
        long physical = clock.millis() << COUNTER_BITS;
        last = physical > last ? physical : last + 1;
        return last;
    }

    /** Moves past a timestamp received from elsewhere (head office) so later local events order after it. */
    public synchronized void observe(long remote) {
        if (remote > last) {
            last = remote;
        }
    }

    public static long millisOf(long hlc) {
        return hlc >>> COUNTER_BITS;
    }

    public static int counterOf(long hlc) {
        return (int) (hlc & COUNTER_MASK);
    }
}
