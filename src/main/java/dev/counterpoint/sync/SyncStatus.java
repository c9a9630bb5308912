package dev.counterpoint.sync;

import java.time.Instant;
import java.util.UUID;

/**
 * What the status bar shows about sync.
 *
 * @param online         the last attempt reached head office
 * @param registered     the terminal has a head-office credential at all
 * @param lastSync       when a sync last completed, or null
 * @param pending        outbox events not yet confirmed
 * @param officeOffsetMs head office's clock minus ours at the last sync
 * @param historyOf      the member whose history from other stores has just arrived, or null
 * @param parked         changes from head office this terminal could not apply and set aside (see the log)
 */
public record SyncStatus(boolean online, boolean registered, Instant lastSync, long pending, long officeOffsetMs,
                         UUID historyOf, long parked) {
    public SyncStatus(boolean online, boolean registered, Instant lastSync, long pending, long officeOffsetMs) {
        this(online, registered, lastSync, pending, officeOffsetMs, null, 0);
    }

    /** Clocks further apart than this are shown as a warning: HLC order would drift from wall-clock order. */
    public static final long CLOCK_SKEW_WARNING_MS = 120_000;

    public boolean clockSkewed() {
        return Math.abs(officeOffsetMs) > CLOCK_SKEW_WARNING_MS;
    }
}
