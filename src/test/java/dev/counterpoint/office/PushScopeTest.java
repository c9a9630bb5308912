package dev.counterpoint.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.testing.OfficePostgres;
import java.util.List;
import java.util.function.Supplier;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The push's deferred inserts and per-event savepoints, on H2 and on PostgreSQL. */
class PushScopeTest {
    private static final String INSERT = "INSERT INTO t(id, note) VALUES (?, ?)";
    private static int databases;

    private static List<Supplier<OfficeDatabase>> databases() {
        return List.of(() -> {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:push-scope-" + ++databases + ";DB_CLOSE_DELAY=-1");
            return OfficeDatabase.of(ds);
        }, OfficePostgres::freshDatabase);
    }

    @Test
    void aStatementNamingATableSeesItsQueuedRowsAndOthersLeaveThemQueued() throws Exception {
        for (Supplier<OfficeDatabase> database : databases()) {
            try (OfficeDatabase db = database.get()) {
                Jdbi jdbi = db.jdbi();
                jdbi.useHandle(h -> h.execute("CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(10))"));
                jdbi.useTransaction(h -> {
                    try (PushScope scope = PushScope.open(h, true)) {
                        PushScope.insert(h, INSERT, 1, "a");
                        assertThat(h.createQuery("SELECT COUNT(*) FROM feed_lock").mapTo(Long.class).one()).isEqualTo(1);
                        assertThat(countBypassingTheScope(h)).isZero();
                        assertThat(count(h)).isEqualTo(1);
                        assertThat(countBypassingTheScope(h)).isEqualTo(1);
                        PushScope.insert(h, INSERT, 2, "b");
                        scope.flush();
                        assertThat(count(h)).isEqualTo(2);
                    }
                });
                assertThat(countOutside(jdbi)).isEqualTo(2);
            }
        }
    }

    /**
     * An event that fails after a statement sent earlier events' rows with its own: its savepoint undoes its rows and
     * theirs, its queued rows are dropped, and theirs are queued again, so the batch keeps exactly the earlier events.
     */
    @Test
    void aFailedEventLosesItsOwnRowsOnlyThoughEarlierOnesWereSentWithThem() {
        for (Supplier<OfficeDatabase> database : databases()) {
            try (OfficeDatabase db = database.get()) {
                Jdbi jdbi = db.jdbi();
                jdbi.useHandle(h -> h.execute("CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(10))"));
                jdbi.useTransaction(h -> {
                    try (PushScope scope = PushScope.open(h, true)) {
                        scope.beginEvent();
                        PushScope.insert(h, INSERT, 1, "first");
                        scope.eventApplied();

                        scope.beginEvent();
                        PushScope.insert(h, INSERT, 2, "second");
                        assertThat(count(h)).isEqualTo(2); // sends both, after the second event's savepoint
                        PushScope.insert(h, INSERT, 3, "second");
                        // A statement the database refuses, as a row that does not fit its column would be.
                        assertThatThrownBy(() -> h.execute("INSERT INTO t(id, note) VALUES (4, 'far too long a note')"))
                                .isInstanceOf(RuntimeException.class);
                        scope.eventFailed();

                        scope.beginEvent();
                        PushScope.insert(h, INSERT, 5, "third");
                        scope.eventApplied();
                        scope.flush();
                    }
                });
                List<Integer> kept = jdbi.withHandle(h -> h.createQuery("SELECT id FROM t ORDER BY id").mapTo(Integer.class).list());
                assertThat(kept).containsExactly(1, 5);
            }
        }
    }

    /** A queued row the database refuses fails the whole push: the batch cannot say whose row it was. */
    @Test
    void aRefusedQueuedRowFailsThePushAsAWriteFailure() {
        for (Supplier<OfficeDatabase> database : databases()) {
            try (OfficeDatabase db = database.get()) {
                Jdbi jdbi = db.jdbi();
                jdbi.useHandle(h -> h.execute("CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(10))"));
                assertThatThrownBy(() -> jdbi.useTransaction(h -> {
                    try (PushScope scope = PushScope.open(h, true)) {
                        scope.beginEvent();
                        PushScope.insert(h, INSERT, 1, "a");
                        PushScope.insert(h, INSERT, 1, "again");
                        scope.eventApplied();
                        scope.flush();
                    }
                })).satisfies(e -> assertThat(PushScope.writeFailure(e)).isPresent());
                assertThat(countOutside(jdbi)).isZero();
            }
        }
    }

    private static long count(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM t").mapTo(Long.class).one();
    }

    private static long countBypassingTheScope(Handle h) throws java.sql.SQLException {
        try (var st = h.getConnection().createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long countOutside(Jdbi jdbi) {
        return jdbi.withHandle(PushScopeTest::count);
    }
}
