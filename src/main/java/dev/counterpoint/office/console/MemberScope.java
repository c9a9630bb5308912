package dev.counterpoint.office.console;

import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Which stores hold a member: the home store and every store that keeps the member's records (served them or asked
 * for them; {@code member_store}, decision 0039), the merged cards' as well. A manager sees a member their store holds,
 * with the records their counter shows, and no other.
 */
final class MemberScope {
    private MemberScope() {}

    static Set<String> stores(Handle h, UUID member) {
        Set<String> out = new TreeSet<>(h.createQuery("""
                SELECT home_store FROM member WHERE id = :m OR survivor_id = :m
                   OR id = (SELECT survivor_id FROM member WHERE id = :m)""")
                .bind("m", member).mapTo(String.class).list());
        out.addAll(h.createQuery("""
                SELECT store_id FROM member_store WHERE member_id = :m
                   OR member_id = (SELECT survivor_id FROM member WHERE id = :m)""")
                .bind("m", member).mapTo(String.class).list());
        return out;
    }

    /** Refuses (403) a manager whose store does not hold the member. */
    static void require(Handle h, Viewer viewer, UUID member) {
        if (!viewer.isOwner() && !stores(h, member).contains(viewer.storeId())) {
            throw new ConsoleException(403, "console.error.notYours");
        }
    }

    /** The SQL condition (on a member table aliased {@code m}) a manager's member search adds: their store holds it. */
    static final String HELD_BY_STORE = """
            (m.home_store = :store OR EXISTS (SELECT 1 FROM member_store ms
                  WHERE ms.member_id = COALESCE(m.survivor_id, m.id) AND ms.store_id = :store))""";
}
