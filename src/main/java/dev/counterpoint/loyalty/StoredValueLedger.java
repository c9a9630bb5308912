package dev.counterpoint.loyalty;

import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.JdbcBatch;
import java.time.OffsetDateTime;
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
        try (Appends one = appends(h)) {
            one.add(id, memberId, deltaFen, kind, refId, at, hlc);
            one.flush();
        }
        return id;
    }

    private static final String INSERT = """
            INSERT INTO sv_entry(id, member_id, delta_fen, kind, ref_id, created_at, hlc)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    /** Entries written in JDBC batches on the handle's connection, in its transaction: an import's opening balances. */
    public static final class Appends extends JdbcBatch.Rows {
        private Appends(Handle h) {
            super(h, INSERT);
        }

        public void add(UUID id, UUID memberId, long deltaFen, StoredValueKind kind, UUID refId, OffsetDateTime at,
                        long hlc) {
            batch.add(id, memberId, deltaFen, kind.name(), refId, at, hlc);
        }
    }

    public Appends appends(Handle h) {
        return new Appends(h);
    }
}
