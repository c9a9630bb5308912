package dev.counterpoint.office;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.ChangeKind;
import dev.counterpoint.protocol.ProtocolJson;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import dev.counterpoint.office.report.RollupBatch;
import org.jdbi.v3.core.Handle;

/**
 * Appends to the change log inside a write transaction. On H2 opening one locks the single feed_lock row until the
 * transaction ends, so numbers are handed out in commit order: a reader can never see number n+1 while n is still
 * uncommitted, and its cursor never skips a row. On PostgreSQL, where pushes write side by side ({@link ChainLocks}),
 * a change's number is its transaction's id and its place in it, and a reader takes only the numbers below the oldest
 * transaction still running ({@link #end}): no transaction can add a number below those any more (decisions 0088,
 * 0097). In a push, rows go out in batches ({@link PushScope}), and the push learns from each change what it changes.
 */
final class FeedWriter {
    private final Handle h;
    private final ObjectMapper json;
    private final OffsetDateTime now;
    private long seq;
    private final long first;
    /** A change's number is its transaction's id and its place (PostgreSQL), rather than the next one (H2). */
    private final boolean byTransaction;
    private int k;
    private final PushScope scope;
    /** What this transaction's projections add to the KPI roll-ups, written when it finishes. */
    private final RollupBatch rollups = new RollupBatch();

    FeedWriter(Handle h, ObjectMapper json, OffsetDateTime now) {
        this(h, json, now, null);
    }

    /** A writer that runs alone (see {@link ChainLocks#exclusive}); {@code scope} batches its rows, or is null. */
    FeedWriter(Handle h, ObjectMapper json, OffsetDateTime now, PushScope scope) {
        this(h, json, now, scope, ChainLocks.exclusive(h));
    }

    private FeedWriter(Handle h, ObjectMapper json, OffsetDateTime now, PushScope scope, long lastSeq) {
        this.h = h;
        this.json = json;
        this.now = now;
        this.scope = scope;
        this.byTransaction = lastSeq < 0;
        this.seq = Math.max(0, lastSeq);
        this.first = seq;
    }

    /** Bits of a PostgreSQL change number that hold its place in its transaction; the transaction's id is above them. */
    static final int PLACE_BITS = 24;
    private static final String INSERT_BY_TRANSACTION = """
            INSERT INTO change_log(seq, target_store, origin_store, origin_terminal, kind, payload, created_at, member_id)
            VALUES ((pg_current_xact_id()::text::bigint << %d) + ?, ?, ?, ?, ?, ?, ?, ?)""".formatted(PLACE_BITS);

    /**
     * The last number a reader may take as final: no transaction can add a change numbered at or below it any more. On
     * H2, the last number handed out (writers take the feed lock). On PostgreSQL, just below the numbers of the oldest
     * transaction still running (its snapshot's {@code xmin}): every transaction below it has ended, and any later one
     * gets a larger id. Numbers handed out before numbers were transaction ids are all below it.
     */
    static long end(Handle h) {
        long last = h.createQuery("SELECT last_seq FROM feed_lock WHERE id = 1").mapTo(Long.class).one();
        if (!ChainLocks.postgres(h)) {
            return last;
        }
        long xmin = h.createQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint").mapTo(Long.class).one();
        return Math.max(last, (xmin << PLACE_BITS) - 1);
    }

    /** The writer of a push, which took its own locks first: {@code locked} is what {@link ChainLocks#push} returned. */
    static FeedWriter forPush(Handle h, ObjectMapper json, OffsetDateTime now, PushScope scope, long locked) {
        return new FeedWriter(h, json, now, scope, locked);
    }

    /**
     * A number that orders this change after every change head office already knew: its feed number on H2, a sequence
     * on PostgreSQL (where the feed number is given later). For the enrolment of a member, whose order among the members
     * with the same phone decides which one survives.
     */
    long order() {
        return byTransaction ? h.createQuery("SELECT nextval('change_order')").mapTo(Long.class).one() : seq + 1;
    }

    /** A change for every store; {@code origin} (store, terminal) is the terminal that caused it, or null. */
    void append(Change change, TerminalIdentity origin) {
        appendFor((String) null, change, origin);
    }

    void appendFor(String targetStore, Change change, TerminalIdentity origin) {
        appendFor(Collections.singletonList(targetStore), change, origin);
    }

    /** One change for each of {@code targetStores}, written out once. */
    void appendFor(List<String> targetStores, Change change, TerminalIdentity origin) {
        if (targetStores.isEmpty()) {
            return;
        }
        if (scope != null) {
            scope.changed(change);
        }
        String kind = ChangeKind.of(change).wire();
        String payload = ProtocolJson.write(json, change);
        UUID member = memberOf(change);
        String originStore = origin == null ? null : origin.storeId();
        String originTerminal = origin == null ? null : origin.terminalId();
        for (String store : targetStores) {
            if (byTransaction) {
                if (k == 1 << PLACE_BITS) {
                    throw new IllegalStateException("more than " + (1 << PLACE_BITS) + " changes in one transaction");
                }
                PushScope.insert(h, INSERT_BY_TRANSACTION,
                        k++, store, originStore, originTerminal, kind, payload, now, member);
            } else {
                seq++;
                PushScope.insert(h, """
                        INSERT INTO change_log(seq, target_store, origin_store, origin_terminal, kind, payload, created_at, member_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                        seq, store, originStore, originTerminal, kind, payload, now, member);
            }
        }
    }

    /** The member a change is about (an alias, for a merge), kept beside it so an erasure finds it by index. */
    static UUID memberOf(Change change) {
        if (change instanceof Change.MemberEnrolled c) {
            return c.memberId();
        } else if (change instanceof Change.MemberProfile c) {
            return c.memberId();
        } else if (change instanceof Change.MemberConsent c) {
            return c.memberId();
        } else if (change instanceof Change.MemberTag c) {
            return c.memberId();
        } else if (change instanceof Change.MemberErased c) {
            return c.memberId();
        } else if (change instanceof Change.MemberMerged c) {
            return c.aliasId();
        } else if (change instanceof Change.MemberSplit c) {
            return c.aliasId();
        } else if (change instanceof Change.PointsEntry c) {
            return c.memberId();
        } else if (change instanceof Change.StoredValueEntry c) {
            return c.memberId();
        } else if (change instanceof Change.CouponIssued c) {
            return c.memberId();
        } else if (change instanceof Change.PurchaseRecorded c) {
            return c.memberId();
        } else if (change instanceof Change.PurchaseRefunded c) {
            return c.memberId();
        } else if (change instanceof Change.TierReviewed c) {
            return c.memberId();
        }
        return null;
    }

    RollupBatch rollups() {
        return rollups;
    }

    /** Records the last number handed out and writes the roll-ups; called once, before commit. */
    void finish() {
        if (scope != null) {
            rollups.flush(h, scope::homeStore);
        } else {
            rollups.flush(h);
        }
        if (seq != first) {
            h.createUpdate("UPDATE feed_lock SET last_seq = :s WHERE id = 1").bind("s", seq).execute();
        }
    }
}
