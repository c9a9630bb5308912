package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void aFileCompactedAtCloseIsSmallerAndHoldsEveryRow() throws Exception {
        Path plain = dir.resolve("plain");
        Path compacted = dir.resolve("compacted");
        for (Path store : List.of(plain, compacted)) {
            try (Database db = Database.open(store)) {
                db.jdbi().useHandle(h -> h.execute("CREATE TABLE bulk(id INT PRIMARY KEY, code VARCHAR(40) NOT NULL UNIQUE)"));
                // Many small commits with keys in no order rewrite the same pages again and again, as an import's do.
                for (int batch = 0; batch < 200; batch++) {
                    int first = batch * 100;
                    db.jdbi().useTransaction(h -> {
                        for (int i = first; i < first + 100; i++) {
                            h.execute("INSERT INTO bulk(id, code) VALUES (?, ?)", i, "C" + Integer.toHexString(i * 7919));
                        }
                    });
                }
                if (store.equals(compacted)) {
                    db.compactWhenClosed();
                }
            }
        }
        long plainBytes = Files.size(plain.resolve("db/counterpoint.mv.db"));
        long compactedBytes = Files.size(compacted.resolve("db/counterpoint.mv.db"));
        assertThat(compactedBytes).isLessThan(plainBytes / 2);
        try (Database db = Database.open(compacted)) {
            assertThat(db.queryLong("SELECT COUNT(*) FROM bulk")).isEqualTo(20_000);
        }
    }

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
