package dev.counterpoint.sync;

import dev.counterpoint.protocol.ParkedReport;
import java.time.OffsetDateTime;
import java.util.List;
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

    /** Parked changes head office has not been told of yet. */
    List<ParkedReport> unreported(Handle h) {
        return h.createQuery("SELECT seq, kind, reason FROM parked_change WHERE reported_at IS NULL ORDER BY seq LIMIT 100")
                .map((rs, ctx) -> new ParkedReport(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
    }

    void reported(Handle h, List<ParkedReport> reports, OffsetDateTime at) {
        for (ParkedReport r : reports) {
            h.createUpdate("UPDATE parked_change SET reported_at = :at WHERE seq = :s").bind("at", at).bind("s", r.seq()).execute();
        }
    }

    static long count(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM parked_change").mapTo(Long.class).one();
    }
}
