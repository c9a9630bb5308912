package dev.counterpoint.sync;

import java.time.OffsetDateTime;
import org.jdbi.v3.core.Handle;

/** The parked_change table: changes from head office this terminal kept but could not apply. */
final class ParkedChanges {
    /** Keeps a change as it came; parking the same change again (a page pulled twice) keeps the first. */
    void park(Handle h, long seq, String kind, String payload, String reason, OffsetDateTime at) {
        if (h.createQuery("SELECT COUNT(*) FROM parked_change WHERE seq = :s").bind("s", seq).mapTo(Integer.class).one() > 0) {
            return;
        }
        h.createUpdate("""
                INSERT INTO parked_change(seq, kind, payload, reason, parked_at) VALUES (:s, :k, :p, :r, :at)""")
                .bind("s", seq).bind("k", kind.length() > 40 ? kind.substring(0, 40) : kind).bind("p", payload)
                .bind("r", reason.length() > 200 ? reason.substring(0, 197) + "..." : reason).bind("at", at).execute();
    }

    static long count(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM parked_change").mapTo(Long.class).one();
    }
}
