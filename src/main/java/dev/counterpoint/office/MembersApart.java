package dev.counterpoint.office;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Pairs of members an owner found to be different people though they share a phone (table {@code member_apart}). */
final class MembersApart {
    private MembersApart() {}

    static void record(Handle h, UUID a, UUID b, String by, OffsetDateTime at) {
        boolean ordered = a.compareTo(b) < 0;
        h.createUpdate("""
                INSERT INTO member_apart(member_id, other_id, decided_at, decided_by) VALUES (:m, :o, :at, :by)""")
                .bind("m", ordered ? a : b).bind("o", ordered ? b : a).bind("at", at).bind("by", by).execute();
    }

    static boolean apart(Handle h, UUID a, UUID b) {
        boolean ordered = a.compareTo(b) < 0;
        return h.createQuery("SELECT COUNT(*) FROM member_apart WHERE member_id = :m AND other_id = :o")
                .bind("m", ordered ? a : b).bind("o", ordered ? b : a).mapTo(Integer.class).one() > 0;
    }
}
