package dev.counterpoint.member;

import dev.counterpoint.audit.AuditAction;
import dev.counterpoint.audit.AuditLog;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.TagName;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Outbox;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A member's custom tags at this terminal ({@code member_tag}; decision 0077): a manager turns a tag on or off, and the
 * change travels to head office as {@code member.tagged}, where the latest change of each (member, tag) by HLC wins, as
 * for a consent channel; head office's winning state comes back through the change feed ({@link #applyPulled}).
 */
public final class MemberTags {
    private final Jdbi jdbi;
    private final MemberRepository members;
    private final Outbox outbox;
    private final AuditLog audit;
    private final Hlc hlc;
    private final Clock clock;
    private final String storeId;

    public MemberTags(Jdbi jdbi, MemberRepository members, Outbox outbox, AuditLog audit, Hlc hlc, Clock clock,
                      String storeId) {
        this.jdbi = jdbi;
        this.members = members;
        this.outbox = outbox;
        this.audit = audit;
        this.hlc = hlc;
        this.clock = clock;
        this.storeId = storeId;
    }

    /** A tag's state as held here. */
    public record TagRow(String tag, boolean on, OffsetDateTime setAt, String storeId, String staffId, long hlc) {
    }

    /** What {@link #set} did: whether it wrote anything, and the member's tags that are on afterwards. */
    public record Outcome(String tag, boolean changed, List<String> tags) {
    }

    /** The member's custom tags that are on, in name order. */
    public List<String> of(UUID memberId) {
        return jdbi.withHandle(h -> on(h, memberId));
    }

    /**
     * {@link #on} as a column of a statement that reads the member row {@code m}: an array, null when none is on
     * (read by {@link #fromColumn}).
     */
    public static final String ON_OF_MEMBER =
            "(SELECT ARRAY_AGG(tag ORDER BY tag) FROM member_tag WHERE member_id = m.id AND tag_on)";

    /** The tags of an {@link #ON_OF_MEMBER} column. */
    public static List<String> fromColumn(java.sql.Array column) throws java.sql.SQLException {
        if (column == null) {
            return List.of();
        }
        Object[] tags = (Object[]) column.getArray();
        String[] out = new String[tags.length];
        for (int i = 0; i < tags.length; i++) {
            out[i] = (String) tags[i];
        }
        return List.of(out);
    }

    /** The member's custom tags that are on, in name order. */
    public static List<String> on(Handle h, UUID memberId) {
        return h.createQuery("SELECT tag FROM member_tag WHERE member_id = :m AND tag_on ORDER BY tag")
                .bind("m", memberId).mapTo(String.class).list();
    }

    /**
     * Turns {@code rawTag} on or off for the member, as {@code manager} (whose PIN was just checked) asked: the row, the
     * {@code member.tagged} event and the {@code MEMBER_TAGGED} audit entry in one transaction. Turning on a tag already
     * on, or off one not on, writes nothing.
     */
    public Outcome set(UUID memberId, String rawTag, boolean on, Staff manager) {
        if (manager == null || !manager.may(StaffRole.MANAGER)) {
            throw new BusinessRuleException("tags.error.managerOnly");
        }
        String tag = valid(rawTag);
        return jdbi.inTransaction(h -> {
            members.lockForAction(h, memberId);
            List<String> held = on(h, memberId);
            if (held.contains(tag) == on) {
                return new Outcome(tag, false, held);
            }
            if (on && held.size() >= TagName.MAX_PER_MEMBER) {
                throw new BusinessRuleException("tags.error.tooMany", TagName.MAX_PER_MEMBER);
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            write(h, memberId, new TagRow(tag, on, now, storeId, manager.id(), hlc.now()));
            outbox.append(h, new Event.MemberTagged(memberId, tag, on, now, manager.id()));
            String card = h.createQuery("SELECT code FROM member_code WHERE member_id = :m AND kind = 'CARD' ORDER BY code LIMIT 1")
                    .bind("m", memberId).mapTo(String.class).findOne().orElse(memberId.toString());
            audit.append(h, manager.id(), AuditAction.MEMBER_TAGGED, card, Map.of("tag", tag, "on", Boolean.toString(on)));
            return new Outcome(tag, true, on(h, memberId));
        });
    }

    /** A tag as typed, in its normal form, or a {@link BusinessRuleException} saying what is wrong with it. */
    public static String valid(String rawTag) {
        String tag = TagName.normalise(rawTag);
        TagName.problem(tag).ifPresent(p -> {
            throw switch (p) {
                case EMPTY -> new BusinessRuleException("tags.error.empty");
                case TOO_LONG -> new BusinessRuleException("tags.error.tooLong", TagName.MAX_LENGTH);
                case CHARACTERS -> new BusinessRuleException("tags.error.characters");
                case AUTOMATIC -> new BusinessRuleException("tags.error.automatic", tag);
            };
        });
        return tag;
    }

    /** Head office's winning state of one tag; a newer change made here (not yet pushed) is kept. */
    public static void applyPulled(Handle h, UUID memberId, TagRow row) {
        Long local = h.createQuery("SELECT hlc FROM member_tag WHERE member_id = :m AND tag = :t")
                .bind("m", memberId).bind("t", row.tag()).mapTo(Long.class).findOne().orElse(null);
        if (local == null || row.hlc() >= local) {
            write(h, memberId, row);
        }
    }

    private static void write(Handle h, UUID memberId, TagRow r) {
        h.createUpdate("DELETE FROM member_tag WHERE member_id = :m AND tag = :t").bind("m", memberId).bind("t", r.tag())
                .execute();
        h.createUpdate("""
                INSERT INTO member_tag(member_id, tag, tag_on, set_at, store_id, staff_id, hlc)
                VALUES (:m, :t, :on, :at, :store, :staff, :hlc)""")
                .bind("m", memberId).bind("t", r.tag()).bind("on", r.on())
                .bind("at", r.setAt().withOffsetSameInstant(ZoneOffset.UTC)).bind("store", r.storeId())
                .bind("staff", r.staffId()).bind("hlc", r.hlc()).execute();
    }
}
