package dev.counterpoint.office;

import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.TagName;
import dev.counterpoint.protocol.Verdict;
import dev.counterpoint.store.Ids;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Members' custom tags at head office ({@code member_tag}; decision 0077). Each (member, tag) is on or off, the latest
 * change by (HLC, event id) winning whatever the arrival order, as a consent channel; the winning state goes to the
 * stores that keep the member (the one that made a losing change included), and a store that comes to keep the member
 * receives every tag with the member's history ({@link MemberStores#history}). A change that would give a member more
 * than {@value TagName#MAX_PER_MEMBER} tags (two stores adding at once) is kept as "off" at its own stamp, so every
 * store ends with the same tags.
 */
final class OfficeTags {
    private OfficeTags() {}

    private record Stamp(long hlc, UUID eventId) {
        boolean before(long otherHlc, UUID otherEvent) {
            return otherHlc > hlc || otherHlc == hlc && otherEvent.compareTo(eventId) > 0;
        }
    }

    /** A store's change must name a member head office holds and the sender store's own manager. */
    static void check(Handle h, TerminalIdentity who, Event.MemberTagged t) {
        Projector.resolve(h, t.memberId());
        CheckoutChecks.staff(h, who, t.staffId(), StaffRole.MANAGER);
    }

    /** A store's change, applied if it is the latest for its tag. */
    static Verdict apply(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, Event.MemberTagged t) {
        UUID member = Projector.resolve(h, t.memberId());
        set(h, feed, member, t.tag(), t.on(), t.taggedAt(), who.storeId(), t.staffId(), e.hlc(), e.eventId());
        return Verdict.ACCEPTED;
    }

    /**
     * An owner's change made at head office (the console or the API), stamped above every change head office holds for
     * the member's tags, so it wins now; a store's change made after it still wins later, as between stores. False if
     * the tag was already so. {@code member} is a survivor that is not erased.
     */
    static boolean ownerSet(Handle h, FeedWriter feed, UUID member, String tag, boolean on, String by, OffsetDateTime now) {
        if (on(h, member).contains(tag) == on) {
            return false;
        }
        if (on && on(h, member).size() >= TagName.MAX_PER_MEMBER) {
            throw new OfficeException(409, "the member holds " + TagName.MAX_PER_MEMBER + " custom tags already: remove one first");
        }
        long hlc = Math.max(now.toInstant().toEpochMilli() << 16, h.createQuery(
                "SELECT COALESCE(MAX(hlc), 0) + 1 FROM member_tag WHERE member_id = :m").bind("m", member)
                .mapTo(Long.class).one());
        set(h, feed, member, tag, on, now, null, by, hlc, Ids.next());
        return true;
    }

    private static void set(Handle h, FeedWriter feed, UUID member, String tag, boolean on, OffsetDateTime at,
                            String storeId, String staffId, long hlc, UUID eventId) {
        Optional<Stamp> current = h.createQuery("SELECT hlc, event_id FROM member_tag WHERE member_id = :m AND tag = :t")
                .bind("m", member).bind("t", tag)
                .map((rs, ctx) -> new Stamp(rs.getLong(1), rs.getObject(2, UUID.class))).findOne();
        if (current.isPresent() && !current.get().before(hlc, eventId)) {
            return; // a change with a later stamp holds this tag; every store has received it
        }
        boolean kept = on && onOtherThan(h, member, tag).size() < TagName.MAX_PER_MEMBER;
        h.createUpdate("DELETE FROM member_tag WHERE member_id = :m AND tag = :t").bind("m", member).bind("t", tag).execute();
        h.createUpdate("""
                INSERT INTO member_tag(member_id, tag, tag_on, set_at, store_id, staff_id, hlc, event_id)
                VALUES (:m, :t, :on, :at, :s, :staff, :hlc, :e)""")
                .bind("m", member).bind("t", tag).bind("on", kept).bind("at", at).bind("s", storeId).bind("staff", staffId)
                .bind("hlc", hlc).bind("e", eventId).execute();
        MemberStores.send(h, feed, member, new Change.MemberTag(member, tag, kept, at, storeId, staffId, hlc), null);
    }

    /** The member's tags that are on, in name order. */
    static List<String> on(Handle h, UUID member) {
        return h.createQuery("SELECT tag FROM member_tag WHERE member_id = :m AND tag_on ORDER BY tag")
                .bind("m", member).mapTo(String.class).list();
    }

    private static List<String> onOtherThan(Handle h, UUID member, String tag) {
        List<String> out = new ArrayList<>(on(h, member));
        out.remove(tag);
        return out;
    }

    /** Every tag head office holds for the members (a survivor and its aliases), on or off, as the feed sends them. */
    static List<Change.MemberTag> history(Handle h, List<UUID> members) {
        if (members.isEmpty()) {
            return List.of();
        }
        return h.createQuery("""
                SELECT member_id, tag, tag_on, set_at, store_id, staff_id, hlc FROM member_tag
                WHERE member_id IN (<members>) ORDER BY member_id, tag""")
                .bindList("members", members)
                .map((rs, ctx) -> new Change.MemberTag(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3),
                        rs.getObject(4, OffsetDateTime.class), rs.getString(5), rs.getString(6), rs.getLong(7)))
                .list();
    }
}
