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
 * the changes wait unnumbered in change_pending and {@link FeedOrder} numbers them once every transaction older than
 * theirs has ended (decision 0088). In a push, rows go out in batches ({@link PushScope}), and the push learns from
 * each change what it changes.
 */
final class FeedWriter {
    private final Handle h;
    private final ObjectMapper json;
    private final OffsetDateTime now;
    private long seq;
    private final long first;
    /** Changes wait in change_pending for their number (PostgreSQL), rather than being numbered here (H2). */
    private final boolean pending;
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
        this.pending = lastSeq < 0;
        this.seq = Math.max(0, lastSeq);
        this.first = seq;
        if (pending) {
            h.afterCommit(() -> FeedOrder.publishAfterCommit(h));
        }
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
        return pending ? h.createQuery("SELECT nextval('change_order')").mapTo(Long.class).one() : seq + 1;
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
            if (pending) {
                PushScope.insert(h, """
                        INSERT INTO change_pending(tx, k, target_store, origin_store, origin_terminal, kind, payload, created_at,
                                                   member_id)
                        VALUES (pg_current_xact_id()::text::bigint, ?, ?, ?, ?, ?, ?, ?, ?)""",
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
