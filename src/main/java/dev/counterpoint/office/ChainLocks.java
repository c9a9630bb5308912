package dev.counterpoint.office;

import java.sql.SQLException;
import java.util.Collection;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Who may write at head office at the same time (decision 0088).
 *
 * <p>On H2 (one process) every writer takes the one {@code feed_lock} row, as before: writes run one at a time and
 * number the feed as they go. On PostgreSQL a push takes the chain lock shared, then its terminal and every member,
 * phone and card its events name, each exclusively and in one order; two pushes wait for each other only when they
 * touch the same member. Everything else that writes (owner actions, campaigns, imports, the tier review, a
 * registration) takes the chain lock exclusively, so it runs alone as before. The locks are PostgreSQL's
 * transaction-scoped advisory locks: they end with the transaction and assign it no transaction id, which the feed's
 * numbers rely on ({@link FeedWriter#end}): a push that waited for another gets its id after that one committed.
 */
public final class ChainLocks {
    /** The chain lock, in PostgreSQL's two-key space; the one-key space below never meets it. */
    private static final int CHAIN = 1;
    private static final long TERMINAL = 1, MEMBER = 2, PHONE = 3, CARD = 4, STAFF = 5, STORE_RULES = 6, COUPON = 7;

    private ChainLocks() {
    }

    /**
     * A push found it must change a member its locks do not cover (a merge's survivor found by phone): it is applied
     * again holding the chain lock alone.
     */
    static final class Widen extends RuntimeException {
        Widen(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether head office runs on PostgreSQL (several processes may write), rather than on its H2 file. */
    static boolean postgres(Handle h) {
        try {
            return h.getConnection().getMetaData().getURL().startsWith("jdbc:postgresql:");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell the office database apart", e);
        }
    }

    /**
     * Runs this transaction alone. On H2 returns the feed's last number (the lock is the feed's row); on PostgreSQL,
     * where it waits for every push under way, returns -1. Taken before the transaction's first write there: a
     * transaction that already wrote holds an id older than the pushes it waited for, and its changes would be numbered
     * before theirs.
     */
    public static long exclusive(Handle h) {
        if (!postgres(h)) {
            return h.createQuery("SELECT last_seq FROM feed_lock WHERE id = 1 FOR UPDATE").mapTo(Long.class).one();
        }
        if (h.createQuery("SELECT pg_current_xact_id_if_assigned() IS NOT NULL").mapTo(Boolean.class).one()) {
            throw new IllegalStateException("the chain lock is taken before the transaction's first write");
        }
        h.createQuery("SELECT pg_advisory_xact_lock(" + CHAIN + ", 0)").mapTo(String.class).one();
        return -1;
    }

    /**
     * A push's locks on PostgreSQL (on H2, the feed's row): the chain lock shared, then the things the push changes,
     * each exclusively and in key order, so that two pushes never wait for each other in a circle. Members are locked
     * before they are read, so a push sees each one as the last writer left it. Returns what {@link #exclusive} returns.
     */
    static long push(Handle h, Collection<Long> keys) {
        if (!postgres(h)) {
            return exclusive(h);
        }
        h.createQuery("SELECT pg_advisory_xact_lock_shared(" + CHAIN + ", 0)").mapTo(String.class).one();
        more(h, keys);
        return -1;
    }

    /** More exclusive locks for a push that holds the chain lock shared (PostgreSQL), in key order. */
    static void more(Handle h, Collection<Long> keys) {
        if (keys.isEmpty()) {
            return;
        }
        // Taken one after another in the subquery's order: a lock per row, in ascending key order.
        h.createQuery("""
                SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest(:keys) AS k ORDER BY 1) o) l""")
                .bindArray("keys", Long.class, new TreeSet<>(keys).toArray(Long[]::new)).mapTo(Long.class).one();
    }

    static long terminal(TerminalIdentity who) {
        return key(TERMINAL, who.storeId() + "/" + who.terminalId());
    }

    static long member(UUID id) {
        return key(MEMBER, id.toString());
    }

    static long phone(String phoneHmac) {
        return key(PHONE, phoneHmac);
    }

    static long card(String cardCode) {
        return key(CARD, cardCode);
    }

    /** A coupon code, which is the chain's: two stores issuing the same one wait for each other. */
    static long coupon(String code) {
        return key(COUPON, code);
    }

    static long staff(String staffId) {
        return key(STAFF, staffId);
    }

    /** A store's record of the rule sets its terminals run. */
    static long storeRules(String storeId) {
        return key(STORE_RULES, storeId);
    }

    /** Whether PostgreSQL ended the transaction to break a deadlock (or a serialization failure): it may run again. */
    static boolean deadlock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** The lock key of one thing: its kind in the top byte, 56 bits of its SHA-256 below (a collision only waits). */
    static long key(long kind, String name) {
        return (kind << 56) | Long.parseLong(Secrets.hash(name).substring(0, 14), 16);
    }
}
