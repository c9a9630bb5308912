package dev.counterpoint.office;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.testing.OfficePostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Upgrading a PostgreSQL head office whose changes still waited for their number: they are numbered after the last
 * number, in the order of their transactions and places, and the changes written afterwards come after them.
 */
class FeedNumberingMigrationPostgresTest {
    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-03-10T10:00:00Z");

    @Test
    void changesWaitingForTheirNumberAreNumberedOnUpgradeAndLaterOnesComeAfterThem() throws SQLException {
        String url = OfficePostgres.freshEmptyDatabaseUrl();
        Flyway.configure().dataSource(url, "postgres", null)
                .locations("classpath:db/office", "classpath:db/office-postgresql").target("20.1").load().migrate();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            s.execute("INSERT INTO change_log(seq, kind, payload, created_at) VALUES (1, 'coupon.voided', '{}', now()),"
                    + " (2, 'coupon.voided', '{}', now())");
            s.execute("UPDATE feed_lock SET last_seq = 2 WHERE id = 1");
            // Written by two transactions still waiting when the old version stopped, out of order on disk.
            s.execute("INSERT INTO change_pending(tx, k, target_store, kind, payload, created_at, member_id) VALUES"
                    + " (900, 0, 'S001', 'member.tag', '{}', now(), '" + third + "'),"
                    + " (800, 1, NULL, 'member.tag', '{}', now(), '" + second + "'),"
                    + " (800, 0, NULL, 'member.tag', '{}', now(), '" + first + "')");
        }
        try (OfficeDatabase db = OfficePostgres.opened(url)) {
            List<UUID> numbered = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT member_id FROM change_log WHERE seq > 2 ORDER BY seq").mapTo(UUID.class).list());
            assertThat(numbered).containsExactly(first, second, third);
            long max = db.jdbi().withHandle(h -> h.createQuery("SELECT MAX(seq) FROM change_log").mapTo(Long.class).one());
            assertThat(max).isEqualTo(5);
            long pendingTables = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'change_pending'").mapTo(Long.class).one());
            assertThat(pendingTables).isZero();
            assertThat(db.jdbi().withHandle(FeedWriter::end)).isGreaterThanOrEqualTo(5);

            UUID later = UUID.randomUUID();
            long seq = db.jdbi().inTransaction(h -> {
                ChainLocks.push(h, Set.of(ChainLocks.terminal(new TerminalIdentity("S001", "T1")), ChainLocks.member(later)));
                FeedWriter.forPush(h, ProtocolJson.newMapper(), NOW, null, -1)
                        .append(new Change.MemberTag(later, "VIP", true, NOW, "S001", null, 1), null);
                return h.createQuery("SELECT seq FROM change_log WHERE member_id = :m").bind("m", later).mapTo(Long.class).one();
            });
            assertThat(seq).isGreaterThan(5).isLessThanOrEqualTo(db.jdbi().withHandle(FeedWriter::end));
        }
    }
}
