package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.bench.BenchResults;
import dev.counterpoint.member.Member;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.testing.OfficePostgres;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long a busy store-day (20,000 events: 500 enrolments and 19,500 sales) takes to push to head office over
 * loopback, on H2 and on PostgreSQL, each against a bare batch insert of the same inbox rows into the same database,
 * and of all the rows the push wrote. After a round to warm up, three rounds each, on a fresh head office; the median
 * round by ratio is reported.
 * Runs only with {@code mvn -B -Pbench test -Dtest=StoreDayPushBenchmark}; see docs/benchmarks.md.
 */
class StoreDayPushBenchmark {
    @TempDir
    Path tmp;

    /**
     * Rounds per database, each on a fresh head office ({@code -Dbench.pushRounds}, 3 by default): one round's figures
     * on this shared machine vary by ±30 %.
     */
    private static final int ROUNDS = Integer.getInteger("bench.pushRounds", 3);
    /**
     * A first round whose figures are dropped: head office is a long-running process, and a cold JVM's first push (its
     * code not yet compiled) took up to twice a warm one's.
     */
    private static final int WARM_UP = 1;

    @Test
    void pushAStoreDayOf20000Events() throws java.sql.SQLException {
        List<Round> rounds = new ArrayList<>();
        for (int i = -WARM_UP; i < ROUNDS; i++) {
            // In memory, but pooled and with the settings of head office's H2 file: an unpooled data source gave each
            // push a new session, whose statement cache starts empty.
            try (OfficeHarness office = new OfficeHarness(OfficeDatabase.h2InMemory("store-day-push-" + (i + WARM_UP)), 8)) {
                Round round = pushAStoreDay(office, "h2-" + (i + WARM_UP));
                if (i >= 0) {
                    rounds.add(round);
                }
            }
        }
        record("sync-store-day-push", "H2", rounds);
    }

    @Test
    void pushAStoreDayOf20000EventsToPostgres() throws java.sql.SQLException {
        List<Round> rounds = new ArrayList<>();
        for (int i = -WARM_UP; i < ROUNDS; i++) {
            try (OfficeHarness office = new OfficeHarness(OfficePostgres.freshDatabase(), 8)) {
                Round round = pushAStoreDay(office, "postgres-" + (i + WARM_UP));
                if (i >= 0) {
                    rounds.add(round);
                }
            }
        }
        record("sync-store-day-push-postgres", "PostgreSQL", rounds);
    }

    /** One round: the push, then the floors measured on the rows it left. */
    /** {@code walBytes}: what PostgreSQL wrote to its log during the push (0 on H2), which no load on the machine moves. */
    private record Round(long pushMillis, long bareMillis, long allRowsMillis, long walBytes) {
        double overBare() {
            return pushMillis / (double) Math.max(1, bareMillis);
        }

        double overAllRows() {
            return pushMillis / (double) Math.max(1, allRowsMillis);
        }
    }

    private Round pushAStoreDay(OfficeHarness office, String dir) throws java.sql.SQLException {
        TerminalWiring t = office.terminal(tmp.resolve(dir), "S001", "T1", OfficeHarness.clockAt(OfficeHarness.START));
        List<UUID> members = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Member m = t.memberService().enrol("会员" + i, "138" + String.format("%08d", i), null);
            members.add(m.id());
        }
        for (int i = 0; i < 19_500; i++) {
            t.checkoutService().recordSale(members.get(i % members.size()), 100L + i, List.of());
        }
        boolean postgres = office.db.jdbi().withHandle(h -> h.getConnection().getMetaData().getURL()).startsWith("jdbc:postgresql:");
        String walBefore = postgres ? office.db.jdbi().withHandle(h -> h.createQuery("SELECT pg_current_wal_lsn()::text")
                .mapTo(String.class).one()) : null;
        long started = System.nanoTime();
        SyncReport r = t.syncEngine().orElseThrow().syncOnce();
        long millis = (System.nanoTime() - started) / 1_000_000;
        long walBytes = postgres ? office.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), CAST(:before AS pg_lsn))::bigint").bind("before", walBefore)
                .mapTo(Long.class).one()) : 0;
        assertThat(r.pushed()).isEqualTo(20_000);
        assertThat(r.verdicts()).isEqualTo(Map.of("ACCEPTED", 20_000));
        assertThat(office.officeLong("SELECT COUNT(*) FROM inbox")).isEqualTo(20_000);
        long bareMillis = bareInsert(office, "inbox", "event_id", List.of());
        // Every row the push wrote, into copies of their tables with the same keys and indexes: what the database
        // alone costs, whatever the push does around it.
        long allRowsMillis = bareInsert(office, "inbox", "event_id", List.of("store_id, terminal_id, terminal_seq"))
                + bareInsert(office, "change_log", "seq", List.of())
                + bareInsert(office, "purchase", "id", List.of("member_id, purchased_at"))
                + bareInsert(office, "points_entry", "id", List.of("member_id"));
        return new Round(millis, bareMillis, allRowsMillis, walBytes);
    }

    /** The median round by the push's ratio to the inbox floor, with every round's figures beside it. */
    private static void record(String name, String database, List<Round> rounds) {
        List<Round> byRatio = rounds.stream().sorted(java.util.Comparator.comparingDouble(Round::overBare)).toList();
        Round median = byRatio.get(byRatio.size() / 2);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("database", database);
        figures.put("events", 20_000);
        figures.put("rounds", rounds.size());
        figures.put("push_ms", median.pushMillis());
        figures.put("events_per_second", 20_000L * 1000 / Math.max(1, median.pushMillis()));
        figures.put("bare_insert_ms", median.bareMillis());
        figures.put("push_over_bare", Math.round(median.overBare() * 100) / 100.0);
        figures.put("bare_insert_all_rows_ms", median.allRowsMillis());
        figures.put("push_over_all_rows", Math.round(median.overAllRows() * 100) / 100.0);
        figures.put("push_over_bare_each_round", rounds.stream().map(x -> Math.round(x.overBare() * 100) / 100.0).toList());
        figures.put("push_ms_each_round", rounds.stream().map(Round::pushMillis).toList());
        figures.put("bare_insert_ms_each_round", rounds.stream().map(Round::bareMillis).toList());
        if (median.walBytes() > 0) {
            figures.put("push_wal_bytes_each_round", rounds.stream().map(Round::walBytes).toList());
        }
        String spread = "%.1f–%.1f×".formatted(byRatio.get(0).overBare(), byRatio.get(byRatio.size() - 1).overBare());
        BenchResults.record(name, figures, BenchResults.Row.comparison(
                "sync, store-day push of 20,000 events, " + database + " (median of " + rounds.size() + " rounds)",
                "%,d ms (%,d events/s)".formatted(median.pushMillis(), 20_000L * 1000 / Math.max(1, median.pushMillis())),
                ("bare batch insert of the same inbox rows %,d ms (%.1f×; rounds %s); of all the rows the push wrote, with "
                        + "their indexes, %,d ms (%.1f×)").formatted(median.bareMillis(), median.overBare(), spread,
                        median.allRowsMillis(), median.overAllRows())));
    }

    /**
     * The floor: the rows of {@code table}, read back from head office, batch-inserted bare (one prepared statement,
     * batches of 500, one commit per batch) into an empty copy with the same primary key and the given indexes, in
     * the same database. The inbox without its index is the comparison this benchmark has always made.
     */
    private static long bareInsert(OfficeHarness office, String table, String key, List<String> indexes)
            throws java.sql.SQLException {
        return office.db.jdbi().withHandle(h -> {
            h.execute("CREATE TABLE bench_copy AS SELECT * FROM " + table + " WHERE FALSE");
            h.execute("ALTER TABLE bench_copy ALTER COLUMN " + key + " SET NOT NULL");
            h.execute("ALTER TABLE bench_copy ADD PRIMARY KEY (" + key + ")");
            for (int i = 0; i < indexes.size(); i++) {
                h.execute("CREATE INDEX bench_copy_" + i + " ON bench_copy(" + indexes.get(i) + ")");
            }
            List<Map<String, Object>> rows = h.createQuery("SELECT * FROM " + table).mapToMap().list();
            List<String> columns = List.copyOf(rows.get(0).keySet());
            String sql = "INSERT INTO bench_copy(" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
            java.sql.Connection c = h.getConnection();
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < rows.size(); i++) {
                    for (int k = 0; k < columns.size(); k++) {
                        ps.setObject(k + 1, rows.get(i).get(columns.get(k)));
                    }
                    ps.addBatch();
                    if ((i + 1) % 500 == 0 || i == rows.size() - 1) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
            long bare = (System.nanoTime() - t0) / 1_000_000;
            c.setAutoCommit(auto);
            h.execute("DROP TABLE bench_copy");
            return bare;
        });
    }
}
