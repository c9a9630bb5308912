package dev.counterpoint.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.counterpoint.history.ChainHistory;
import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.TierLedger;
import dev.counterpoint.member.MemberErasure;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.protocol.EventVerdict;
import dev.counterpoint.protocol.ParkedReport;
import dev.counterpoint.protocol.ProtocolException;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.store.Digests;
import dev.counterpoint.store.Hlc;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync: push every pending outbox event in batches, then pull the change feed page by page.
 * An event is marked pushed only once its verdict has been read; a pulled page and the new cursor are
 * stored in one transaction. A sync cut off anywhere is simply run again: head office answers replays
 * with the stored verdicts, and pages are idempotent. The first sync of a start first compares the outbox with what head
 * office holds, to find and repair a data dir restored from an older copy ({@link RestoreRepair}).
 */
public final class SyncEngine {
    public static final int BATCH = 500;
    public static final int PAGE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);

    private final Jdbi jdbi;
    private final OfficeClient client;
    private final ObjectMapper json;
    private final Hlc hlc;
    private final Clock clock;
    private final String storeId;
    private final String terminalId;
    private final FeedApplier applier;
    private final ParkedChanges parked = new ParkedChanges();
    private final RestoreRepair restore;
    /** Whether the last sync reached head office; false until one has. */
    private volatile boolean reachable;
    /** Whether the outbox was compared with head office since the start (a restore happens while the terminal is shut). */
    private boolean outboxChecked;

    public SyncEngine(Jdbi jdbi, OfficeClient client, ObjectMapper json, Hlc hlc, Clock clock, MemberRepository members,
                      String storeId, String terminalId) {
        this.applier = new FeedApplier(members, new RuleSetRepository(json), new PurchaseRepository(),
                new TierLedger(new PointsLedger()), clock, new MemberErasure(json));
        this.jdbi = jdbi;
        this.client = client;
        this.json = json;
        this.hlc = hlc;
        this.clock = clock;
        this.storeId = storeId;
        this.terminalId = terminalId;
        this.restore = new RestoreRepair(jdbi, client, hlc, clock);
    }

    /** Push everything pending, then pull everything new. One sync at a time per terminal. */
    public synchronized SyncReport syncOnce() {
        try {
            SyncReport report = run();
            reachable = true;
            return report;
        } catch (SyncException e) {
            reachable = false;
            if (e.kind() == SyncException.Kind.FAILED) {
                outboxChecked = false; // a push head office could not take is also what a restore not yet found causes
            }
            throw e;
        }
    }

    /**
     * A member shown here whose history this store does not receive yet (enrolled at another store, never served
     * here): asks head office for it and pulls it. False if nothing was needed. Throws {@link SyncException} when
     * head office cannot be reached; the counter's {@link SyncScheduler} then asks again after the next sync that
     * reaches head office (and the first sync after the member is served here brings it anyway).
     */
    public synchronized boolean fetchHistory(UUID memberId) {
        boolean needed = jdbi.withHandle(h -> h.createQuery("""
                SELECT COUNT(*) FROM member m
                WHERE m.id = :id AND m.home_store <> :store
                  AND NOT EXISTS (SELECT 1 FROM chain_history c WHERE c.member_id = m.id)""")
                .bind("id", memberId).bind("store", storeId).mapTo(Integer.class).one() > 0);
        if (!needed) {
            return false;
        }
        try {
            client.history(List.of(memberId));
            reachable = true;
        } catch (SyncException e) {
            reachable = false;
            throw e;
        }
        pullAll(new long[1]);
        jdbi.useHandle(h -> ChainHistory.mark(h, List.of(memberId), now()));
        return true;
    }

    /**
     * Head office keeps the history of a member for every store that served them and sends it all on the store's feed:
     * once the pull after the push is done, it is all here. (Asked again if this terminal stops in between.)
     */
    private void markServed(OffsetDateTime pushStart) {
        jdbi.useTransaction(h -> ChainHistory.mark(h, h.createQuery("""
                SELECT DISTINCT aggregate_id FROM outbox_event
                WHERE pushed_at >= :start AND aggregate_id IS NOT NULL AND verdict IN ('ACCEPTED', 'MERGED', 'CONFLICT', 'OVERDRAFT')""")
                .bind("start", pushStart).mapTo(UUID.class).list(), now()));
    }

    /** Whether the last sync reached head office (false before the first one): when not, the counter is offline. */
    public boolean reachable() {
        return reachable;
    }

    private SyncReport run() {
        Map<String, Integer> verdicts = new TreeMap<>();
        long[] offset = {0};
        if (!outboxChecked) {
            restore.run();
            outboxChecked = true;
        }
        OffsetDateTime pushStart = now();
        askHistoryBeforePush();
        int pushed = pushAll(verdicts, offset);
        int pulled = pullAll(offset);
        if (pushed > 0) {
            markServed(pushStart);
        }
        reportParked();
        jdbi.useHandle(h -> h.createUpdate("UPDATE sync_state SET office_offset_ms = :o WHERE id = 1").bind("o", offset[0]).execute());
        return new SyncReport(pushed, pulled, verdicts, offset[0], jdbi.withHandle(ParkedChanges::count));
    }

    /** Events head office takes only from a store that keeps the member (EventChecks). */
    private static final List<String> KEEPER_ONLY = List.of("member.updated", "member.consent", "tier.reviewed",
            "coupon.voided");
    /** Members per history request, as head office takes them. */
    private static final int HISTORY_CHUNK = 100;

    /**
     * Before a push: members of another store that this store changed while it could not ask for their history (offline
     * when they were shown) are asked for now, so head office keeps them for this store before it reads the edit,
     * consent, review or void.
     */
    private void askHistoryBeforePush() {
        List<UUID> members = jdbi.withHandle(h -> h.createQuery("""
                SELECT DISTINCT o.aggregate_id FROM outbox_event o JOIN member m ON m.id = o.aggregate_id
                WHERE o.pushed_at IS NULL AND o.type IN (<types>) AND m.home_store <> :store
                  AND NOT EXISTS (SELECT 1 FROM chain_history c WHERE c.member_id = m.id)""")
                .bindList("types", KEEPER_ONLY).bind("store", storeId).mapTo(UUID.class).list());
        for (int i = 0; i < members.size(); i += HISTORY_CHUNK) {
            client.history(members.subList(i, Math.min(members.size(), i + HISTORY_CHUNK)));
        }
    }

    /**
     * Pushes the pending events in batches. While head office applies one batch, the terminal reads and serialises the
     * next, and writes the verdicts of the one before, so its share of a store-day is not added to head office's. An
     * event is still marked only with the verdict head office gave it, and a batch sent but not marked (a sync cut
     * off) is sent again next time and answered from the inbox.
     */
    private int pushAll(Map<String, Integer> verdicts, long[] offset) {
        List<Map<String, Object>> batch = pending(0);
        if (batch.isEmpty()) {
            return 0;
        }
        int pushed = 0;
        long sent = clock.millis();
        CompletableFuture<JsonNode> inFlight = client.pushAsync(client.preparePush(body(batch)));
        try {
            while (true) {
                List<Map<String, Object>> next = pending((Long) batch.get(batch.size() - 1).get("terminal_seq"));
                OfficeClient.PreparedPush nextPush = next.isEmpty() ? null : client.preparePush(body(next));
                JsonNode reply = OfficeClient.await(inFlight);
                inFlight = null;
                offset[0] = offsetOf(reply, sent);
                hlc.observe(reply.path("office_hlc").asLong());
                // Head office answered every event: the next batch goes now, and this reply is read while it is away.
                if (nextPush != null && reply.path("verdicts").size() >= batch.size()) {
                    sent = clock.millis();
                    inFlight = client.pushAsync(nextPush);
                }
                Map<UUID, String> byEvent = new HashMap<>();
                for (JsonNode v : reply.path("verdicts")) {
                    EventVerdict verdict = ProtocolJson.readRecord(json, EventVerdict.class, v);
                    byEvent.put(verdict.eventId(), verdict.verdict().name());
                }
                int marked = mark(byEvent);
                if (byEvent.size() < batch.size()) {
                    throw new SyncException(SyncException.Kind.FAILED, "head office answered " + byEvent.size() + " of "
                            + batch.size() + " events", 0, null);
                }
                byEvent.values().forEach(v -> verdicts.merge(v, 1, Integer::sum));
                pushed += marked;
                if (inFlight == null) {
                    return pushed;
                }
                batch = next;
            }
        } finally {
            if (inFlight != null) {
                // A sync that failed midway leaves no request behind: one sync at a time.
                inFlight.exceptionally(e -> null).join();
            }
        }
    }

    private Map<String, Object> body(List<Map<String, Object>> events) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("store_id", storeId);
        body.put("terminal_id", terminalId);
        body.put("batch_id", events.get(0).get("event_id"));
        body.put("events", events);
        return body;
    }

    /** Marks the events of a reply pushed with their verdicts, in one transaction; the number marked. */
    private int mark(Map<UUID, String> byEvent) {
        return jdbi.inTransaction(h -> {
            OffsetDateTime now = now();
            int n = 0;
            if (!byEvent.isEmpty()) {
                // One batch per reply, not a statement per event.
                PreparedBatch mark = h.prepareBatch(
                        "UPDATE outbox_event SET pushed_at = :now, verdict = :v WHERE event_id = :id AND pushed_at IS NULL");
                byEvent.forEach((id, v) -> mark.bind("now", now).bind("v", v).bind("id", id).add());
                n = Arrays.stream(mark.execute()).sum();
            }
            h.createUpdate("UPDATE sync_state SET last_push_at = :now WHERE id = 1").bind("now", now).execute();
            return n;
        });
    }

    /** The next pending events numbered after {@code afterSeq} (the last of the batch still in flight, or 0). */
    private List<Map<String, Object>> pending(long afterSeq) {
        // Ordered as the index outbox_pending(pushed_at, terminal_seq) is (pushed_at is NULL throughout): ordered by
        // terminal_seq alone, H2 read and sorted every pending event for each batch of 500.
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT event_id, terminal_seq, hlc, type, payload FROM outbox_event
                WHERE pushed_at IS NULL AND terminal_seq > :after ORDER BY pushed_at, terminal_seq LIMIT :n""")
                .bind("after", afterSeq).bind("n", BATCH)
                .map((rs, ctx) -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("event_id", rs.getObject("event_id", UUID.class).toString());
                    e.put("store_id", storeId);
                    e.put("terminal_id", terminalId);
                    e.put("terminal_seq", rs.getLong("terminal_seq"));
                    e.put("hlc", rs.getLong("hlc"));
                    e.put("type", rs.getString("type"));
                    // Sent as stored (the outbox wrote it as JSON): reading it into a tree only to write it again cost
                    // as much as the rest of the batch's preparation.
                    e.put("payload", new RawValue(rs.getString("payload")));
                    return e;
                }).list());
    }

    private int pullAll(long[] offset) {
        int pulled = 0;
        // What is still to send (events written while this sync pushed): head office's console shows it per terminal.
        long pending = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM outbox_event WHERE pushed_at IS NULL")
                .mapTo(Long.class).one());
        while (true) {
            long cursor = cursor();
            long own = ownChangesThrough();
            long sent = clock.millis();
            JsonNode page = client.pull(cursor, PAGE, own > cursor ? own : 0, pending);
            offset[0] = offsetOf(page, sent);
            hlc.observe(page.path("office_hlc").asLong());
            long next = page.path("cursor").asLong(cursor);
            List<JsonNode> changes = new ArrayList<>();
            page.path("changes").forEach(changes::add);
            boolean applied = jdbi.inTransaction(h -> {
                // Guarded by the cursor we read: a page is never applied on top of another sync's page.
                int moved = h.createUpdate("""
                        UPDATE sync_state SET pull_cursor = :next, last_pull_at = :now,
                               own_changes_through = CASE WHEN own_changes_through <= :next THEN 0 ELSE own_changes_through END
                        WHERE id = 1 AND pull_cursor = :cursor""")
                        .bind("next", next).bind("now", now()).bind("cursor", cursor).execute();
                if (moved == 0) {
                    return false;
                }
                for (JsonNode c : changes) {
                    applyOrPark(h, c);
                }
                return true;
            });
            if (applied) {
                pulled += changes.size();
            }
            if (!page.path("more").asBoolean(false)) {
                return pulled;
            }
        }
    }

    /** Tells head office of changes parked here (an empty push carries them), so the owner sees them. */
    private void reportParked() {
        List<ParkedReport> reports = jdbi.withHandle(parked::unreported);
        if (reports.isEmpty()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("store_id", storeId);
        body.put("terminal_id", terminalId);
        body.put("events", List.of());
        body.put("parked", reports);
        client.push(body);
        jdbi.useTransaction(h -> parked.reported(h, reports, now()));
    }

    /**
     * Applies one change in a savepoint of the page's transaction. One that cannot be read, or whose data the tables
     * refuse, is parked with its reason and the pull moves on: one bad change never stops a terminal from syncing.
     * Anything else (a lock timeout, a full disk) fails the page, which is pulled again at the next sync.
     */
    private void applyOrPark(Handle h, JsonNode c) {
        long seq = c.path("seq").asLong();
        String kind = c.path("kind").asText();
        String savepoint = "change" + seq;
        h.savepoint(savepoint);
        try {
            applier.apply(h, ProtocolJson.readChange(json, kind, c.path("payload")));
            h.releaseSavepoint(savepoint);
        } catch (ProtocolException e) {
            h.rollbackToSavepoint(savepoint);
            park(h, seq, kind, c, e.getMessage());
        } catch (RuntimeException e) {
            if (!refusedData(e)) {
                throw e;
            }
            h.rollbackToSavepoint(savepoint);
            park(h, seq, kind, c, "cannot apply: " + e.getMessage());
        }
    }

    private void park(Handle h, long seq, String kind, JsonNode c, String reason) {
        LOG.warn("change {} ({}) from head office parked: {}", seq, kind, reason);
        parked.park(h, seq, kind, c.path("payload").toString(), reason, now());
    }

    /** SQL states of class 22 (data exception) and 23 (constraint violation): the change's data, not the moment. */
    private static boolean refusedData(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    public long cursor() {
        return jdbi.withHandle(h -> h.createQuery("SELECT pull_cursor FROM sync_state WHERE id = 1").mapTo(Long.class).one());
    }

    /** After a restore: the pull asks for this terminal's own changes too until its cursor reaches this (0: never). */
    private long ownChangesThrough() {
        return jdbi.withHandle(h -> h.createQuery("SELECT own_changes_through FROM sync_state WHERE id = 1").mapTo(Long.class).one());
    }

    /** Events numbered up to this are all confirmed by head office. */
    public static long acknowledgedThrough(Handle h) {
        return h.createQuery("""
                SELECT COALESCE((SELECT MIN(terminal_seq) - 1 FROM outbox_event WHERE pushed_at IS NULL),
                                (SELECT MAX(terminal_seq) FROM outbox_event), 0)""").mapTo(Long.class).one();
    }

    /** The digest head office computes the same way (SHA-256 of the event ids in sequence order, one per line). */
    public static String digestThrough(Handle h, long throughSeq) {
        List<String> ids = h.createQuery("SELECT event_id FROM outbox_event WHERE terminal_seq <= :n ORDER BY terminal_seq")
                .bind("n", throughSeq).mapTo(UUID.class).list().stream().map(UUID::toString).toList();
        return Digests.ofEventIds(ids);
    }

    /** Head office's receipt for this terminal's events through the given number. */
    public JsonNode receipt(long throughSeq) {
        return client.receipt(throughSeq);
    }

    /** Head office's copy of a checkout receipt (made at any store) and its refunds; empty when it holds none. */
    public java.util.Optional<JsonNode> checkoutReceipt(String receiptNo) {
        return client.checkout(receiptNo);
    }

    private long offsetOf(JsonNode reply, long sentAt) {
        long received = clock.millis();
        return reply.path("office_time_ms").asLong(received) - (sentAt + received) / 2;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
