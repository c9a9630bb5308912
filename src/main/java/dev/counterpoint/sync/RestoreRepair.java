package dev.counterpoint.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.ReceiptNumbers;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and repairs a terminal restored from an older copy of its data dir (what the damaged-database message tells a
 * store to do). The copy lacks the events pushed after it was made, and numbers new events from where it stood:
 * numbers head office already holds for those, so every push would fail. The sign is an event head office holds,
 * numbered above what this outbox has confirmed, that the outbox does not have. A terminal whose push was cut off, or
 * whose verdicts were lost, has every event head office holds, so it is never taken for a restored one (decision 0036).
 *
 * <p>The repair, in one transaction: the pending events head office does not hold move past every number it holds
 * (keeping their order), the events it holds that the outbox lacks are written back as pushed with their verdicts (so
 * the close-of-day digest agrees again), and the pull is asked for this terminal's own changes up to the feed's
 * current end (the rows those lost events made here).
 */
final class RestoreRepair {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreRepair.class);
    /**
     * Numbers left free below the renumbered events (for events the counter numbers while the repair starts) and
     * above them (for events numbered before the sequence moved but committed after the outbox was read). Gaps in
     * the numbering are harmless: the push, the receipt and the digest only need the order.
     */
    static final long GAP = 100;

    private final Jdbi jdbi;
    private final OfficeClient client;
    private final Hlc hlc;
    private final Clock clock;
    private final int page;

    RestoreRepair(Jdbi jdbi, OfficeClient client, Hlc hlc, Clock clock) {
        this(jdbi, client, hlc, clock, SyncEngine.BATCH);
    }

    /** @param page how many of head office's events to read per request */
    RestoreRepair(Jdbi jdbi, OfficeClient client, Hlc hlc, Clock clock, int page) {
        this.jdbi = jdbi;
        this.client = client;
        this.hlc = hlc;
        this.clock = clock;
        this.page = page;
    }

    /** Compares the outbox with what head office holds; repairs it when it is a restored copy. True if it was one. */
    boolean run() {
        long confirmed = jdbi.withHandle(SyncEngine::acknowledgedThrough);
        long lastPending = jdbi.withHandle(h -> h.createQuery(
                "SELECT COALESCE(MAX(terminal_seq), 0) FROM outbox_event WHERE pushed_at IS NULL").mapTo(Long.class).one());
        // Only ids are kept while reading: a copy restored after weeks may lack more events than the heap holds.
        Set<UUID> heldPending = new HashSet<>();
        boolean restored = false;
        long highest = 0;
        for (long after = confirmed; ; ) {
            JsonNode page = page(after);
            highest = page.path("terminal_seq").asLong();
            JsonNode events = page.path("events");
            int lacking = jdbi.withHandle(h -> {
                int n = 0;
                for (JsonNode e : events) {
                    Boolean pending = h.createQuery("SELECT pushed_at IS NULL FROM outbox_event WHERE event_id = :id")
                            .bind("id", id(e)).mapTo(Boolean.class).findOne().orElse(null);
                    if (pending == null) {
                        n++;
                    } else if (pending) {
                        heldPending.add(id(e));
                    }
                }
                return n;
            });
            restored |= lacking > 0;
            if (!page.path("more").asBoolean(false) || events.isEmpty()) {
                break;
            }
            after = events.get(events.size() - 1).path("terminal_seq").asLong();
            if (restored && after >= lastPending) {
                break; // what head office holds of the pending events is known; the rest is read again to write it back
            }
        }
        if (!restored) {
            return false;
        }
        long[] figures = repair(confirmed, heldPending, highest);
        LOG.warn("restored from an older copy: {} events head office holds were written back, {} pending events renumbered"
                + " past {}, own changes pulled again up to feed number {}", figures[0], figures[1], highest, figures[2]);
        return true;
    }

    /** Returns how many events were written back, how many were renumbered, and the feed number own changes are pulled to. */
    private long[] repair(long confirmed, Set<UUID> heldPending, long highest) {
        // A number once taken is never handed out again, committed or not: this one is above all of them.
        long taken = jdbi.withHandle(h -> h.createQuery("SELECT NEXT VALUE FOR outbox_seq").mapTo(Long.class).one());
        long pending = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM outbox_event WHERE pushed_at IS NULL")
                .mapTo(Long.class).one());
        long room = Math.max(highest, taken) + GAP;
        long restart = room + pending + GAP;
        // New events from here on are numbered after the room; the restart does not wait for the transaction below.
        jdbi.useHandle(h -> h.execute("ALTER SEQUENCE outbox_seq RESTART WITH " + restart));
        // One transaction, head office read inside it: a repair cut off anywhere leaves the outbox as it was, to be
        // found and repaired again at the next sync.
        long[] figures = jdbi.inTransaction(h -> {
            long last = renumber(h, heldPending, room, room, restart);
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            long written = 0;
            long feed = 0;
            long receipts = 0;
            for (long after = confirmed; ; ) {
                JsonNode page = page(after);
                feed = Math.max(feed, page.path("feed_seq").asLong());
                JsonNode events = page.path("events");
                for (JsonNode e : events) {
                    if (!inOutbox(h, id(e))) {
                        writeBack(h, e, now);
                        written++;
                        receipts = Math.max(receipts, receiptNumber(e));
                    }
                }
                if (!page.path("more").asBoolean(false) || events.isEmpty()) {
                    break;
                }
                after = events.get(events.size() - 1).path("terminal_seq").asLong();
            }
            // The copy's receipt counter stood below the receipts and refunds those events numbered: the next one
            // goes after them, so no receipt number is handed out twice.
            ReceiptNumbers.atLeast(h, receipts);
            // Changes numbered up to the cursor were pulled before the copy was made, when their events were already here.
            h.createUpdate("""
                    UPDATE sync_state SET own_changes_through = GREATEST(own_changes_through, :feed)
                    WHERE id = 1 AND pull_cursor < :feed""").bind("feed", feed).execute();
            return new long[] {written, last, feed};
        });
        // An event numbered before the restart whose transaction committed after the one above read the outbox.
        long end = jdbi.inTransaction(h -> renumber(h, heldPending, room, figures[1], restart));
        return new long[] {figures[0], end - room, figures[2]};
    }

    private JsonNode page(long after) {
        JsonNode page = client.held(after, this.page);
        hlc.observe(page.path("office_hlc").asLong());
        return page;
    }

    /** An event head office holds and the outbox lacks, as pushed with its verdict; made when its stamp says. */
    private static void writeBack(Handle h, JsonNode e, OffsetDateTime now) {
        long stamp = e.path("hlc").asLong();
        h.createUpdate("""
                INSERT INTO outbox_event(event_id, terminal_seq, hlc, type, payload, created_at, pushed_at, verdict)
                VALUES (:id, :seq, :hlc, :type, :payload, :at, :now, :verdict)""")
                .bind("id", id(e)).bind("seq", e.path("terminal_seq").asLong()).bind("hlc", stamp)
                .bind("type", e.path("type").asText()).bind("payload", e.path("payload").toString())
                .bind("at", OffsetDateTime.ofInstant(Instant.ofEpochMilli(Hlc.millisOf(stamp)), ZoneOffset.UTC))
                .bind("now", now).bind("verdict", e.path("verdict").asText()).execute();
    }

    /**
     * Moves the pending events numbered up to {@code room} that head office does not hold, in their order, to the
     * numbers after {@code last}; returns the last number used.
     */
    private static long renumber(Handle h, Set<UUID> held, long room, long last, long restart) {
        List<UUID> pending = h.createQuery("""
                SELECT event_id FROM outbox_event WHERE pushed_at IS NULL AND terminal_seq <= :room ORDER BY terminal_seq""")
                .bind("room", room).mapTo(UUID.class).list();
        long n = last;
        for (UUID id : pending) {
            if (held.contains(id)) {
                continue; // head office holds it under this number: the push gets its stored verdict
            }
            if (++n >= restart) {
                throw new IllegalStateException("more pending events than numbers set aside for them");
            }
            h.createUpdate("UPDATE outbox_event SET terminal_seq = :n WHERE event_id = :id").bind("n", n).bind("id", id).execute();
        }
        return n;
    }

    /**
     * The sequence number of the receipt or refund this terminal numbered in the event (STORE-TERMINAL-N), or 0: a
     * checkout's or sale's receipt, a refund's or void's own number (its receipt may be another store's).
     */
    static long receiptNumber(JsonNode e) {
        JsonNode payload = e.path("payload");
        String no = switch (e.path("type").asText()) {
            case "checkout.completed", "sale.recorded" -> payload.path("receipt_no").asText("");
            case "checkout.refunded" -> payload.path("refund_no").asText("");
            default -> "";
        };
        int dash = no.lastIndexOf('-');
        String digits = dash < 0 ? "" : no.substring(dash + 1);
        return digits.matches("\\d{1,18}") ? Long.parseLong(digits) : 0;
    }

    private static boolean inOutbox(Handle h, UUID id) {
        return h.createQuery("SELECT COUNT(*) FROM outbox_event WHERE event_id = :id").bind("id", id).mapTo(Integer.class).one() > 0;
    }

    private static UUID id(JsonNode e) {
        return UUID.fromString(e.path("event_id").asText());
    }
}
