package dev.counterpoint.office.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.bench.BenchResults;
import dev.counterpoint.office.OfficeDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The report pages' reads at chain scale on PostgreSQL: two years of a chain of {@code bench.reportStores} stores
 * (1,000) and {@code bench.reportMembers} members (1,000,000 by default; 5,000,000, the design limit, takes some 40
 * minutes to load, once: the loaded chain is kept for later runs) are
 * bulk-loaded with COPY straight into the roll-up tables and the purchase table — the rows projecting the same
 * purchases would have written, with coupons of five templates most days, head office's monthly campaigns, members
 * enrolled, upgraded and reviewed down each 1 January — then a one-year report (every section: stores, members, tiers
 * at its end and their moves, coupons by template and by reason), a past year and the Today page are timed, each beside
 * the same figures computed by scanning the purchases, and the report's reads one by one. Every store's and the
 * chain's purchases, amount, members and repeat members must agree between the two, and the tiers and moves with what
 * was loaded. Runs only with {@code mvn -B -Pbench test -Dtest=ReportBenchmark}; see
 * docs/benchmarks.md.
 */
class ReportBenchmark {
    private static final int STORES = Integer.getInteger("bench.reportStores", 1_000);
    private static final int MEMBERS = Integer.getInteger("bench.reportMembers", 1_000_000);
    private static final int DAYS = 730;
    private static final LocalDate LAST = LocalDate.of(2026, 12, 4);
    private static final LocalDate FIRST = LAST.minusDays(DAYS - 1);
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final int RUNS = Integer.getInteger("bench.reportRuns", 12);
    private static final int CHAIN = STORES;
    /** A folder for the plans of one year's and one past year's report statements, if wanted. */
    private static final String EXPLAIN = System.getProperty("bench.reportExplain");
    private static final String[] TIERS = java.util.Arrays.stream(dev.counterpoint.protocol.Tier.values()).map(Enum::name)
            .toArray(String[]::new);

    @Test
    void aYearOfTheChainFromTheRollUps() throws Exception {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (EXPLAIN != null) {
            // The plans of the statements timed below, with what they read, into the server's log in that folder.
            builder.setServerConfig("shared_preload_libraries", "auto_explain").setServerConfig("logging_collector", "on")
                    .setServerConfig("log_directory", Path.of(EXPLAIN).toAbsolutePath().toString())
                    .setServerConfig("auto_explain.log_analyze", "on").setServerConfig("auto_explain.log_buffers", "on");
        }
        // The loaded chain is kept for later runs (at 5 M members it takes most of an hour to load): its server's
        // data folder, head office's own folder beside it, and what was loaded, written last, as the mark of a
        // finished load. A later run opens it with this version's migrations and times the reports again.
        Path kept = Path.of("target", "bench", "report-chain-" + STORES + "x" + MEMBERS);
        Path loadedFile = kept.resolve("loaded.txt");
        boolean reuse = Files.exists(loadedFile);
        if (!reuse) {
            deleteTree(kept);
        }
        Files.createDirectories(kept);
        try (EmbeddedPostgres pg = builder.setDataDirectory(kept.resolve("pgdata")).setCleanDataDirectory(false)
                .setServerConfig("shared_buffers", "2GB").setServerConfig("work_mem", "64MB")
                .setServerConfig("maintenance_work_mem", "1GB").setServerConfig("max_wal_size", "8GB")
                .setServerConfig("effective_cache_size", "8GB").setServerConfig("max_parallel_workers_per_gather", "2")
                .setServerConfig("synchronous_commit", "off").start();
             OfficeDatabase db = OfficeDatabase.url(pg.getJdbcUrl("postgres", "postgres"), "postgres", null,
                     kept.resolve("office"))) {
            Jdbi jdbi = db.jdbi();
            long loadStarted = System.nanoTime();
            Loaded loaded;
            if (reuse) {
                loaded = Loaded.read(loadedFile);
                jdbi.useHandle(h -> h.execute("ANALYZE"));
            } else {
                loaded = load(jdbi);
                loaded.write(loadedFile);
            }
            long loadMillis = (System.nanoTime() - loadStarted) / 1_000_000;
            System.out.printf("[bench] report data: %,d members, %,d purchases, %,d visit rows %s in %,d ms%n",
                    MEMBERS, loaded.purchases(), loaded.visits(), reuse ? "kept from an earlier run, opened" : "loaded",
                    loadMillis);

            Clock clock = Clock.fixed(LAST.atTime(20, 0).atZone(ZONE).toInstant(), ZONE);
            Reports reports = new Reports(jdbi, clock);
            LocalDate yearFrom = LAST.minusDays(364);
            LocalDate pastTo = LAST.minusDays(180);
            LocalDate pastFrom = pastTo.minusDays(364);

            long[] year = time(RUNS, () -> reports.stores(yearFrom, LAST, Optional.empty()));
            long[] past = time(RUNS, () -> reports.stores(pastFrom, pastTo, Optional.empty()));
            long[] today = time(RUNS * 4, () -> reports.today(Optional.empty()));
            long[] month = time(RUNS, () -> reports.stores(LAST.minusDays(29), LAST, Optional.empty()));
            long[] oneStore = time(RUNS, () -> reports.stores(yearFrom, LAST, Optional.of("S0001")));

            // The comparison: the same figures by scanning the purchases, and the report's own figures checked against it.
            Reports.Report report = reports.stores(yearFrom, LAST, Optional.empty());
            long[] scan = new long[3];
            Map<String, long[]> scanned = null;
            for (int i = 0; i < scan.length; i++) {
                long started = System.nanoTime();
                scanned = jdbi.withHandle(h -> scanPurchases(h, yearFrom, LAST));
                scan[i] = System.nanoTime() - started;
            }
            for (Reports.Figures f : report.stores()) {
                long[] want = scanned.getOrDefault(f.storeId(), new long[4]);
                assertThat(new long[] {f.purchases(), f.amountFen(), f.members(), f.repeatMembers()}).as(f.storeId())
                        .containsExactly(want);
            }
            Reports.Figures chain = report.chain().orElseThrow();
            assertThat(new long[] {chain.purchases(), chain.amountFen(), chain.members(), chain.repeatMembers()})
                    .containsExactly(scanned.get(RollupBatch.CHAIN));
            // The new sections read what was loaded: the tiers at each period's end (the past year's are not
            // today's), the moves in it, coupons by reason with head office's campaigns in the chain's.
            assertThat(tierCounts(chain)).containsExactly(loaded.tiersAt(LAST));
            assertThat(chain.tierUpgrades() + chain.tierDowngrades()).isEqualTo(loaded.moves(yearFrom, LAST));
            Reports.Figures pastChain = reports.stores(pastFrom, pastTo, Optional.empty()).chain().orElseThrow();
            assertThat(tierCounts(pastChain)).containsExactly(loaded.tiersAt(pastTo)).isNotEqualTo(loaded.tiersAt(LAST));
            assertThat(pastChain.tierUpgrades() + pastChain.tierDowngrades()).isEqualTo(loaded.moves(pastFrom, pastTo));
            assertThat(chain.couponReasons()).extracting(Reports.CouponLine::key)
                    .contains("CAMPAIGN", "CHURN_RISK", "MANUAL", "TIER_PERK", "WELCOME");
            long[] direct = time(3, () -> new Reports(jdbi, clock, Reports.Counting.DIRECT).stores(yearFrom, LAST,
                    Optional.empty()));
            assertThat(new Reports(jdbi, clock, Reports.Counting.DIRECT).stores(yearFrom, LAST, Optional.empty()))
                    .isEqualTo(report);

            // Where the one-year report's time goes, each read alone as the report makes it.
            Map<String, long[]> parts = new LinkedHashMap<>();
            parts.put("store_days", time(RUNS, () -> jdbi.withHandle(h -> List.of(Stretches.sum(h, "report_store_day",
                    List.of("store_id"), RollupBatch.StoreDay.COLUMNS, List.of(yearFrom), LAST, Optional.empty(), true, LAST),
                    Stretches.sum(h, "report_store_day", List.of("store_id"), List.of("points_balance",
                            "stored_value_balance_fen"), List.of(), LAST, Optional.empty(), false, LAST)))));
            parts.put("coupons", time(RUNS, () -> jdbi.withHandle(h -> Stretches.sum(h, "report_coupon_day",
                    List.of("store_id", "template_id", "reason"), List.of("issued", "redeemed", "discount_fen"), List.of(yearFrom),
                    LAST, Optional.empty(), true, LAST))));
            parts.put("tiers_and_moves", time(RUNS, () -> jdbi.withHandle(h -> List.of(Reports.tiersAt(h, LAST, LAST, Optional.empty()),
                    Reports.tierMoves(h, yearFrom, LAST, LAST, Optional.empty())))));
            parts.put("past_tiers_and_moves", time(RUNS, () -> jdbi.withHandle(h -> List.of(
                    Reports.tiersAt(h, pastTo, LAST, Optional.empty()), Reports.tierMoves(h, pastFrom, pastTo, LAST, Optional.empty())))));
            parts.put("members_and_active", time(RUNS, () -> jdbi.withHandle(h -> MemberCounts.count(h, LAST,
                    List.of(new MemberCounts.Window(yearFrom, true)), Optional.empty(), MemberCounts.Method.AUTO, new HashMap<>(),
                    new HashMap<>()))));
            parts.put("past_members_and_active", time(RUNS, () -> jdbi.withHandle(h -> MemberCounts.count(h, pastTo,
                    List.of(new MemberCounts.Window(pastFrom, true)), Optional.empty(), MemberCounts.Method.AUTO, new HashMap<>(),
                    new HashMap<>()))));
            // The statements of one one-year report and the past year: each one's execution (the driver has read
            // its rows when it returns), by the table it reads first; the rest of the report's time is Java's.
            Map<String, Object> statementFigures = new LinkedHashMap<>();
            statementFigures.put("year", statements(jdbi, () -> reports.stores(yearFrom, LAST, Optional.empty())));
            statementFigures.put("past_year", statements(jdbi, () -> reports.stores(pastFrom, pastTo, Optional.empty())));
            System.out.println("[bench] report statements " + statementFigures);
            if (EXPLAIN != null) {
                jdbi.useHandle(h -> h.execute("ALTER SYSTEM SET auto_explain.log_min_duration = 0"));
                jdbi.useHandle(h -> h.createQuery("SELECT pg_reload_conf()").mapTo(Boolean.class).one());
                Thread.sleep(500);
                reports.stores(yearFrom, LAST, Optional.empty());
                reports.stores(pastFrom, pastTo, Optional.empty());
                jdbi.useHandle(h -> h.execute("ALTER SYSTEM RESET auto_explain.log_min_duration"));
                jdbi.useHandle(h -> h.createQuery("SELECT pg_reload_conf()").mapTo(Boolean.class).one());
            }
            Map<String, Object> partFigures = new LinkedHashMap<>();
            StringBuilder partLine = new StringBuilder();
            parts.forEach((name, nanos) -> {
                BenchResults.Latency l = BenchResults.Latency.of(nanos);
                partFigures.put(name, l);
                partLine.append(partLine.length() == 0 ? "" : " · ").append(name.replace('_', ' ')).append(' ')
                        .append(BenchResults.ms(l.p50Micros()));
            });

            // What the one-year report reads that grows with the members: the visit gaps spanning the year.
            int yf = (int) yearFrom.toEpochDay();
            int yt = (int) LAST.toEpochDay();
            long spanning = jdbi.withHandle(h -> h.createQuery("SELECT (SELECT COUNT(*) FROM report_visit"
                            + " WHERE prev_day < :f AND on_day > :t) + (SELECT COUNT(*) FROM report_visit"
                            + " WHERE reach_from < :f AND reach_from + reach_days > :t)")
                    .bind("f", yf).bind("t", yt).mapTo(Long.class).one());
            long pastSpanning = jdbi.withHandle(h -> h.createQuery("SELECT (SELECT COUNT(*) FROM report_visit"
                            + " WHERE prev_day < :f AND on_day > :t) + (SELECT COUNT(*) FROM report_visit"
                            + " WHERE reach_from < :f AND reach_from + reach_days > :t)")
                    .bind("f", (int) pastFrom.toEpochDay()).bind("t", (int) pastTo.toEpochDay()).mapTo(Long.class).one());
            BenchResults.Latency y = BenchResults.Latency.of(year);
            BenchResults.Latency p = BenchResults.Latency.of(past);
            BenchResults.Latency t = BenchResults.Latency.of(today);
            BenchResults.Latency m = BenchResults.Latency.of(month);
            BenchResults.Latency o = BenchResults.Latency.of(oneStore);
            BenchResults.Latency s = BenchResults.Latency.of(scan);
            BenchResults.Latency d = BenchResults.Latency.of(direct);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("stores", STORES);
            figures.put("members", MEMBERS);
            figures.put("purchases", loaded.purchases());
            figures.put("visit_rows", loaded.visits());
            figures.put("load_ms", loadMillis);
            figures.put("year_spanning_rows", spanning);
            figures.put("past_year_spanning_rows", pastSpanning);
            figures.put("coupon_month_rows", jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM report_coupon_month")
                    .mapTo(Long.class).one()));
            figures.put("tier_move_month_rows", jdbi.withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM report_tier_move_month").mapTo(Long.class).one()));
            figures.put("coupon_day_rows", loaded.couponRows());
            figures.put("tier_move_rows", jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM report_tier_move")
                    .mapTo(Long.class).one()));
            figures.put("tier_day_rows", jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM report_tier_day")
                    .mapTo(Long.class).one()));
            figures.put("year_report", y);
            figures.put("past_year_report", p);
            figures.put("month_report", m);
            figures.put("one_store_year_report", o);
            figures.put("today", t);
            figures.put("year_by_scanning_purchases", s);
            figures.put("year_counting_members_directly", d);
            figures.put("year_report_parts", partFigures);
            String size = String.format("%,d stores × %,d members, %,d purchases", STORES, MEMBERS, loaded.purchases());
            BenchResults.record("report", figures,
                    BenchResults.Row.target("one-year report, last 12 months (" + size + ")",
                            "p50 " + BenchResults.ms(y.p50Micros()) + " · p95 " + BenchResults.ms(y.p95Micros()),
                            "scanning purchases p50 " + BenchResults.ms(s.p50Micros()) + "; members counted directly "
                                    + BenchResults.ms(d.p50Micros()), "p95 ≤ 1 s", y.p95Micros() <= 1_000_000),
                    BenchResults.Row.target("one-year report ending 180 days ago",
                            "p50 " + BenchResults.ms(p.p50Micros()) + " · p95 " + BenchResults.ms(p.p95Micros()), "",
                            "p95 ≤ 1 s", p.p95Micros() <= 1_000_000),
                    BenchResults.Row.target("Today page", "p50 " + BenchResults.ms(t.p50Micros()) + " · p95 "
                            + BenchResults.ms(t.p95Micros()), "", "p95 ≤ 1 s", t.p95Micros() <= 1_000_000),
                    BenchResults.Row.comparison("30-day report · one store's year",
                            "p95 " + BenchResults.ms(m.p95Micros()) + " · " + BenchResults.ms(o.p95Micros()), ""),
                    BenchResults.Row.comparison("one-year report's reads alone (p50)", partLine.toString(), ""));
            System.out.println("[bench] report " + figures);
        }
    }

    /**
     * Milliseconds per statement (keyed by the first table it reads) over 5 runs' median run, and the whole run's; the
     * statements of both of a report's connections add up, so their sum may be more than the run.
     */
    private static Map<String, Object> statements(Jdbi jdbi, Run run) {
        List<Long> totals = new ArrayList<>();
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // A report reads on two connections at once: both log here.
            Map<String, long[]> byTable = new java.util.concurrent.ConcurrentSkipListMap<>();
            Map<org.jdbi.v3.core.statement.StatementContext, Long> started = new java.util.concurrent.ConcurrentHashMap<>();
            jdbi.setSqlLogger(new org.jdbi.v3.core.statement.SqlLogger() {
                @Override
                public void logBeforeExecution(org.jdbi.v3.core.statement.StatementContext ctx) {
                    started.put(ctx, System.nanoTime());
                }

                @Override
                public void logAfterExecution(org.jdbi.v3.core.statement.StatementContext ctx) {
                    Long t0 = started.remove(ctx);
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("FROM (\\w+)").matcher(ctx.getRenderedSql());
                    String table = m.find() ? m.group(1) : "?";
                    if (table.equals("UNNEST")) {
                        table = "report_visit (spanning)";
                    }
                    long[] v = byTable.computeIfAbsent(table, k -> new long[2]);
                    synchronized (v) {
                        v[0] += System.nanoTime() - t0;
                        v[1]++;
                    }
                }
            });
            long t0 = System.nanoTime();
            run.run();
            long total = System.nanoTime() - t0;
            jdbi.setSqlLogger(org.jdbi.v3.core.statement.SqlLogger.NOP_SQL_LOGGER);
            Map<String, Object> out = new LinkedHashMap<>();
            long sql = 0;
            for (Map.Entry<String, long[]> e : byTable.entrySet()) {
                out.put(e.getKey(), e.getValue()[0] / 1_000_000 + " ms ×" + e.getValue()[1]);
                sql += e.getValue()[0];
            }
            out.put("statements", sql / 1_000_000 + " ms");
            out.put("total", total / 1_000_000 + " ms");
            totals.add(total);
            runs.add(out);
        }
        List<Long> sorted = new ArrayList<>(totals);
        java.util.Collections.sort(sorted);
        return runs.get(totals.indexOf(sorted.get(2)));
    }

    private static long[] tierCounts(Reports.Figures f) {
        return java.util.Arrays.stream(dev.counterpoint.protocol.Tier.values()).mapToLong(t -> f.tiers().getOrDefault(t, 0L))
                .toArray();
    }

    private interface Run {
        Object run();
    }

    private static long[] time(int runs, Run run) {
        run.run();
        run.run();
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long started = System.nanoTime();
            run.run();
            nanos[i] = System.nanoTime() - started;
        }
        return nanos;
    }

    /** Per store and for the chain: purchases, amount, members and members with two purchases or more. */
    private static Map<String, long[]> scanPurchases(Handle h, LocalDate from, LocalDate to) {
        Map<String, long[]> out = new HashMap<>();
        java.time.OffsetDateTime start = from.atStartOfDay(ZONE).toOffsetDateTime();
        java.time.OffsetDateTime end = to.plusDays(1).atStartOfDay(ZONE).toOffsetDateTime();
        h.createQuery("""
                SELECT store_id, SUM(n), SUM(amount), COUNT(*), SUM(CASE WHEN n >= 2 THEN 1 ELSE 0 END)
                FROM (SELECT store_id, member_id, COUNT(*) AS n, SUM(total_fen) AS amount FROM purchase
                      WHERE purchased_at >= :s AND purchased_at < :e GROUP BY store_id, member_id) x GROUP BY store_id""")
                .bind("s", start).bind("e", end)
                .map((rs, ctx) -> out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5)})).list();
        h.createQuery("""
                SELECT SUM(n), SUM(amount), COUNT(*), SUM(CASE WHEN n >= 2 THEN 1 ELSE 0 END)
                FROM (SELECT member_id, COUNT(*) AS n, SUM(total_fen) AS amount FROM purchase
                      WHERE purchased_at >= :s AND purchased_at < :e GROUP BY member_id) x""")
                .bind("s", start).bind("e", end)
                .map((rs, ctx) -> out.put(RollupBatch.CHAIN, new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4)})).list();
        return out;
    }

    /**
     * What was loaded, and what the new sections must say: the chain's members per tier at the end of each day, and
     * the moves per from → to within each day ({@code moves[day][from][to]}).
     */
    private record Loaded(long purchases, long visits, long[][] tiersAtEnd, long[][][] moves, long couponRows) {
        /** One line of counts, then a line per day: the tiers at its end, then its moves from each tier to each. */
        void write(Path file) throws IOException {
            StringBuilder out = new StringBuilder().append(purchases).append(' ').append(visits).append(' ')
                    .append(couponRows).append('\n');
            for (int d = 0; d < tiersAtEnd.length; d++) {
                StringJoiner line = new StringJoiner(" ");
                for (long x : tiersAtEnd[d]) {
                    line.add(Long.toString(x));
                }
                for (long[] row : moves[d]) {
                    for (long x : row) {
                        line.add(Long.toString(x));
                    }
                }
                out.append(line).append('\n');
            }
            Files.writeString(file, out);
        }

        static Loaded read(Path file) throws IOException {
            List<String> lines = Files.readAllLines(file);
            long[] head = Arrays.stream(lines.get(0).split(" ")).mapToLong(Long::parseLong).toArray();
            int tiers = dev.counterpoint.protocol.Tier.values().length;
            long[][] tiersAtEnd = new long[lines.size() - 1][];
            long[][][] moves = new long[lines.size() - 1][tiers][tiers];
            for (int d = 0; d < tiersAtEnd.length; d++) {
                long[] v = Arrays.stream(lines.get(d + 1).split(" ")).mapToLong(Long::parseLong).toArray();
                tiersAtEnd[d] = Arrays.copyOf(v, tiers);
                for (int f = 0; f < tiers; f++) {
                    moves[d][f] = Arrays.copyOfRange(v, tiers + f * tiers, tiers + (f + 1) * tiers);
                }
            }
            return new Loaded(head[0], head[1], tiersAtEnd, moves, head[2]);
        }

        long[] tiersAt(LocalDate day) {
            return tiersAtEnd[(int) (day.toEpochDay() - FIRST.toEpochDay())];
        }

        long moves(LocalDate from, LocalDate to) {
            long n = 0;
            for (int d = (int) (from.toEpochDay() - FIRST.toEpochDay()); d <= (int) (to.toEpochDay() - FIRST.toEpochDay()); d++) {
                for (long[] row : moves[d]) {
                    for (long x : row) {
                        n += x;
                    }
                }
            }
            return n;
        }
    }

    private static String store(int i) {
        return String.format("S%04d", i + 1);
    }

    /** Generates the chain's two years and COPYs it in, indexes dropped during the load and built after it. */
    private static Loaded load(Jdbi jdbi) throws SQLException, IOException {
        List<String> indexes = List.of(
                "report_visit_by_day ON report_visit(on_day, scope)",
                "report_visit_gap ON report_visit(gap_days, prev_day, scope, next_day, purchases)",
                "report_visit_reach ON report_visit(reach_days, reach_from, scope, prev_day, on_day)",
                "purchase_member ON purchase(member_id, purchased_at)");
        try (Handle h = jdbi.open()) {
            for (String index : indexes) {
                h.execute("DROP INDEX " + index.substring(0, index.indexOf(' ')));
            }
            h.execute("ALTER TABLE report_visit DROP CONSTRAINT report_visit_pkey");
            h.execute("ALTER TABLE purchase DROP CONSTRAINT purchase_pkey");
            Connection c = h.getConnection();
            StringBuilder terminals = new StringBuilder();
            for (int s = 0; s < STORES; s++) {
                terminals.append(store(s)).append("\tT1\tACTIVE\t2024-01-01T00:00:00Z\n");
            }
            copy(c, "terminal(store_id, terminal_id, status, created_at)", terminals);

            Random random = new Random(20261205);
            long[][][] storeDay = new long[STORES][DAYS][RollupBatch.StoreDay.WIDTH];
            long[][][] cells = new long[STORES + 1][DAYS][RollupBatch.VisitDay.WIDTH];
            StringBuilder purchases = new StringBuilder();
            StringBuilder visits = new StringBuilder();
            long purchaseCount = 0;
            long visitCount = 0;
            int dayZero = (int) FIRST.toEpochDay();
            for (int member = 0; member < MEMBERS; member++) {
                UUID id = new UUID(0x0192_0000_0000_7000L, member);
                int home = random.nextInt(STORES);
                double r = random.nextDouble();
                double perYear = r < 0.35 ? 1 : r < 0.70 ? 3 : r < 0.90 ? 8 : 24;
                int n = Math.max(1, (int) Math.round(perYear * 2 * (0.5 + random.nextDouble())));
                TreeMap<Integer, Integer> chain = new TreeMap<>();
                Map<Integer, TreeMap<Integer, Integer>> byStore = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    int day = random.nextInt(DAYS);
                    int store = random.nextDouble() < 0.85 ? home : random.nextInt(STORES);
                    long amount = 1_500 + random.nextInt(75) * 100;
                    int minute = 8 * 60 + random.nextInt(13 * 60);
                    purchases.append(new UUID(0x0193_0000_0000_0000L + member, i)).append('\t').append(id).append('\t')
                            .append(store(store)).append("\tT1\t\\N\t").append(FIRST.plusDays(day)).append(' ')
                            .append(String.format("%02d:%02d:00+08", minute / 60, minute % 60)).append('\t').append(amount)
                            .append("\tSALE\n");
                    purchaseCount++;
                    chain.merge(day, 1, Integer::sum);
                    byStore.computeIfAbsent(store, k -> new TreeMap<>()).merge(day, 1, Integer::sum);
                    long[] sd = storeDay[store][day];
                    sd[RollupBatch.StoreDay.PURCHASES]++;
                    sd[RollupBatch.StoreDay.AMOUNT] += amount;
                    sd[RollupBatch.StoreDay.SALES]++;
                    sd[RollupBatch.StoreDay.SALES_FEN] += amount;
                    sd[RollupBatch.StoreDay.POINTS_ISSUED] += amount / 100;
                    sd[RollupBatch.StoreDay.POINTS_BALANCE] += amount / 100;
                }
                int enrolled = chain.firstKey() - random.nextInt(30); // enrolled up to a month before buying
                if (enrolled >= 0) {
                    storeDay[home][enrolled][RollupBatch.StoreDay.NEW_MEMBERS]++;
                }
                for (Map.Entry<Integer, TreeMap<Integer, Integer>> e : byStore.entrySet()) {
                    visitCount += visits(visits, cells[e.getKey()], store(e.getKey()), id, e.getValue(), dayZero);
                }
                visitCount += visits(visits, cells[CHAIN], RollupBatch.CHAIN, id, chain, dayZero);
                if (purchases.length() > 32 << 20) {
                    copy(c, "purchase(id, member_id, store_id, terminal_id, receipt_no, purchased_at, total_fen, source)",
                            purchases);
                    copy(c, "report_visit(scope, member_id, on_day, purchases, prev_day, next_day, gap_days, reach_from, "
                            + "reach_days)", visits);
                }
            }
            copy(c, "purchase(id, member_id, store_id, terminal_id, receipt_no, purchased_at, total_fen, source)", purchases);
            copy(c, "report_visit(scope, member_id, on_day, purchases, prev_day, next_day, gap_days, reach_from, reach_days)",
                    visits);
            StringBuilder rows = new StringBuilder();
            StringBuilder coupons = new StringBuilder();
            long couponRows = 0;
            String[] templates = {"WELCOME", "BIRTHDAY", "WIN_BACK", "GOLD_PERK", "BEANS_10"};
            String[] reasons = {"WELCOME", "BIRTHDAY", "WIN_BACK", "TIER_PERK", "MANUAL"};
            for (int s = 0; s < STORES; s++) {
                for (int d = 0; d < DAYS; d++) {
                    long[] v = storeDay[s][d];
                    if (v[RollupBatch.StoreDay.PURCHASES] == 0 && v[RollupBatch.StoreDay.NEW_MEMBERS] == 0) {
                        continue;
                    }
                    // Coupons of every template most days (win-back ones also issued for churn risk), and a few
                    // stored-value movements, so that every column and section is read.
                    long redeemed = v[RollupBatch.StoreDay.PURCHASES] / 10;
                    long issuedToday = 0;
                    for (int t = 0; t < templates.length; t++) {
                        long r = (redeemed + t + d) % 3 == 0 ? 0 : Math.max(0, redeemed - t);
                        long i = r + (d + s + t) % 3;
                        String reason = t == 2 && d % 4 == 0 ? "CHURN_RISK" : reasons[t];
                        if (i + r == 0) {
                            continue;
                        }
                        coupons.append(store(s)).append('\t').append(FIRST.plusDays(d)).append('\t').append(templates[t])
                                .append('\t').append(reason).append('\t').append(i).append('\t').append(r).append('\t')
                                .append(r * 1_000).append('\n');
                        couponRows++;
                        issuedToday += i;
                        v[RollupBatch.StoreDay.COUPONS_REDEEMED] += r;
                        v[RollupBatch.StoreDay.DISCOUNT] += r * 1_000;
                    }
                    v[RollupBatch.StoreDay.COUPONS_ISSUED] = issuedToday;
                    v[RollupBatch.StoreDay.SV_IN] = (d % 7) * 10_000L;
                    v[RollupBatch.StoreDay.SV_OUT] = (d % 5) * 3_000L;
                    v[RollupBatch.StoreDay.SV_BALANCE] = v[RollupBatch.StoreDay.SV_IN] - v[RollupBatch.StoreDay.SV_OUT];
                    rows.append(store(s)).append('\t').append(FIRST.plusDays(d));
                    for (long x : v) {
                        rows.append('\t').append(x);
                    }
                    rows.append('\n');
                }
            }
            // Head office's campaigns: issued to the chain (store '*') on the first of each month.
            for (int d = 0; d < DAYS; d++) {
                if (FIRST.plusDays(d).getDayOfMonth() == 1) {
                    coupons.append(RollupBatch.CHAIN).append('\t').append(FIRST.plusDays(d)).append("\tBIRTHDAY\tCAMPAIGN\t")
                            .append(MEMBERS / 20).append("\t0\t0\n");
                    couponRows++;
                }
            }
            copy(c, "report_store_day(store_id, on_day, " + String.join(", ", RollupBatch.StoreDay.COLUMNS) + ")", rows);
            copy(c, "report_coupon_day(store_id, on_day, template_id, reason, issued, redeemed, discount_fen)", coupons);
            StringBuilder cellRows = new StringBuilder();
            for (int s = 0; s <= STORES; s++) {
                for (int d = 0; d < DAYS; d++) {
                    long[] v = cells[s][d];
                    boolean any = false;
                    for (long x : v) {
                        any |= x != 0;
                    }
                    if (any) {
                        cellRows.append(s == CHAIN ? RollupBatch.CHAIN : store(s)).append('\t').append(FIRST.plusDays(d));
                        for (long x : v) {
                            cellRows.append('\t').append(x);
                        }
                        cellRows.append('\n');
                    }
                }
            }
            copy(c, "report_visit_day(scope, on_day, " + String.join(", ", RollupBatch.VisitDay.COLUMNS) + ")", cellRows);
            // Tiers: members enrolled before the two years start in a mix of tiers, those enrolled in them as
            // Standard; upgrades most days (more of them the more members a store has), and each 1 January head
            // office's review takes some members down. report_tier is the sum of it all, as the projection keeps it.
            int tierCount = dev.counterpoint.protocol.Tier.values().length;
            long[][] held = new long[STORES][tierCount];
            long[][] chainAtEnd = new long[DAYS][tierCount];
            long[][][] chainMoves = new long[DAYS][tierCount][tierCount];
            long[] before = new long[tierCount];
            StringBuilder tierDays = new StringBuilder();
            StringBuilder moveRows = new StringBuilder();
            double perStore = (double) MEMBERS / STORES / 1_000;
            for (int s = 0; s < STORES; s++) {
                long base = MEMBERS / STORES / 2;
                held[s] = new long[] {base * 6 / 10, base * 25 / 100, base * 12 / 100, base * 3 / 100};
                for (int t = 0; t < tierCount; t++) {
                    before[t] += held[s][t];
                }
            }
            for (int d = 0; d < DAYS; d++) {
                LocalDate day = FIRST.plusDays(d);
                for (int s = 0; s < STORES; s++) {
                    long[] change = new long[tierCount];
                    change[0] += storeDay[s][d][RollupBatch.StoreDay.NEW_MEMBERS];
                    long[][] moved = new long[tierCount][tierCount];
                    if (day.getDayOfYear() == 1) {
                        for (int t = 1; t < tierCount; t++) {
                            moved[t][t - 1] = held[s][t] / 12;
                        }
                    } else {
                        double x = random.nextDouble();
                        moved[0][1] = x < 0.3 * perStore ? 1 + (x < 0.05 * perStore ? 1 : 0) : 0;
                        moved[1][2] = random.nextDouble() < 0.08 * perStore ? 1 : 0;
                        moved[2][3] = random.nextDouble() < 0.02 * perStore ? 1 : 0;
                    }
                    for (int f = 0; f < tierCount; f++) {
                        for (int t = 0; t < tierCount; t++) {
                            long n = Math.min(moved[f][t], held[s][f] + change[f]);
                            if (n > 0) {
                                change[f] -= n;
                                change[t] += n;
                                chainMoves[d][f][t] += n;
                                moveRows.append(store(s)).append('\t').append(day).append('\t').append(TIERS[f]).append('\t')
                                        .append(TIERS[t]).append('\t').append(n).append('\n');
                            }
                        }
                    }
                    for (int t = 0; t < tierCount; t++) {
                        if (change[t] != 0) {
                            held[s][t] += change[t];
                            tierDays.append(store(s)).append('\t').append(day).append('\t').append(TIERS[t]).append('\t')
                                    .append(change[t]).append('\n');
                        }
                    }
                }
                for (int s = 0; s < STORES; s++) {
                    for (int t = 0; t < tierCount; t++) {
                        chainAtEnd[d][t] += held[s][t];
                    }
                }
            }
            copy(c, "report_tier_day(store_id, on_day, tier, members)", tierDays);
            copy(c, "report_tier_move(store_id, on_day, from_tier, to_tier, moves)", moveRows);
            StringBuilder tiers = new StringBuilder();
            for (int s = 0; s < STORES; s++) {
                for (int t = 0; t < tierCount; t++) {
                    // Today's counts: the members before the two years and every day's change since.
                    tiers.append(store(s)).append('\t').append(TIERS[t]).append('\t').append(held[s][t]).append('\n');
                }
            }
            copy(c, "report_tier(store_id, tier, members)", tiers);
            h.execute("INSERT INTO report_tier_month(store_id, month_start, tier, members) SELECT store_id, "
                    + "CAST(DATE_TRUNC('month', on_day) AS DATE), tier, SUM(members) FROM report_tier_day GROUP BY 1, 2, 3");
            h.execute("INSERT INTO report_tier_move_month(store_id, month_start, from_tier, to_tier, moves) SELECT store_id, "
                    + "CAST(DATE_TRUNC('month', on_day) AS DATE), from_tier, to_tier, SUM(moves) FROM report_tier_move "
                    + "GROUP BY 1, 2, 3, 4");
            // The month tables, as RollupBatch keeps them beside the days.
            String storeColumns = String.join(", ", RollupBatch.StoreDay.COLUMNS);
            String visitColumns = String.join(", ", RollupBatch.VisitDay.COLUMNS);
            h.execute("INSERT INTO report_store_month(store_id, month_start, " + storeColumns + ") SELECT store_id, "
                    + "CAST(DATE_TRUNC('month', on_day) AS DATE), " + sums(RollupBatch.StoreDay.COLUMNS)
                    + " FROM report_store_day GROUP BY 1, 2");
            h.execute("INSERT INTO report_visit_month(scope, month_start, " + visitColumns + ") SELECT scope, "
                    + "CAST(DATE_TRUNC('month', on_day) AS DATE), " + sums(RollupBatch.VisitDay.COLUMNS)
                    + " FROM report_visit_day GROUP BY 1, 2");
            h.execute("INSERT INTO report_coupon_month(store_id, month_start, template_id, reason, issued, redeemed, "
                    + "discount_fen) SELECT store_id, CAST(DATE_TRUNC('month', on_day) AS DATE), template_id, reason, "
                    + "SUM(issued), SUM(redeemed), SUM(discount_fen) FROM report_coupon_day GROUP BY 1, 2, 3, 4");
            h.execute("ALTER TABLE report_visit ADD PRIMARY KEY (scope, member_id, on_day)");
            h.execute("ALTER TABLE purchase ADD PRIMARY KEY (id)");
            for (String index : indexes) {
                h.execute("CREATE INDEX " + index);
            }
            h.execute("VACUUM ANALYZE");
            return new Loaded(purchaseCount, visitCount, chainAtEnd, chainMoves, couponRows);
        }
    }

    /** A member's visit rows in one scope, linked as VisitRows links them, and what they add to report_visit_day. */
    private static int visits(StringBuilder out, long[][] cells, String scope, UUID member, TreeMap<Integer, Integer> days,
                              int dayZero) {
        List<Integer> ordered = new ArrayList<>(days.keySet());
        Sums sums = new Sums(cells);
        for (int i = 0; i < ordered.size(); i++) {
            int day = ordered.get(i);
            Long prev = i == 0 ? null : (long) ordered.get(i - 1) + dayZero;
            Long next = i + 1 < ordered.size() ? (long) ordered.get(i + 1) + dayZero : null;
            VisitRows.Visit v = new VisitRows.Visit(day + dayZero, Math.min(2, days.get(day)), prev, next);
            sums.add(v, dayZero);
            Integer gap = prev == null ? null : (int) (v.day() - prev);
            Long reachFrom = v.purchases() == 1 && next != null ? (prev == null ? v.day() : prev) : null;
            out.append(scope).append('\t').append(member).append('\t').append(v.day()).append('\t').append(v.purchases())
                    .append('\t').append(nullable(prev)).append('\t').append(nullable(next)).append('\t')
                    .append(nullable(gap)).append('\t').append(nullable(reachFrom)).append('\t')
                    .append(reachFrom == null ? "\\N" : String.valueOf(next - reachFrom)).append('\n');
        }
        return ordered.size();
    }

    /** VisitRows.contribute, into arrays indexed by day. */
    private record Sums(long[][] cells) {
        void add(VisitRows.Visit v, int dayZero) {
            RollupBatch.Sums one = new RollupBatch.Sums();
            VisitRows.contribute(one, "x", v, 1);
            one.rows.forEach((key, values) -> {
                int d = (int) (((LocalDate) key.get(1)).toEpochDay() - dayZero);
                if (d >= cells.length) {
                    return; // an active stretch's end after the last day loaded: no report reads it
                }
                for (int i = 0; i < values.length; i++) {
                    cells[d][i] += values[i];
                }
            });
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String sums(List<String> columns) {
        return String.join(", ", columns.stream().map(c -> "SUM(" + c + ")").toList());
    }

    private static String nullable(Object v) {
        return v == null ? "\\N" : v.toString();
    }

    private static void copy(Connection c, String table, StringBuilder rows) throws SQLException, IOException {
        if (rows.length() == 0) {
            return;
        }
        c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN", new StringReader(rows.toString()));
        rows.setLength(0);
    }
}
