package dev.counterpoint.member;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.Erasure;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Erases a member's personal data at this terminal (decision 0044), in the caller's transaction: the name (and its
 * search pieces), phone hash, sealed phone, mask and last four digits, birthday, consent, custom tags, the items of their purchases,
 * and the same in every event of theirs the outbox holds, sent or not ({@link Erasure#scrubEvent}) and in changes
 * parked here. The row stays, with status ERASED, its id, card code, home store, tier and enrolment time, so the
 * ledgers (points, stored value, coupons, purchase totals) still add up and the card is known to be erased.
 */
public final class MemberErasure {
    private final ObjectMapper json;

    public MemberErasure(ObjectMapper json) {
        this.json = json;
    }

    /** Erases one member row and what refers to it; a member erased before keeps its first erasure time. */
    public void erase(Handle h, UUID memberId, OffsetDateTime at) {
        h.createUpdate("""
                UPDATE member SET display_name = '', name_search = '', phone_hmac = NULL, phone_sealed = NULL,
                                  phone_masked = NULL, phone_last4 = NULL, birthday = NULL, status = 'ERASED',
                                  erased_at = COALESCE(erased_at, :at)
                WHERE id = :m""")
                .bind("m", memberId).bind("at", at.withOffsetSameInstant(ZoneOffset.UTC)).execute();
        h.createUpdate("DELETE FROM member_name_gram WHERE member_id = :m").bind("m", memberId).execute();
        h.createUpdate("DELETE FROM member_field_hlc WHERE member_id = :m AND field <> 'tier'").bind("m", memberId).execute();
        h.createUpdate("DELETE FROM member_consent WHERE member_id = :m").bind("m", memberId).execute();
        h.createUpdate("DELETE FROM member_tag WHERE member_id = :m").bind("m", memberId).execute();
        h.createUpdate("DELETE FROM purchase_line WHERE purchase_id IN (SELECT id FROM purchase WHERE member_id = :m)")
                .bind("m", memberId).execute();
        scrubOutbox(h, memberId);
        scrubParked(h, memberId);
    }

    /** The member and the members merged into it here (aliases), which are the same person's records. */
    public static List<UUID> withAliases(Handle h, UUID memberId) {
        List<UUID> ids = new java.util.ArrayList<>();
        ids.add(memberId);
        ids.addAll(h.createQuery("SELECT alias_id FROM member_alias WHERE survivor_id = :m ORDER BY alias_id")
                .bind("m", memberId).mapTo(UUID.class).list());
        return ids;
    }

    private void scrubOutbox(Handle h, UUID memberId) {
        // Events restored from head office (decision 0036) carry no aggregate id: those are found by their payload.
        PreparedBatch update = h.prepareBatch("UPDATE outbox_event SET payload = :p WHERE event_id = :id");
        h.createQuery("""
                SELECT event_id, type, payload FROM outbox_event
                WHERE aggregate_id = :m OR aggregate_id IS NULL AND payload LIKE :like""")
                .bind("m", memberId).bind("like", "%" + memberId + "%")
                .map((rs, ctx) -> new Stored(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3))).list()
                .forEach(e -> scrubbed(e, memberId).ifPresent(p -> update.bind("p", p).bind("id", e.id()).add()));
        if (update.size() > 0) {
            update.execute();
        }
    }

    /** Changes parked here that name the member keep their reason; their payload goes. */
    private static void scrubParked(Handle h, UUID memberId) {
        h.createUpdate("UPDATE parked_change SET payload = :p WHERE payload LIKE :like")
                .bind("p", "{\"erased\":true,\"member_id\":\"" + memberId + "\"}")
                .bind("like", "%" + memberId + "%").execute();
    }

    private record Stored(UUID id, String type, String payload) {
    }

    private Optional<String> scrubbed(Stored e, UUID memberId) {
        JsonNode payload;
        try {
            payload = json.readTree(e.payload());
        } catch (JsonProcessingException ex) {
            return Optional.of("{\"erased\":true,\"member_id\":\"" + memberId + "\"}");
        }
        if (!Erasure.memberOf(payload).map(memberId::equals).orElse(false)) {
            return Optional.empty(); // another member's event that merely mentions this one (a merge)
        }
        return Erasure.scrubEvent(e.type(), payload).map(JsonNode::toString);
    }
}
