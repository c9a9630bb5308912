package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationCheckTest {
    @TempDir
    Path dir;

    private final Map<String, MigrationCheck.Migration> bundled = MigrationCheck.bundled(Database.MIGRATIONS);

    @Test
    void readsTheBundledMigrationsWithFlywaysOwnChecksums() {
        assertThat(bundled).containsKeys("1", "2", "3", "5");
        assertThat(bundled.get("1").description()).isEqualTo("counter schema");
        try (Database db = Database.open(dir)) {
            assertThat(db.jdbi().<Integer, RuntimeException>withHandle(h -> h.createQuery(
                    "SELECT \"checksum\" FROM \"flyway_schema_history\" WHERE \"version\" = '1'").mapTo(Integer.class).one()))
                    .isEqualTo(bundled.get("1").checksum());
        }
    }

    @Test
    void aFreshStoreIsNotUpToDateAndAMigratedOneIs() throws Exception {
        String url = "jdbc:h2:mem:check-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(MigrationCheck.upToDate(c, bundled)).isFalse();
            Flyway.configure().dataSource(url, "", "").locations("classpath:" + Database.MIGRATIONS).load().migrate();
            assertThat(MigrationCheck.upToDate(c, bundled)).isTrue();
        }
    }

    @Test
    void aStoreAheadOfTheBuildOrWithAnEditedMigrationGoesToFlyway() throws Exception {
        String url = "jdbc:h2:mem:check-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url); var s = c.createStatement()) {
            Flyway.configure().dataSource(url, "", "").locations("classpath:" + Database.MIGRATIONS).load().migrate();
            s.execute("INSERT INTO \"flyway_schema_history\" SELECT \"installed_rank\" + 100, '99', 'from a newer build',"
                    + " \"type\", \"script\", \"checksum\", \"installed_by\", \"installed_on\", \"execution_time\", \"success\""
                    + " FROM \"flyway_schema_history\" WHERE \"version\" = '5'");
            assertThat(MigrationCheck.upToDate(c, bundled)).isFalse();

            s.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '99'");
            s.execute("UPDATE \"flyway_schema_history\" SET \"checksum\" = \"checksum\" + 1 WHERE \"version\" = '2'");
            assertThat(MigrationCheck.upToDate(c, bundled)).isFalse();
        }
    }

    @Test
    void anEditedMigrationIsStillRefusedByFlywayAtOpen() throws Exception {
        try (Database db = Database.open(dir)) {
            db.jdbi().useHandle(h -> h.execute(
                    "UPDATE \"flyway_schema_history\" SET \"checksum\" = \"checksum\" + 1 WHERE \"version\" = '2'"));
        }
        assertThatThrownBy(() -> Database.open(dir)).isInstanceOf(Database.DatabaseUnavailableException.class)
                .hasMessageContaining("checksum mismatch");
    }
}
