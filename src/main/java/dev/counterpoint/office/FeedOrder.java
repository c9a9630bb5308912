package dev.counterpoint.office;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Numbers the changes waiting in change_pending into change_log, on PostgreSQL (decision 0088).
 *
 * <p>A terminal's cursor is the last number it read, so a change must never be numbered below one a terminal may
 * already have read. Writers run side by side and commit in any order, so none of them can number its own changes.
 * Instead each pending change carries its transaction's id, and a change is numbered once every transaction with a
 * smaller id has ended: those below the oldest transaction still running (the snapshot's {@code xmin}) can gain no
 * more changes, and they are numbered in (transaction id, place) order after the last number. A transaction that
 * waited for another's lock got its id after that one committed (its locks are taken before its first write,
 * {@link ChainLocks}), so changes to one member keep the order in which head office applied them.
 *
 * <p>Each writer numbers what it can as soon as it commits, a pull numbers first when changes are waiting, and the
 * server does each second, so a change held back by a longer transaction goes out soon after it ended. One numbering
 * runs at a time (an advisory lock, which gives the numbering transaction no id of its own to wait for); a numbering
 * that finds another running leaves its work to the next one rather than queue behind it.
 */
final class FeedOrder {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FeedOrder.class);
    private static final int NUMBERING = 2;

    private FeedOrder() {
    }

    /** Numbers what can be numbered now; nothing on H2. Returns how many changes were numbered. */
    static int publish(Jdbi jdbi) {
        return jdbi.withHandle(h -> ChainLocks.postgres(h) ? h.inTransaction(FeedOrder::publish) : 0);
    }

    /**
     * Numbers what can be numbered, on the connection of a transaction that has just committed its changes (called from
     * its commit, {@link FeedWriter}), so a writer needs no second connection from the pool. A failure here is logged
     * and left to the next numbering: the changes wait, nothing is lost.
     */
    static void publishAfterCommit(Handle h) {
        try {
            java.sql.Connection c = h.getConnection();
            if (c.getAutoCommit()) {
                h.useTransaction(FeedOrder::publish);
            } else {
                try {
                    publish(h);
                    c.commit();
                } catch (RuntimeException | java.sql.SQLException e) {
                    c.rollback();
                    throw e;
                }
            }
        } catch (RuntimeException | java.sql.SQLException e) {
            LOG.warn("changes left waiting for their number until the next numbering: {}", e.toString());
        }
    }

    /** Numbers what can be numbered, when something waits; nothing on H2. */
    static void publishWaiting(Jdbi jdbi) {
        jdbi.useHandle(h -> {
            if (ChainLocks.postgres(h) && waiting(h)) {
                h.useTransaction(FeedOrder::publish);
            }
        });
    }

    private static boolean waiting(Handle h) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM change_pending)").mapTo(Boolean.class).one();
    }

    /** Whether changes caused by one terminal's events still wait for their number (never on H2). */
    static boolean waitingFrom(Handle h, TerminalIdentity who) {
        return ChainLocks.postgres(h) && h.createQuery("""
                SELECT EXISTS (SELECT 1 FROM change_pending WHERE origin_store = :s AND origin_terminal = :t)""")
                .bind("s", who.storeId()).bind("t", who.terminalId()).mapTo(Boolean.class).one();
    }

    private static int publish(Handle h) {
        // One numbering at a time. One already running leaves this one nothing to wait for: what it cannot see yet,
        // the next numbering takes (each writer's, each pull's, or the server's each second).
        if (!h.createQuery("SELECT pg_try_advisory_xact_lock(" + NUMBERING + ", 0)").mapTo(Boolean.class).one()) {
            return 0;
        }
        long last = h.createQuery("SELECT last_seq FROM feed_lock WHERE id = 1").mapTo(Long.class).one();
        // One statement, one snapshot: the transactions below its xmin have all ended, and it sees every change they
        // committed. This transaction has no id yet when the snapshot is taken, so it holds nothing back itself.
        int n = h.createUpdate("""
                WITH settled AS (
                  DELETE FROM change_pending WHERE tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
                  RETURNING tx, k, target_store, origin_store, origin_terminal, kind, payload, created_at, member_id)
                INSERT INTO change_log(seq, target_store, origin_store, origin_terminal, kind, payload, created_at, member_id)
                SELECT :last + row_number() OVER (ORDER BY tx, k), target_store, origin_store, origin_terminal, kind, payload,
                       created_at, member_id
                FROM settled""").bind("last", last).execute();
        if (n > 0) {
            h.createUpdate("UPDATE feed_lock SET last_seq = :s WHERE id = 1").bind("s", last + n).execute();
        }
        return n;
    }
}
