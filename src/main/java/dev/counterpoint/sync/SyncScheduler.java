package dev.counterpoint.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sync in the background on its own thread: every interval, and at once on demand. The counter never
 * waits for it; each outcome goes to the listener (the view model hands it to the FX thread).
 */
public final class SyncScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);
    /** At most this many members wait for their history; an older one is asked for when it is next shown. */
    private static final int HISTORY_OWED_MAX = 100;

    private final Optional<SyncEngine> engine;
    private final LongSupplier pending;
    private final Clock clock;
    private final Duration interval;
    private final ScheduledExecutorService executor;
    private volatile Consumer<SyncStatus> listener = s -> { };
    private volatile Instant lastSync;
    private volatile long offsetMs;
    /** Changes set aside at the last sync that completed. */
    private volatile long parked;
    /**
     * Members shown here whose history could not be asked for (head office unreachable), oldest first: asked again
     * after the next sync that reaches head office, since nothing else would bring it while the member stays on screen.
     */
    private final Set<UUID> historyOwed = new LinkedHashSet<>();

    public SyncScheduler(Optional<SyncEngine> engine, LongSupplier pending, Clock clock, Duration interval) {
        this.engine = engine;
        this.pending = pending;
        this.clock = clock;
        this.interval = interval;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sync");
            t.setDaemon(true);
            return t;
        });
    }

    public void setListener(Consumer<SyncStatus> listener) {
        this.listener = listener;
    }

    /** Starts the periodic sync (the first one right away). */
    public void start() {
        executor.scheduleWithFixedDelay(this::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a sync now, without waiting for it. */
    public void syncNow() {
        executor.execute(this::runOnce);
    }

    /**
     * A member was just shown: if this store does not receive their history yet, asks head office for it in the
     * background; the listener hears of it (with {@link SyncStatus#historyOf()}) once it has arrived. When head office
     * cannot be reached the listener hears that the terminal is offline, and the member is asked for again after the
     * next sync that reaches it.
     */
    public void fetchHistory(UUID memberId) {
        if (engine.isEmpty() || memberId == null) {
            return;
        }
        executor.execute(() -> {
            try {
                if (engine.get().fetchHistory(memberId)) {
                    listener.accept(status(true, memberId));
                }
            } catch (SyncException e) {
                LOG.info("history of member {} not fetched: {}", memberId, e.getMessage());
                owe(memberId);
                // Said now, not at the next periodic sync: the counter tells the cashier the history is not here yet.
                listener.accept(status(false, null));
            } catch (RuntimeException e) {
                LOG.warn("history of member {} not fetched", memberId, e);
            }
        });
    }

    /** One attempt; its outcome goes to the listener. Public for tests, which call it on their own thread. */
    public SyncStatus runOnce() {
        SyncStatus status;
        if (engine.isEmpty()) {
            status = new SyncStatus(false, false, null, pending.getAsLong(), 0);
        } else {
            boolean online;
            try {
                SyncReport r = engine.get().syncOnce();
                lastSync = clock.instant();
                offsetMs = r.officeOffsetMs();
                parked = r.parked();
                online = true;
            } catch (SyncException e) {
                LOG.info("sync did not complete: {}", e.getMessage());
                online = false;
            } catch (RuntimeException e) {
                LOG.warn("sync failed", e);
                online = false;
            }
            status = status(online, null);
        }
        listener.accept(status);
        if (status.online()) {
            fetchOwedHistory();
        }
        return status;
    }

    private SyncStatus status(boolean online, UUID historyOf) {
        return new SyncStatus(online, true, lastSync, pending.getAsLong(), offsetMs, historyOf, parked);
    }

    private synchronized void owe(UUID memberId) {
        historyOwed.remove(memberId);
        historyOwed.add(memberId);
        if (historyOwed.size() > HISTORY_OWED_MAX) {
            Iterator<UUID> oldest = historyOwed.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private synchronized List<UUID> owed() {
        return new ArrayList<>(historyOwed);
    }

    private synchronized void settle(UUID memberId) {
        historyOwed.remove(memberId);
    }

    /** The histories head office could not be asked for before; stops at the first that fails again. */
    private void fetchOwedHistory() {
        for (UUID memberId : owed()) {
            try {
                engine.orElseThrow().fetchHistory(memberId);
                settle(memberId);
                // Here now, asked for or brought by the sync itself (a store that served the member gets it then).
                listener.accept(status(true, memberId));
            } catch (SyncException e) {
                LOG.info("history of member {} not fetched: {}", memberId, e.getMessage());
                return;
            } catch (RuntimeException e) {
                settle(memberId);
                LOG.warn("history of member {} not fetched", memberId, e);
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
