package dev.counterpoint.loyalty;

import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.store.Ids;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Stored value (储值) in fen, append-only like points. */
public final class StoredValueLedger {
    /** {@link #balanceFen} as a column of a statement that reads the member row {@code m}: a scan reads it with the member. */
    public static final String BALANCE_OF_MEMBER = "(SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = m.id)";

    public long balanceFen(Handle h, UUID memberId) {
        return h.createQuery("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = :m")
                .bind("m", memberId).mapTo(Long.class).one();
    }

    public UUID append(Handle h, UUID memberId, long deltaFen, StoredValueKind kind, UUID refId, OffsetDateTime at, long hlc) {
        UUID id = Ids.next();
        h.createUpdate("""
                INSERT INTO sv_entry(id, member_id, delta_fen, kind, ref_id, created_at, hlc)
                VALUES (:id, :member, :delta, :kind, :ref, :at, :hlc)""")
                .bind("id", id).bind("member", memberId).bind("delta", deltaFen).bind("kind", kind.name())
                .bind("ref", refId).bind("at", at.withOffsetSameInstant(ZoneOffset.UTC)).bind("hlc", hlc)
                .execute();
        return id;
    }
}
