package dev.counterpoint.member;

import dev.counterpoint.protocol.ConsentChannel;
import dev.counterpoint.store.JdbcBatch;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Consent rows ({@code member_consent}): one per member and channel, the latest by HLC. */
public final class ConsentRepository {

    /** The member's consent, in channel order (channels never recorded are absent). */
    public List<ConsentRecord> of(Handle h, UUID memberId) {
        return h.createQuery("""
                SELECT channel, granted, recorded_at, store_id, terminal_id, staff_id FROM member_consent
                WHERE member_id = :m""")
                .bind("m", memberId)
                .map((rs, ctx) -> new ConsentRecord(ConsentChannel.valueOf(rs.getString(1)), rs.getBoolean(2),
                        rs.getObject(3, OffsetDateTime.class), rs.getString(4), rs.getString(5), rs.getString(6)))
                .list().stream().sorted(java.util.Comparator.comparing(ConsentRecord::channel)).toList();
    }

    /** The HLC a channel was last set at here, or null if never. */
    public Long hlc(Handle h, UUID memberId, ConsentChannel channel) {
        return h.createQuery("SELECT hlc FROM member_consent WHERE member_id = :m AND channel = :c")
                .bind("m", memberId).bind("c", channel.name()).mapTo(Long.class).findOne().orElse(null);
    }

    /** Sets one channel, replacing what was held. */
    public void set(Handle h, UUID memberId, ConsentRecord r, long hlc) {
        h.createUpdate("DELETE FROM member_consent WHERE member_id = :m AND channel = :c")
                .bind("m", memberId).bind("c", r.channel().name()).execute();
        h.createUpdate("""
                INSERT INTO member_consent(member_id, channel, granted, recorded_at, store_id, terminal_id, staff_id, hlc)
                VALUES (:m, :c, :g, :at, :store, :terminal, :staff, :hlc)""")
                .bind("m", memberId).bind("c", r.channel().name()).bind("g", r.granted())
                .bind("at", r.recordedAt().withOffsetSameInstant(ZoneOffset.UTC)).bind("store", r.storeId())
                .bind("terminal", r.terminalId()).bind("staff", r.staffId()).bind("hlc", hlc).execute();
    }

    private static final String INSERT_NEW = """
            INSERT INTO member_consent(member_id, channel, granted, recorded_at, store_id, terminal_id, staff_id, hlc)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";

    /** A new member's first consent rows, written in JDBC batches in the handle's transaction (an import's). */
    public static final class NewConsents extends JdbcBatch.Rows {
        private NewConsents(Handle h) {
            super(h, INSERT_NEW);
        }

        /** One channel of a member that has no consent row yet. */
        public void add(UUID memberId, ConsentRecord r, long hlc) {
            batch.add(memberId, r.channel().name(), r.granted(), r.recordedAt(), r.storeId(), r.terminalId(),
                    r.staffId(), hlc);
        }
    }

    public NewConsents newConsents(Handle h) {
        return new NewConsents(h);
    }

    /** Whether the member consented to marketing on any channel. */
    public static boolean anyMarketing(List<ConsentRecord> consent) {
        return consent.stream().anyMatch(c -> c.channel().marketing() && c.granted());
    }
}
