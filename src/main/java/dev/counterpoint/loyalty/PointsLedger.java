package dev.counterpoint.loyalty;

import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.JdbcBatch;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Points are never updated in place: every change is an entry and the balance is their sum. Earning opens
 * a lot with an expiry date; spending takes from the oldest lots first with one SPEND entry per lot; an
 * expired lot is closed by an EXPIRE entry, so the ledger always explains the balance.
 */
public final class PointsLedger {

    public long balance(Handle h, UUID memberId) {
        return h.createQuery("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = :m")
                .bind("m", memberId).mapTo(Long.class).one();
    }

    private static final String INSERT = """
            INSERT INTO points_entry(id, member_id, delta, kind, lot_expires_on, ref_id, created_at, hlc)
            VALUES (:id, :member, :delta, :kind, :expires, :ref, :at, :hlc)""";
    private static final String INSERT_BY_POSITION = INSERT.replaceAll(":[a-z]+", "?");

    /** Entries written in JDBC batches on the handle's connection, in its transaction: an import's opening lots. */
    public static final class Appends extends JdbcBatch.Rows {
        private Appends(Handle h) {
            super(h, INSERT_BY_POSITION);
        }

        /** As {@link PointsLedger#append(Handle, UUID, UUID, long, PointsKind, LocalDate, UUID, OffsetDateTime, long)}. */
        public void add(UUID id, UUID memberId, long delta, PointsKind kind, LocalDate lotExpiresOn, UUID refId,
                        OffsetDateTime at, long hlc) {
            batch.add(id, memberId, delta, kind.name(), lotExpiresOn, refId, at, hlc);
        }
    }

    public Appends appends(Handle h) {
        return new Appends(h);
    }

    public UUID append(Handle h, UUID memberId, long delta, PointsKind kind, LocalDate lotExpiresOn, UUID refId,
                       OffsetDateTime at, long hlc) {
        return append(h, Ids.next(), memberId, delta, kind, lotExpiresOn, refId, at, hlc);
    }

    /**
     * As {@link #append(Handle, UUID, long, PointsKind, LocalDate, UUID, OffsetDateTime, long)} with the entry's id
     * chosen beforehand: a refund works out the lots it takes points from, those it opens among them, before it writes.
     */
    public UUID append(Handle h, UUID id, UUID memberId, long delta, PointsKind kind, LocalDate lotExpiresOn, UUID refId,
                       OffsetDateTime at, long hlc) {
        h.createUpdate(INSERT)
                .bind("id", id).bind("member", memberId).bind("delta", delta).bind("kind", kind.name())
                .bind("expires", lotExpiresOn).bind("ref", refId)
                .bind("at", at.withOffsetSameInstant(ZoneOffset.UTC)).bind("hlc", hlc)
                .execute();
        return id;
    }

    /** The member's open lots, oldest first. */
    public List<PointLots.Lot> lots(Handle h, UUID memberId) {
        return PointLots.replay(entries(h, memberId));
    }

    /** The member's open lots and balance, from one read of the ledger. */
    public record Account(List<PointLots.Lot> lots, long balance) {
    }

    /** {@link #lots} and {@link #balance} together: the balance is the sum of the same entries. */
    public Account account(Handle h, UUID memberId) {
        List<PointLots.Entry> entries = entries(h, memberId);
        return new Account(PointLots.replay(entries), entries.stream().mapToLong(PointLots.Entry::delta).sum());
    }

    private static List<PointLots.Entry> entries(Handle h, UUID memberId) {
        return h.createQuery("""
                SELECT id, delta, lot_expires_on, ref_id FROM points_entry WHERE member_id = :m ORDER BY created_at, id""")
                .bind("m", memberId)
                .map((rs, ctx) -> new PointLots.Entry(rs.getObject("id", UUID.class), rs.getLong("delta"),
                        rs.getObject("lot_expires_on", LocalDate.class), rs.getObject("ref_id", UUID.class)))
                .list();
    }

    /** Spends points from the oldest usable lots, one SPEND entry per lot; returns the entry ids. */
    public List<UUID> spend(Handle h, UUID memberId, long points, LocalDate today, OffsetDateTime at, long hlc) {
        return spend(h, memberId, lots(h, memberId), points, today, at, hlc).stream().map(Event.SpendEntry::entryId).toList();
    }

    /**
     * As {@link #spend(Handle, UUID, long, LocalDate, OffsetDateTime, long)}, from the member's open lots as just read
     * in the same transaction (under the member's lock), the entries written in one batch; returns each entry as events
     * carry it, so nothing is read again.
     */
    public List<Event.SpendEntry> spend(Handle h, UUID memberId, List<PointLots.Lot> lots, long points, LocalDate today,
                                        OffsetDateTime at, long hlc) {
        List<Event.SpendEntry> spent = new ArrayList<>();
        PreparedBatch batch = h.prepareBatch(INSERT);
        for (Map.Entry<PointLots.Lot, Long> take : PointLots.allocate(lots, points, today)) {
            UUID id = Ids.next();
            batch.bind("id", id).bind("member", memberId).bind("delta", -take.getValue())
                    .bind("kind", PointsKind.SPEND.name()).bind("expires", (LocalDate) null).bind("ref", take.getKey().id())
                    .bind("at", at.withOffsetSameInstant(ZoneOffset.UTC)).bind("hlc", hlc).add();
            spent.add(new Event.SpendEntry(id, -take.getValue(), take.getKey().id()));
        }
        if (batch.size() > 0) {
            batch.execute();
        }
        return spent;
    }

    /** The given entries as events carry them: entry_id, delta and the lot they name (lot_id, or null). */
    public List<Event.SpendEntry> describe(Handle h, List<UUID> ids) {
        List<Event.SpendEntry> out = new ArrayList<>();
        for (UUID id : ids) {
            h.createQuery("SELECT delta, ref_id FROM points_entry WHERE id = :id").bind("id", id)
                    .map((rs, ctx) -> new Event.SpendEntry(id, rs.getLong("delta"), rs.getObject("ref_id", UUID.class)))
                    .findOne().ifPresent(out::add);
        }
        return out;
    }

    /** Points earned (EARN entries) in a period: the tier figure when tiers are measured in points. */
    public long earnedBetween(Handle h, UUID memberId, OffsetDateTime since, OffsetDateTime until) {
        return h.createQuery("""
                SELECT COALESCE(SUM(delta), 0) FROM points_entry
                WHERE member_id = :m AND kind = 'EARN' AND created_at >= :since AND created_at <= :until""")
                .bind("m", memberId).bind("since", since.withOffsetSameInstant(ZoneOffset.UTC))
                .bind("until", until.withOffsetSameInstant(ZoneOffset.UTC)).mapTo(Long.class).one();
    }
}
