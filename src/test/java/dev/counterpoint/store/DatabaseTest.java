package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.command.Command;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
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

    /**
     * H2 keeps parsed statements per session, but a rollback empties that cache; a pool that rolls back each
     * connection it hands out (H2's own does) made every statement of a scan be parsed again at every use.
     */
    @Test
    void aStatementParsedOnceIsReusedByTheNextUseOfThePool() throws Exception {
        String sql = "SELECT member_id FROM member_code WHERE code = ?";
        try (Database db = Database.open(dir)) {
            Command first = db.jdbi().<Command, java.sql.SQLException>withHandle(h -> {
                Command c = session(h).prepareLocal(sql);
                c.close(); // done with, as a closed JDBC statement leaves it
                return c;
            });
            Command next = db.jdbi().<Command, java.sql.SQLException>withHandle(h -> session(h).prepareLocal(sql));

            assertThat(next).isSameAs(first);
        }
    }

    private static SessionLocal session(org.jdbi.v3.core.Handle h) throws java.sql.SQLException {
        return (SessionLocal) h.getConnection().unwrap(JdbcConnection.class).getSession();
    }

    /**
     * Closing touches no connection of the closed database: H2 reports each such use ("Database is already closed") in
     * its trace file, which the terminal's own file keeps off, so this one is on.
     */
    @Test
    void closingUsesNoConnectionOfTheClosedDatabase() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("traced") + ";TRACE_LEVEL_FILE=1;DB_CLOSE_ON_EXIT=FALSE;DB_CLOSE_DELAY=-1";
        for (int run = 0; run < 2; run++) {
            try (Database db = Database.atUrl(url, "")) {
                long templates = db.jdbi().<Long, RuntimeException>withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM coupon_template").mapTo(Long.class).one());
                assertThat(templates).isEqualTo(db.queryLong("SELECT COUNT(*) FROM coupon_template"));
            }
        }

        Path trace = dir.resolve("traced.trace.db");
        assertThat(Files.exists(trace) ? Files.readString(trace) : "").doesNotContain("already closed");
    }

    @Test
    void aSecondProcessIsRefusedWhileTheTerminalHasTheDatabaseOpen() throws Exception {
        try (Database db = Database.open(dir)) {
            db.jdbi().useHandle(h -> h.execute("SELECT 1")); // the handle is closed again: the file must stay locked
            Process other = new ProcessBuilder(dev.counterpoint.testing.ChildJvm.command("dev.counterpoint.main.Main",
                    "--data-dir", dir.toString(), "lookup", "2900000000018"))
                    .redirectErrorStream(true).start();
            String output = new String(other.getInputStream().readAllBytes());
            assertThat(other.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            assertThat(other.exitValue()).as(output).isEqualTo(dev.counterpoint.cli.ExitCodes.UNAVAILABLE);
            assertThat(output).contains("counterpoint: the database is already open in another Counterpoint window or process");
        }
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
