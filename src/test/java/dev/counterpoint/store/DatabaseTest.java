package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void createsMigratesAndReopensTheFileDatabase() {
        try (Database db = Database.open(dir)) {
            assertThat(db.jdbi().<Integer, RuntimeException>withHandle(h -> h.createQuery("SELECT COUNT(*) FROM coupon_template").mapTo(Integer.class).one()))
                    .isEqualTo(5);
        }
        try (Database db = Database.open(dir)) {
            assertThat(db.jdbi().<Integer, RuntimeException>withHandle(h -> h.createQuery("SELECT MAX(version) FROM rule_set").mapTo(Integer.class).one()))
                    .isEqualTo(2);
        }
        assertThat(dir.resolve("db/counterpoint.mv.db")).exists();
    }

    @Test
    void aDamagedFileIsExplainedInWordsAStoreCanActOn() throws Exception {
        Files.createDirectories(dir.resolve("db"));
        Files.write(dir.resolve("db/counterpoint.mv.db"), "this is not an H2 database".repeat(200).getBytes());

        assertThatThrownBy(() -> Database.open(dir))
                .isInstanceOf(Database.DatabaseUnavailableException.class)
                .hasMessage("the database file is damaged or encrypted with another key; restore it from a backup");
    }
}
