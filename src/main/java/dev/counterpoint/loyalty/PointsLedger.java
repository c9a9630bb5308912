package dev.counterpoint.loyalty;

import dev.counterpoint.store.Ids;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Points are never updated in place: every change is an entry and the balance is their sum. */
public final class PointsLedger {

    public enum Kind { OPENING, EARN, SPEND, EXPIRE, REVERSE, ADJUST }

    public long balance(Handle h, UUID memberId) {
        return h.createQuery("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = :m")
                .bind("m", memberId).mapTo(Long.class).one();
    }

    public UUID append(Handle h, UUID memberId, long delta, Kind kind, LocalDate lotExpiresOn, UUID refId,
                       OffsetDateTime at, long hlc) {
        UUID id = Ids.next();
        h.createUpdate("""
                INSERT INTO points_entry(id, member_id, delta, kind, lot_expires_on, ref_id, created_at, hlc)
                VALUES (:id, :member, :delta, :kind, :expires, :ref, :at, :hlc)""")
                .bind("id", id).bind("member", memberId).bind("delta", delta).bind("kind", kind.name())
                .bind("expires", lotExpiresOn).bind("ref", refId)
                .bind("at", at.withOffsetSameInstant(ZoneOffset.UTC)).bind("hlc", hlc)
                .execute();
        return id;
    }
}
