package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** V29 drops the scale-data mark: a store marked before, such as an existing bench store, migrates and opens without it. */
class FixtureMarkDroppedTest {
    @Test
    void aStoreMarkedAsScaleDataMigratesWithoutTheMark() throws Exception {
        String url = "jdbc:h2:mem:fixture-mark-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url)) {
            Flyway.configure().dataSource(url, "", "").locations("classpath:" + Database.MIGRATIONS).target("28").load()
                    .migrate();
            try (var insert = c.prepareStatement("INSERT INTO fixture_mark(kind, marked_at) VALUES ('SCALE_DATA', ?)")) {
                insert.setObject(1, OffsetDateTime.parse("2026-12-03T22:15:00+08:00"));
                insert.executeUpdate();
            }
            assertThat(tableExists(c, "FIXTURE_MARK")).isTrue();

            Flyway.configure().dataSource(url, "", "").locations("classpath:" + Database.MIGRATIONS).load().migrate();

            assertThat(tableExists(c, "FIXTURE_MARK")).isFalse();
            assertThat(MigrationCheck.upToDate(c, MigrationCheck.bundled(Database.MIGRATIONS))).isTrue();
        }
    }

    private static boolean tableExists(Connection c, String table) throws Exception {
        try (var q = c.prepareStatement(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ?")) {
            q.setString(1, table);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }
}
