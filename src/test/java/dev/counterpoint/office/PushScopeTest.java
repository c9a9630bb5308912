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

/** The push's queued inserts, and how a failed event is undone batched and row by row, on H2 and on PostgreSQL. */
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

    /** Rows go out many to a statement: every value, nulls of any column type included, arrives as it was queued. */
    @Test
    void manyRowsGoOutManyToAStatementAsQueued() {
        for (Supplier<OfficeDatabase> database : databases()) {
            try (OfficeDatabase db = database.get()) {
                Jdbi jdbi = db.jdbi();
                jdbi.useHandle(h -> h.execute("CREATE TABLE many (id INT PRIMARY KEY, on_day DATE, ref UUID, at TIMESTAMP WITH TIME ZONE NOT NULL)"));
                int rows = PushScope.ROWS_PER_INSERT * 2 + 7; // two statements of many rows, then seven one by one
                java.time.OffsetDateTime at = java.time.OffsetDateTime.parse("2026-03-10T10:00:00+08:00");
                jdbi.useTransaction(h -> {
                    try (PushScope scope = PushScope.open(h, true)) {
                        for (int i = 0; i < rows; i++) {
                            // The first statement's rows have no day and no ref at all.
                            boolean some = i >= PushScope.ROWS_PER_INSERT && i % 2 == 0;
                            PushScope.insert(h, """
                                    INSERT INTO many(id, on_day, ref, at)
                                    VALUES (?, ?, ?, ?)""", i, some ? java.time.LocalDate.of(2026, 1, 1).plusDays(i) : null,
                                    some ? new java.util.UUID(0, i) : null, at.plusMinutes(i));
                        }
                        scope.flush();
                    }
                });
                long all = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM many").mapTo(Long.class).one());
                long withDay = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM many WHERE on_day IS NOT NULL AND ref IS NOT NULL")
                        .mapTo(Long.class).one());
                int last = rows - 1;
                java.time.LocalDate day = jdbi.withHandle(h -> h.createQuery("SELECT on_day FROM many WHERE id = :i").bind("i", last)
                        .mapTo(java.time.LocalDate.class).one());
                java.time.OffsetDateTime lastAt = jdbi.withHandle(h -> h.createQuery("SELECT at FROM many WHERE id = :i").bind("i", last)
                        .mapTo(java.time.OffsetDateTime.class).one());
                assertThat(all).isEqualTo(rows);
                assertThat(withDay).isEqualTo((rows - PushScope.ROWS_PER_INSERT + 1) / 2);
                assertThat(day).isEqualTo(java.time.LocalDate.of(2026, 1, 1).plusDays(last));
                assertThat(lastAt.toInstant()).isEqualTo(at.plusMinutes(last).toInstant());
            }
        }
    }

    /** Batched, an event rejected before it wrote anything just loses the rows it queued. */
    @Test
    void batchedAnEventRejectedBeforeWritingLosesItsQueuedRowsOnly() {
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
                        h.createQuery("SELECT COUNT(*) FROM feed_lock").mapTo(Long.class).one();
                        scope.eventFailed(new Projector.Unusable("a check failed"));

                        scope.beginEvent();
                        PushScope.insert(h, INSERT, 3, "third");
                        scope.eventApplied();
                        scope.flush();
                    }
                });
                List<Integer> kept = jdbi.withHandle(h -> h.createQuery("SELECT id FROM t ORDER BY id").mapTo(Integer.class).list());
                assertThat(kept).containsExactly(1, 3);
            }
        }
    }

    /**
     * Batched, an event that fails after writing (here its queued rows were sent by a statement naming their table)
     * cannot be undone alone: the push is to be applied again row by row.
     */
    @Test
    void batchedAnEventThatFailsAfterWritingAsksForTheRowByRowPush() {
        for (Supplier<OfficeDatabase> database : databases()) {
            try (OfficeDatabase db = database.get()) {
                Jdbi jdbi = db.jdbi();
                jdbi.useHandle(h -> h.execute("CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(10))"));
                assertThatThrownBy(() -> jdbi.useTransaction(h -> {
                    try (PushScope scope = PushScope.open(h, true)) {
                        scope.beginEvent();
                        PushScope.insert(h, INSERT, 1, "first");
                        assertThat(count(h)).isEqualTo(1);
                        scope.eventFailed(new Projector.Unusable("a check failed"));
                    }
                })).satisfies(e -> assertThat(PushScope.redo(e)).isPresent());
                assertThat(countOutside(jdbi)).isZero();
            }
        }
    }

    /**
     * Row by row, an event that fails after writing is undone alone by the savepoint taken before its first statement,
     * the statement the database refused included.
     */
    @Test
    void rowByRowAFailedEventIsUndoneAloneByItsSavepoint() {
        for (Supplier<OfficeDatabase> database : databases()) {
            try (OfficeDatabase db = database.get()) {
                Jdbi jdbi = db.jdbi();
                jdbi.useHandle(h -> h.execute("CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(10))"));
                jdbi.useTransaction(h -> {
                    try (PushScope scope = PushScope.open(h, false)) {
                        scope.beginEvent();
                        PushScope.insert(h, INSERT, 1, "first");
                        scope.eventApplied();

                        scope.beginEvent();
                        PushScope.insert(h, INSERT, 2, "second");
                        RuntimeException refused = catchRuntime(() -> h.execute("INSERT INTO t(id, note) VALUES (3, 'far too long a note')"));
                        scope.eventFailed(refused);

                        scope.beginEvent();
                        PushScope.insert(h, INSERT, 4, "third");
                        scope.eventApplied();
                        scope.flush();
                    }
                });
                List<Integer> kept = jdbi.withHandle(h -> h.createQuery("SELECT id FROM t ORDER BY id").mapTo(Integer.class).list());
                assertThat(kept).containsExactly(1, 4);
            }
        }
    }

    /** Batched, a queued row the database refuses asks for the row-by-row push: the batch cannot say whose row it was. */
    @Test
    void batchedARefusedQueuedRowAsksForTheRowByRowPush() {
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
                })).satisfies(e -> assertThat(PushScope.redo(e)).isPresent());
                assertThat(countOutside(jdbi)).isZero();
            }
        }
    }

    private static RuntimeException catchRuntime(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("the database took it");
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
