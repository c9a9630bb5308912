package dev.counterpoint.office;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts failed attempts per key (a remote address) over a sliding window and turns a key away once it has had
 * {@code maxFailures} in the window, until the oldest of them leaves it.
 *
 * <p>An attempt counts as a failure from the moment it begins and is taken back when it succeeds: requests sent in
 * parallel cannot slip past the count while the first ones are still being answered. At most {@code maxKeys} keys
 * are kept; when that many have failures in the window at once, a key not yet known is turned away as well, so an
 * attack from very many addresses costs neither the heap nor the database more.
 */
public final class FailureLimiter {
    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final int maxKeys;
    private final Map<String, Failures> failures = new HashMap<>();
    private Instant lastSweep = Instant.MIN;
    private boolean fullRefused;

    public FailureLimiter(Clock clock, int maxFailures, Duration window, int maxKeys) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
        this.maxKeys = maxKeys;
    }

    /** Either an attempt to go ahead with, or a refusal. */
    public sealed interface Admission permits Attempt, Refusal {
    }

    /** An attempt under way: it stays counted as a failure unless {@link #succeeded()} is called. */
    public final class Attempt implements Admission {
        private final String key;
        private final Instant at;

        private Attempt(String key, Instant at) {
            this.key = key;
            this.at = at;
        }

        public void succeeded() {
            synchronized (FailureLimiter.this) {
                Failures f = failures.get(key);
                if (f != null && f.at.removeLastOccurrence(at) && f.at.isEmpty()) {
                    failures.remove(key);
                }
            }
        }
    }

    /**
     * @param retryAfterSeconds when the key may try again
     * @param first the first refusal since the key (or, when full, any new key) was last let through: worth one log
     *              line, not one per request
     * @param full turned away because too many keys are being counted, not for its own failures
     */
    public record Refusal(long retryAfterSeconds, boolean first, boolean full) implements Admission {
    }

    private static final class Failures {
        final ArrayDeque<Instant> at = new ArrayDeque<>();
        boolean refused;
    }

    public synchronized Admission begin(String key) {
        Instant now = clock.instant();
        Failures f = failures.get(key);
        if (f == null) {
            if (failures.size() >= maxKeys && !sweep(now)) {
                boolean first = !fullRefused;
                fullRefused = true;
                return new Refusal(window.toSeconds(), first, true);
            }
            fullRefused = false;
            f = new Failures();
            failures.put(key, f);
        }
        expire(f, now);
        if (f.at.size() >= maxFailures) {
            boolean first = !f.refused;
            f.refused = true;
            return new Refusal(secondsUntil(now, f.at.peekFirst().plus(window)), first, false);
        }
        f.refused = false;
        f.at.addLast(now);
        return new Attempt(key, now);
    }

    private void expire(Failures f, Instant now) {
        while (!f.at.isEmpty() && !f.at.peekFirst().plus(window).isAfter(now)) {
            f.at.removeFirst();
        }
    }

    /** Drops keys with no failure left in the window, at most once a second; true if there is room again. */
    private boolean sweep(Instant now) {
        if (now.isBefore(lastSweep.plusSeconds(1))) {
            return false;
        }
        lastSweep = now;
        failures.values().removeIf(f -> {
            expire(f, now);
            return f.at.isEmpty();
        });
        return failures.size() < maxKeys;
    }

    private static long secondsUntil(Instant now, Instant then) {
        long millis = Duration.between(now, then).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
