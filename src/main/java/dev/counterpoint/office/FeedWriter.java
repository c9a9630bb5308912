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
 * Appends to the change log inside a write transaction. Opening one locks the single feed_lock row until
 * the transaction ends, so numbers are handed out in commit order: a reader can never see number n+1
 * while n is still uncommitted, and its cursor never skips a row (decision: change feed under one lock).
 * In a push, rows go out in batches ({@link PushScope}), and the push learns from each change what it changes.
 */
final class FeedWriter {
    private final Handle h;
    private final ObjectMapper json;
    private final OffsetDateTime now;
    private long seq;
    private final long first;
    private final PushScope scope;
    /** What this transaction's projections add to the KPI roll-ups, written when it finishes. */
    private final RollupBatch rollups = new RollupBatch();

    FeedWriter(Handle h, ObjectMapper json, OffsetDateTime now) {
        this(h, json, now, null);
    }

    /** @param scope the push this writer serves, or null */
    FeedWriter(Handle h, ObjectMapper json, OffsetDateTime now, PushScope scope) {
        this.h = h;
        this.json = json;
        this.now = now;
        this.scope = scope;
        this.seq = h.createQuery("SELECT last_seq FROM feed_lock WHERE id = 1 FOR UPDATE").mapTo(Long.class).one();
        this.first = seq;
    }

    /**
     * A change for every store; {@code origin} (store, terminal) is the terminal that caused it, or null.
     * Returns the change's number in the feed.
     */
    long append(Change change, TerminalIdentity origin) {
        return appendFor((String) null, change, origin);
    }

    long appendFor(String targetStore, Change change, TerminalIdentity origin) {
        return appendFor(Collections.singletonList(targetStore), change, origin);
    }

    /** One change for each of {@code targetStores}, written out once. Returns the last number handed out. */
    long appendFor(List<String> targetStores, Change change, TerminalIdentity origin) {
        if (targetStores.isEmpty()) {
            return seq;
        }
        if (scope != null) {
            scope.changed(change);
        }
        String kind = ChangeKind.of(change).wire();
        String payload = ProtocolJson.write(json, change);
        UUID member = memberOf(change);
        for (String store : targetStores) {
            seq++;
            PushScope.insert(h, """
                    INSERT INTO change_log(seq, target_store, origin_store, origin_terminal, kind, payload, created_at, member_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    seq, store, origin == null ? null : origin.storeId(), origin == null ? null : origin.terminalId(),
                    kind, payload, now, member);
        }
        return seq;
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
