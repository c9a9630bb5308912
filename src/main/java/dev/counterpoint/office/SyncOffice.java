package dev.counterpoint.office;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.Erasure;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.EventVerdict;
import dev.counterpoint.protocol.ParkedReport;
import dev.counterpoint.protocol.ProtocolException;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.protocol.Verdict;
import dev.counterpoint.store.Digests;
import dev.counterpoint.store.Hlc;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sync protocol at head office: push into the inbox (exactly once), pull from the change feed, receipts. */
public final class SyncOffice {
    public static final int MAX_BATCH = 500;
    public static final int MAX_PAGE = 1000;
    /** Open parked-change exceptions one terminal may hold; more are counted in one ({@link #PARKED_OVERFLOW}). */
    static final int MAX_OPEN_PARKED = 300;
    static final String PARKED_OVERFLOW = "more";
    private static final Logger LOG = LoggerFactory.getLogger(SyncOffice.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Hlc hlc;
    private final ObjectMapper json;
    private final Projector projector;
    private final EventChecks checks;

    public SyncOffice(Jdbi jdbi, Clock clock, ObjectMapper json, PhoneBoxes phoneBoxes) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.hlc = new Hlc(clock, 0);
        this.json = json;
        this.checks = new EventChecks(json);
        this.projector = new Projector(json, checks, phoneBoxes);
    }

    public record PushResult(List<EventVerdict> verdicts, long officeTimeMillis, long officeHlc) {
    }

    public record Change(long seq, String kind, String payload) {
    }

    public record Page(List<Change> changes, long cursor, boolean more, long officeTimeMillis, long officeHlc) {
    }

    public record Receipt(long throughSeq, long events, String digest) {
    }

    /** One event as the inbox holds it, with the verdict it got. */
    public record HeldEvent(java.util.UUID eventId, long terminalSeq, long hlc, String type, String payload, String verdict,
                            String detail) {
    }

    /** A page of a terminal's own events; {@code terminalSeq} is the highest number held for it, {@code feedSeq} the feed's end. */
    public record Held(List<HeldEvent> events, long terminalSeq, long feedSeq, boolean more, long officeTimeMillis,
                       long officeHlc) {
    }

    /**
     * Applies a batch in one transaction. Each event is inserted into the inbox together with its effects;
     * an event already in the inbox gets its stored verdict back and changes nothing. An event that cannot
     * be applied is rolled back to its savepoint and kept with verdict REJECTED, so it is never retried forever.
     */
    public PushResult push(TerminalIdentity who, List<IncomingEvent> events) {
        return push(who, events, List.of());
    }

    /** @param parked feed changes the terminal could not apply: each becomes an open exception for the owner */
    public PushResult push(TerminalIdentity who, List<IncomingEvent> events, List<ParkedReport> parked) {
        if (events.size() > MAX_BATCH || parked.size() > MAX_BATCH) {
            throw new OfficeException(413, "at most " + MAX_BATCH + " events per batch");
        }
        // Each payload is read as its event before the feed lock is taken: the lock is held for database work only.
        Map<IncomingEvent, Object> read = new IdentityHashMap<>();
        for (IncomingEvent e : events) {
            if (who.storeId().equals(e.storeId()) && who.terminalId().equals(e.terminalId())) {
                try {
                    if (Erasure.isTombstone(e.payload())) {
                        // What an edit or a consent of a member erased at the terminal became before it was sent.
                        throw new Projector.Unusable("the member's data was erased at the terminal before this was sent");
                    }
                    read.put(e, ProtocolJson.readEvent(json, e.type(), e.payload()));
                } catch (RuntimeException ex) {
                    read.put(e, ex);
                }
            }
        }
        Applied applied = applyWithRetries(who, events, read, parked);
        applied.rejected().forEach(r -> LOG.warn("event {} ({}) from {}/{} rejected: {}", r.event().eventId(),
                r.event().type(), who.storeId(), who.terminalId(), r.cause().toString()));
        // Only events that passed the checks move head office's clock: a forged far-future stamp would otherwise
        // carry every later stamp with it.
        hlc.observe(applied.highestAcceptedHlc());
        return new PushResult(applied.verdicts(), clock.millis(), hlc.now());
    }

    private record Rejected(IncomingEvent event, RuntimeException cause) {
    }

    /** The most locks a push takes to run beside others (on PostgreSQL, 64 per connection by default). */
    private static final int MAX_PUSH_LOCKS = 200;

    /** How many times a push is applied again after PostgreSQL ended it in a deadlock between two pushes' locks. */
    private static final int DEADLOCK_RETRIES = 5;

    /**
     * The push in one transaction: batched and beside other pushes first; row by row when an event at fault could not be
     * undone alone ({@link PushScope.Redo}); alone when it must change a member its locks do not cover
     * ({@link ChainLocks.Widen}); again when PostgreSQL broke a deadlock by ending it.
     */
    private Applied applyWithRetries(TerminalIdentity who, List<IncomingEvent> events, Map<IncomingEvent, Object> read,
                                     List<ParkedReport> parked) {
        boolean batched = true;
        boolean alone = false;
        for (int attempt = 0; ; attempt++) {
            boolean b = batched;
            boolean a = alone;
            try {
                return jdbi.inTransaction(h -> apply(h, who, events, read, parked, b, a));
            } catch (RuntimeException e) {
                Optional<PushScope.Redo> redo = PushScope.redo(e);
                if (redo.isPresent() && batched) {
                    // Batched, the event at fault could not be undone alone: apply the push again row by row, so that it is.
                    LOG.info("push from {}/{} applied again row by row: {}", who.storeId(), who.terminalId(),
                            redo.get().getMessage());
                    batched = false;
                } else if (causedBy(e, ChainLocks.Widen.class) && !alone) {
                    LOG.info("push from {}/{} applied again alone: {}", who.storeId(), who.terminalId(), e.getMessage());
                    alone = true;
                } else if (ChainLocks.deadlock(e) && attempt < DEADLOCK_RETRIES) {
                    LOG.info("push from {}/{} applied again after a deadlock with another push", who.storeId(),
                            who.terminalId());
                } else {
                    throw e;
                }
            }
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> kind) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (kind.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private record Applied(List<EventVerdict> verdicts, List<Rejected> rejected, long highestAcceptedHlc) {
    }

    /**
     * One push in one transaction, under the feed lock. Each event is inserted into the inbox together with its
     * effects; an event already in the inbox gets its stored verdict back and changes nothing. An event that cannot
     * be applied is undone alone and kept with verdict REJECTED, so it is never retried forever.
     *
     * @param read each of the terminal's own events read as its record, or the exception reading it threw
     */
    private Applied apply(Handle h, TerminalIdentity who, List<IncomingEvent> events, Map<IncomingEvent, Object> read,
                          List<ParkedReport> parked, boolean batched, boolean alone) {
        OffsetDateTime now = now();
        Set<UUID> lockedMembers = new HashSet<>();
        long locked = alone ? ChainLocks.exclusive(h) : lock(h, who, read.values(), lockedMembers::addAll);
        try (PushScope scope = PushScope.open(h, batched)) {
            if (!alone && locked < 0) {
                scope.lockedOnly(lockedMembers);
            }
            FeedWriter feed = FeedWriter.forPush(h, json, now, scope, locked);
            Map<UUID, EventVerdict> held = heldVerdicts(h, List.copyOf(read.keySet()));
            // The members the new events name are read together, when the first is needed.
            read.forEach((e, event) -> {
                if (event instanceof Event known && !held.containsKey(e.eventId())) {
                    scope.expect(known.memberId());
                }
            });
            List<EventVerdict> out = new ArrayList<>(events.size());
            List<Rejected> rejected = new ArrayList<>();
            long highestAccepted = 0;
            int fresh = 0;
            for (IncomingEvent e : events) {
                if (!who.storeId().equals(e.storeId()) || !who.terminalId().equals(e.terminalId())) {
                    out.add(new EventVerdict(e.eventId(), Verdict.REFUSED, "event belongs to another terminal"));
                    continue;
                }
                EventVerdict stored = held.get(e.eventId());
                if (stored != null) {
                    out.add(stored);
                    continue;
                }
                Verdict verdict;
                String detail = null;
                scope.beginEvent();
                feed.rollups().beginEvent();
                try {
                    EventChecks.checkClock(e.hlc(), now);
                    Object payload = read.get(e);
                    if (payload instanceof RuntimeException ex) {
                        throw ex;
                    }
                    Event event = (Event) payload;
                    checks.check(h, who, event, now);
                    verdict = projector.apply(h, feed, who, e, event, now);
                    scope.eventApplied();
                    feed.rollups().eventApplied();
                    highestAccepted = Math.max(highestAccepted, e.hlc());
                } catch (RuntimeException ex) {
                    Optional<PushScope.Redo> redo = PushScope.redo(ex);
                    if (redo.isPresent()) {
                        throw redo.get();
                    }
                    if (causedBy(ex, ChainLocks.Widen.class) || ChainLocks.deadlock(ex)) {
                        throw ex; // the whole push again, alone or after the other one (applyWithRetries)
                    }
                    scope.eventFailed(ex);
                    feed.rollups().eventFailed();
                    verdict = Verdict.REJECTED;
                    detail = ex instanceof Projector.Unusable || ex instanceof ProtocolException
                            ? ex.getMessage() : "cannot apply: " + ex.getClass().getSimpleName();
                    rejected.add(new Rejected(e, ex));
                }
                // Kept with the member it names, so that an erasure finds it; an erased member's event is kept scrubbed.
                UUID member = Erasure.memberOf(e.payload()).orElse(null);
                String payload = e.payload().toString();
                if (member != null && PushScope.erased(h, member)) {
                    payload = Erasure.scrubEvent(e.type(), e.payload()).map(Object::toString).orElse(payload);
                }
                PushScope.insert(h, """
                        INSERT INTO inbox(event_id, store_id, terminal_id, terminal_seq, hlc, type, payload, received_at, verdict, detail,
                                          member_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        e.eventId(), e.storeId(), e.terminalId(), e.terminalSeq(), e.hlc(), e.type(),
                        payload, now, verdict.name(), clip(detail), member);
                EventVerdict v = new EventVerdict(e.eventId(), verdict, clip(detail));
                out.add(v);
                // The same event twice in one batch: the second gets the first's verdict, as from the inbox.
                held.put(e.eventId(), v);
                fresh++;
            }
            reportParked(h, who, parked, now);
            h.createUpdate("""
                    UPDATE terminal SET last_push_at = :now, events_received = events_received + :n
                    WHERE store_id = :s AND terminal_id = :t""")
                    .bind("now", now).bind("n", fresh).bind("s", who.storeId()).bind("t", who.terminalId()).execute();
            scope.flush();
            // The roll-ups last: their chain-wide rows are shared by every push, locked from here to the commit.
            feed.finish();
            scope.flush();
            return new Applied(out, rejected, highestAccepted);
        }
    }

    /**
     * A terminal's parked changes, one open exception each. Only a change head office numbered can have been pulled and
     * parked, and each once: a report of a later seq, or of one already reported, is dropped. Past
     * {@value #MAX_OPEN_PARKED} open ones the terminal is broken or lying, and the rest are counted in one exception
     * ({@code store/terminal/more}) rather than filling the owner's list.
     */
    private void reportParked(Handle h, TerminalIdentity who, List<ParkedReport> parked, OffsetDateTime now) {
        if (parked.isEmpty()) {
            return;
        }
        String prefix = who.storeId() + "/" + who.terminalId() + "/";
        long numbered = FeedWriter.end(h);
        int open = h.createQuery("""
                SELECT COUNT(*) FROM sync_exception
                WHERE kind = 'CHANGE_PARKED' AND state = 'OPEN' AND LEFT(subject, :n) = :p AND subject <> :more""")
                .bind("n", prefix.length()).bind("p", prefix).bind("more", prefix + PARKED_OVERFLOW).mapTo(Integer.class).one();
        long over = 0;
        long lastOver = 0;
        for (ParkedReport p : parked) {
            String subject = prefix + p.seq();
            if (p.seq() <= 0 || p.seq() > numbered || h.createQuery(
                    "SELECT COUNT(*) FROM sync_exception WHERE kind = 'CHANGE_PARKED' AND subject = :s")
                    .bind("s", subject).mapTo(Integer.class).one() > 0) {
                continue;
            }
            if (open >= MAX_OPEN_PARKED) {
                over++;
                lastOver = Math.max(lastOver, p.seq());
                continue;
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("store_id", who.storeId());
            detail.put("terminal_id", who.terminalId());
            detail.put("seq", p.seq());
            detail.put("kind", p.kind());
            detail.put("reason", p.reason());
            projector.upsertException(h, "CHANGE_PARKED", subject, detail, "OPEN", now);
            open++;
        }
        if (over > 0) {
            String subject = prefix + PARKED_OVERFLOW;
            long before = h.createQuery("SELECT detail FROM sync_exception WHERE kind = 'CHANGE_PARKED' AND subject = :s"
                            + " AND state = 'OPEN'").bind("s", subject).mapTo(String.class).findOne()
                    .map(this::moreIn).orElse(0L);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("store_id", who.storeId());
            detail.put("terminal_id", who.terminalId());
            detail.put("more", before + over);
            detail.put("last_seq", lastOver);
            projector.upsertException(h, "CHANGE_PARKED", subject, detail, "OPEN", now);
        }
    }

    private long moreIn(String detail) {
        try {
            return json.readTree(detail).path("more").asLong();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return 0;
        }
    }

    /**
     * The locks of a push beside others ({@link ChainLocks#push}): its terminal, every member, phone and card its events
     * name, then the members those were merged into. All are taken before the transaction's first write.
     */
    private static long lock(Handle h, TerminalIdentity who, java.util.Collection<Object> read,
                             java.util.function.Consumer<Set<UUID>> lockedMembers) {
        Set<UUID> members = new HashSet<>();
        Set<String> phones = new HashSet<>();
        Set<Long> keys = new HashSet<>();
        keys.add(ChainLocks.terminal(who));
        for (Object event : read) {
            if (event instanceof Event e && e.memberId() != null) {
                members.add(e.memberId());
                keys.add(ChainLocks.member(e.memberId()));
            }
            Event.MemberEnrolled enrolment = event instanceof Event.MemberImported m ? m.enrolment()
                    : event instanceof Event.MemberEnrolled m ? m : null;
            if (enrolment != null && enrolment.phoneHmac() != null) {
                phones.add(enrolment.phoneHmac());
                keys.add(ChainLocks.phone(enrolment.phoneHmac()));
            }
            if (enrolment != null) {
                keys.add(ChainLocks.card(enrolment.cardCode()));
            }
            if (event instanceof Event.PurchaseImported p && p.cardCode() != null) {
                keys.add(ChainLocks.card(p.cardCode()));
            }
            if (event instanceof Event.CouponIssued c) {
                keys.add(ChainLocks.coupon(c.couponCode()));
            }
            if (event instanceof Event.StaffAccount a) {
                keys.add(ChainLocks.staff(a.staffId()));
            }
            if (event instanceof Event.RulesChanged) {
                keys.add(ChainLocks.storeRules(who.storeId()));
            }
        }
        if (keys.size() > MAX_PUSH_LOCKS && ChainLocks.postgres(h)) {
            // PostgreSQL keeps locks in a table of fixed size shared by every session: a push naming more runs alone.
            throw new ChainLocks.Widen("a push naming " + keys.size() + " members, phones and cards runs alone");
        }
        long locked = ChainLocks.push(h, keys);
        if (locked >= 0) {
            return locked;
        }
        // Most of a member's rows are kept under the member it was merged into, and an enrolment may merge the active
        // members that have its phone. Those are locked too, before the first write; each round reads them again under the
        // locks already held, until a round finds none new (a merge moves survivors only while it holds them).
        Set<UUID> toRead = new HashSet<>(members);
        List<String> phoneList = List.copyOf(phones);
        while (true) {
            List<UUID> found = new ArrayList<>(h.createQuery("""
                    SELECT survivor_id FROM member WHERE id = ANY(:ids) AND survivor_id IS NOT NULL""")
                    .bindArray("ids", UUID.class, toRead.toArray(UUID[]::new)).mapTo(UUID.class).list());
            if (!phoneList.isEmpty()) {
                found.addAll(h.createQuery("""
                        SELECT id FROM member WHERE phone_hmac = ANY(:phones) AND status = 'ACTIVE'""")
                        .bindArray("phones", String.class, phoneList.toArray(String[]::new)).mapTo(UUID.class).list());
                phoneList = List.of();
            }
            List<UUID> more = found.stream().distinct().filter(m -> !members.contains(m)).toList();
            if (more.isEmpty()) {
                break;
            }
            members.addAll(more);
            if (keys.size() + members.size() > 2 * MAX_PUSH_LOCKS) {
                throw new ChainLocks.Widen("a push reaching " + members.size() + " members runs alone");
            }
            ChainLocks.more(h, more.stream().map(ChainLocks::member).toList());
            toRead = new HashSet<>(members);
        }
        lockedMembers.accept(members);
        return locked;
    }

    /** The stored verdicts of those of the events the inbox already holds, in one query. */
    private static Map<UUID, EventVerdict> heldVerdicts(Handle h, List<IncomingEvent> events) {
        Map<UUID, EventVerdict> held = new HashMap<>();
        if (events.isEmpty()) {
            return held;
        }
        h.createQuery("""
                SELECT i.event_id, i.verdict, i.detail
                FROM UNNEST(:ids) AS sent(id) JOIN inbox i ON i.event_id = sent.id""")
                .bindArray("ids", UUID.class, events.stream().map(IncomingEvent::eventId).distinct().toList())
                .map((rs, ctx) -> new EventVerdict(rs.getObject(1, UUID.class), Verdict.valueOf(rs.getString(2)),
                        rs.getString(3)))
                .forEach(v -> held.put(v.eventId(), v));
        return held;
    }

    /** At most this many members per history request. */
    public static final int MAX_JOIN = 100;

    /**
     * A store shows members it has not served yet: from now on it keeps their history, and every purchase head office
     * holds for them is put on its feed (decision 0039). Unknown members are skipped; returns how many were new to
     * the store.
     */
    public int join(TerminalIdentity who, List<java.util.UUID> memberIds) {
        if (memberIds.size() > MAX_JOIN) {
            throw new OfficeException(413, "at most " + MAX_JOIN + " members per request");
        }
        return jdbi.inTransaction(h -> {
            OffsetDateTime now = now();
            FeedWriter feed = new FeedWriter(h, json, now);
            int joined = 0;
            for (java.util.UUID id : memberIds) {
                Optional<java.util.UUID> survivor = h.createQuery("SELECT COALESCE(survivor_id, id) FROM member WHERE id = :id")
                        .bind("id", id).mapTo(java.util.UUID.class).findOne();
                if (survivor.isPresent() && MemberStores.join(h, feed, survivor.get(), who.storeId(), now)) {
                    joined++;
                }
            }
            feed.finish();
            return joined;
        });
    }

    /**
     * A page of the store's change feed after {@code cursor}: changes for every store or this one, except
     * those this terminal caused itself. The new cursor is the last number read.
     */
    public Page pull(TerminalIdentity who, long cursor, int limit) {
        return pull(who, cursor, limit, 0);
    }

    /**
     * As {@link #pull(TerminalIdentity, long, int)}, but this terminal's own changes numbered up to {@code ownThrough}
     * are sent too: a terminal restored from an older copy of its data dir lacks them (decision 0036).
     */
    public Page pull(TerminalIdentity who, long cursor, int limit, long ownThrough) {
        return pull(who, cursor, limit, ownThrough, null);
    }

    /** As above; {@code pending} (null: not said) is what the terminal still has to send, shown in the console. */
    public Page pull(TerminalIdentity who, long cursor, int limit, long ownThrough, Long pending) {
        int n = Math.max(1, Math.min(limit, MAX_PAGE));
        return jdbi.inTransaction(h -> {
            long last = FeedWriter.end(h);
            // Two ranges of the (target_store, seq) index, each cut at the page's size: the rows for this store and
            // the rows for every store. One condition on both (target_store = :store OR IS NULL) would read every
            // store's rows after the cursor, which after a chain-wide campaign is a million rows for a thousand.
            List<Change> rows = h.createQuery("""
                    SELECT seq, kind, payload FROM (
                      (SELECT seq, kind, payload FROM change_log
                       WHERE target_store = :store AND seq > :cursor AND seq <= :last
                         AND (seq <= :own OR NOT (origin_store IS NOT NULL AND origin_store = :store AND origin_terminal = :terminal))
                       ORDER BY target_store, seq LIMIT :limit)
                      UNION ALL
                      (SELECT seq, kind, payload FROM change_log
                       WHERE target_store IS NULL AND seq > :cursor AND seq <= :last
                         AND (seq <= :own OR NOT (origin_store IS NOT NULL AND origin_store = :store AND origin_terminal = :terminal))
                       ORDER BY target_store, seq LIMIT :limit)
                    ) page ORDER BY seq LIMIT :limit""")
                    .bind("cursor", cursor).bind("last", last).bind("store", who.storeId()).bind("terminal", who.terminalId())
                    .bind("own", ownThrough).bind("limit", n)
                    .map((rs, ctx) -> new Change(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
            boolean more = rows.size() == n;
            // With nothing (more) for this terminal, the cursor may jump to the end: the rows between were its own.
            long next = more ? rows.get(rows.size() - 1).seq() : Math.max(cursor, last);
            h.createUpdate("UPDATE terminal SET last_pull_at = :now, events_pending = COALESCE(:pending, events_pending)"
                            + " WHERE store_id = :s AND terminal_id = :t")
                    .bind("now", now()).bind("pending", pending).bind("s", who.storeId()).bind("t", who.terminalId()).execute();
            return new Page(rows, next, more, clock.millis(), hlc.now());
        });
    }

    /**
     * The events this terminal pushed that are numbered after {@code afterSeq}, in number order. A terminal restored
     * from an older copy of its data dir finds here the events it lacks (decision 0036).
     */
    public Held held(TerminalIdentity who, long afterSeq, int limit) {
        int n = Math.max(1, Math.min(limit, MAX_PAGE));
        // On PostgreSQL a change is final once the transactions older than its own have ended (FeedWriter#end): the
        // feed's end given here must cover every change the events caused, so this waits, up to 5 s, until it does.
        for (int attempt = 0; attempt < 50; attempt++) {
            Held held = jdbi.inTransaction(h -> {
                List<HeldEvent> rows = h.createQuery("""
                        SELECT event_id, terminal_seq, hlc, type, payload, verdict, detail FROM inbox
                        WHERE store_id = :s AND terminal_id = :t AND terminal_seq > :after ORDER BY terminal_seq LIMIT :n""")
                        .bind("s", who.storeId()).bind("t", who.terminalId()).bind("after", afterSeq).bind("n", n)
                        .map((rs, ctx) -> new HeldEvent(rs.getObject(1, java.util.UUID.class), rs.getLong(2), rs.getLong(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7))).list();
                long highest = h.createQuery("SELECT COALESCE(MAX(terminal_seq), 0) FROM inbox WHERE store_id = :s AND terminal_id = :t")
                        .bind("s", who.storeId()).bind("t", who.terminalId()).mapTo(Long.class).one();
                // Read after the events: every change those events caused is numbered up to here, unless one of
                // them is still beyond the feed's end.
                long feed = FeedWriter.end(h);
                if (h.createQuery("""
                        SELECT COUNT(*) FROM change_log WHERE seq > :end AND origin_store = :s AND origin_terminal = :t""")
                        .bind("end", feed).bind("s", who.storeId()).bind("t", who.terminalId()).mapTo(Long.class).one() > 0) {
                    return null;
                }
                return new Held(rows, highest, feed, rows.size() == n, clock.millis(), hlc.now());
            });
            if (held != null) {
                return held;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new OfficeException(503, "head office is still writing this terminal's changes; try again shortly");
    }

    /** What head office holds of a terminal's events 1..throughSeq: their count and digest (see {@link Digests}). */
    public Receipt receipt(TerminalIdentity who, long throughSeq) {
        return jdbi.withHandle(h -> {
            List<String> ids = h.createQuery("""
                    SELECT event_id FROM inbox WHERE store_id = :s AND terminal_id = :t AND terminal_seq <= :n ORDER BY terminal_seq""")
                    .bind("s", who.storeId()).bind("t", who.terminalId()).bind("n", throughSeq)
                    .mapTo(java.util.UUID.class).list().stream().map(java.util.UUID::toString).toList();
            return new Receipt(throughSeq, ids.size(), Digests.ofEventIds(ids));
        });
    }

    /** A checkout head office holds (lines without items), with the refunds made of it anywhere: for a refund elsewhere. */
    public record CheckoutCopy(String storeId, String terminalId, String checkout, List<String> refunds) {
    }

    public Optional<CheckoutCopy> checkout(String receiptNo) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, store_id, terminal_id, payload FROM checkout WHERE receipt_no = :r")
                .bind("r", receiptNo)
                .map((rs, ctx) -> new CheckoutCopy(rs.getString(2), rs.getString(3), rs.getString(4),
                        h.createQuery("SELECT payload FROM refund WHERE checkout_id = :c ORDER BY refunded_at, id")
                                .bind("c", rs.getObject(1, java.util.UUID.class)).mapTo(String.class).list()))
                .findOne());
    }

    /** The inbox keeps 200 characters of a reason. */
    private static String clip(String detail) {
        return detail == null || detail.length() <= 200 ? detail : detail.substring(0, 197) + "...";
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
