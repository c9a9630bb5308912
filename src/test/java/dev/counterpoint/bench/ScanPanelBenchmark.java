package dev.counterpoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.wiring.TerminalWiring;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;

/**
 * What a scan costs to fill the member panel ({@code MemberSummaryService.byCode}, upkeep included) on the bench store,
 * in time and in bytes allocated, against its floor: five bare JDBC reads of the data the panel shows
 * ({@link PanelFloor}). App and floor each scan their own random members (two disjoint samples, so neither finds the
 * other's pages in H2's cache), alternating which goes first. Then a card lookup alone against a plain
 * {@code WHERE card = ?} on an indexed copy table of the same store.
 */
class ScanPanelBenchmark {
    static final int SCANS = Integer.getInteger("bench.scans", 1_000);
    static final int WARM_UP = 300;

    @Test
    void scanToPanelAgainstBareReads() throws SQLException {
        try (TerminalWiring ctx = TerminalWiring.open(BenchStore.dataDir(), Locale.ENGLISH, Clock.systemDefaultZone())) {
            Jdbi jdbi = ctx.database().jdbi();
            List<String> sample = BenchStore.randomCards(jdbi, 2 * (WARM_UP + SCANS));
            List<String> appCards = sample.subList(0, WARM_UP + SCANS);
            List<String> floorCards = sample.subList(WARM_UP + SCANS, sample.size());
            BenchStore.dailyPass(ctx, sample);
            int historyDays = jdbi.withHandle(h -> ctx.ruleSetRepository().active(h)).historyDays();

            // Statements per scan, counted over the last warm-up scans (a counting logger, off while timing).
            AtomicInteger selects = new AtomicInteger();
            Thread self = Thread.currentThread();
            long[] app = new long[SCANS];
            long[] appBytes = new long[SCANS];
            long[] floor = new long[SCANS];
            long[] floorBytes = new long[SCANS];
            int shown = 0;
            int counted = 0;
            long overhead = Allocations.overhead();
            try (PanelFloor bare = new PanelFloor(jdbi, historyDays)) {
                for (int i = 0; i < WARM_UP + SCANS; i++) {
                    boolean counting = i >= WARM_UP - 200 && i < WARM_UP;
                    jdbi.setSqlLogger(counting ? counter(selects, self) : SqlLogger.NOP_SQL_LOGGER);
                    counted += counting ? 1 : 0;
                    long[] a = new long[2];
                    long[] f = new long[2];
                    boolean[] found = new boolean[1];
                    String appCard = appCards.get(i);
                    Runnable runApp = () -> {
                        long b0 = Allocations.now();
                        long t0 = System.nanoTime();
                        found[0] = ctx.memberSummaryService().byCode(appCard).isPresent();
                        a[0] = System.nanoTime() - t0;
                        a[1] = Allocations.now() - b0;
                    };
                    String floorCard = floorCards.get(i);
                    Runnable runFloor = () -> {
                        long b0 = Allocations.now();
                        long t0 = System.nanoTime();
                        try {
                            assertThat(bare.read(floorCard)).isPositive();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                        f[0] = System.nanoTime() - t0;
                        f[1] = Allocations.now() - b0;
                    };
                    if (i % 2 == 0) {
                        runApp.run();
                        runFloor.run();
                    } else {
                        runFloor.run();
                        runApp.run();
                    }
                    if (i >= WARM_UP) {
                        int k = i - WARM_UP;
                        app[k] = a[0];
                        appBytes[k] = a[1];
                        floor[k] = f[0];
                        floorBytes[k] = f[1];
                        shown += found[0] ? 1 : 0;
                    }
                }
            } finally {
                jdbi.setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
            }
            assertThat(shown).isEqualTo(SCANS);

            CardLookup lookup = cardLookup(ctx, jdbi, overhead);

            BenchResults.Latency a = BenchResults.Latency.of(app);
            BenchResults.Latency f = BenchResults.Latency.of(floor);
            Allocations.Summary ab = Allocations.Summary.of(appBytes, overhead);
            Allocations.Summary fb = Allocations.Summary.of(floorBytes, overhead);
            double p50Ratio = ratio(a.p50Micros(), f.p50Micros());
            double p99Ratio = ratio(a.p99Micros(), f.p99Micros());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("members_in_store", BenchStore.MEMBERS);
            figures.put("scans", SCANS);
            figures.put("selects_per_scan", selects.get() / (double) counted);
            figures.put("app", a);
            figures.put("floor_five_bare_reads", f);
            figures.put("p50_ratio", p50Ratio);
            figures.put("p99_ratio", p99Ratio);
            figures.put("app_allocated", ab);
            figures.put("floor_allocated", fb);
            figures.put("card_lookup", lookup.app());
            figures.put("card_lookup_bare", lookup.bare());
            figures.put("card_lookup_allocated", lookup.appBytes());
            figures.put("card_lookup_bare_allocated", lookup.bareBytes());
            figures.put("load_average", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            BenchResults.record("scan-to-panel", figures,
                    BenchResults.Row.target("scan → panel content, service path (byCode)",
                            "p50 " + BenchResults.ms(a.p50Micros()) + " · p99 " + BenchResults.ms(a.p99Micros()),
                            "5 bare JDBC reads p50 " + BenchResults.ms(f.p50Micros()) + " · p99 "
                                    + BenchResults.ms(f.p99Micros()) + ": " + p50Ratio + "× · " + p99Ratio + "×",
                            "≤ 2× at p50 and p99", p50Ratio <= 2 && p99Ratio <= 2),
                    BenchResults.Row.target("scan → panel content, allocated per scan", ab.text(),
                            "5 bare reads " + fb.text(), "≤ 150 KB", ab.meanKb() <= 150),
                    BenchResults.Row.comparison("card lookup alone (MemberService.findByCode)",
                            "p50 " + BenchResults.ms(lookup.app().p50Micros()) + " · p99 "
                                    + BenchResults.ms(lookup.app().p99Micros()) + ", " + lookup.appBytes().text(),
                            "plain WHERE card = ? on an indexed copy p50 " + BenchResults.ms(lookup.bare().p50Micros())
                                    + " · p99 " + BenchResults.ms(lookup.bare().p99Micros()) + ", "
                                    + lookup.bareBytes().text()));
        }
    }

    private static double ratio(double app, double floor) {
        return Math.round(app / floor * 100) / 100.0;
    }

    private static SqlLogger counter(AtomicInteger selects, Thread self) {
        return new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext c) {
                if (Thread.currentThread() == self
                        && c.getParsedSql().getSql().stripLeading().regionMatches(true, 0, "SELECT", 0, 6)) {
                    selects.incrementAndGet();
                }
            }
        };
    }

    record CardLookup(BenchResults.Latency app, BenchResults.Latency bare, Allocations.Summary appBytes,
                      Allocations.Summary bareBytes) {
    }

    /**
     * A card lookup alone, {@code MemberService.findByCode} (member_code, member, the member's card), against
     * {@code SELECT … FROM bench_card WHERE card = ?}: a copy of every card with its member's columns in one table,
     * indexed on the card, made in the same store for this comparison and dropped afterwards. Each side looks up its
     * own random cards.
     */
    private static CardLookup cardLookup(TerminalWiring ctx, Jdbi jdbi, long overhead) throws SQLException {
        List<String> sample = BenchStore.randomCards(jdbi, 2 * (WARM_UP + SCANS), 43);
        long[] app = new long[SCANS];
        long[] appBytes = new long[SCANS];
        long[] bare = new long[SCANS];
        long[] bareBytes = new long[SCANS];
        try (var h = jdbi.open()) {
            h.execute("DROP TABLE IF EXISTS bench_card");
            h.execute("""
                    CREATE TABLE bench_card AS SELECT k.code AS card, m.id, m.display_name, m.phone_masked, m.birthday,
                           m.tier, m.home_store, m.enrolled_at, m.enrolled_via
                    FROM member_code k JOIN member m ON m.id = k.member_id WHERE k.kind = 'CARD' AND m.status = 'ACTIVE'""");
            h.execute("CREATE INDEX bench_card_card ON bench_card(card)");
            try (var ps = h.getConnection().prepareStatement("SELECT * FROM bench_card WHERE card = ?")) {
                for (int i = 0; i < WARM_UP + SCANS; i++) {
                    String mine = sample.get(i);
                    String theirs = sample.get(WARM_UP + SCANS + i);
                    long b0 = Allocations.now();
                    long t0 = System.nanoTime();
                    boolean found = ctx.memberService().findByCode(mine).isPresent();
                    long t1 = System.nanoTime();
                    long b1 = Allocations.now();
                    ps.setString(1, theirs);
                    int columns = 0;
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            for (int col = 1; col <= rs.getMetaData().getColumnCount(); col++) {
                                rs.getObject(col);
                                columns++;
                            }
                        }
                    }
                    long t2 = System.nanoTime();
                    long b2 = Allocations.now();
                    assertThat(found).isTrue();
                    assertThat(columns).isPositive();
                    if (i >= WARM_UP) {
                        int k = i - WARM_UP;
                        app[k] = t1 - t0;
                        appBytes[k] = b1 - b0;
                        bare[k] = t2 - t1;
                        bareBytes[k] = b2 - b1;
                    }
                }
            } finally {
                h.execute("DROP TABLE bench_card");
            }
        }
        return new CardLookup(BenchResults.Latency.of(app), BenchResults.Latency.of(bare),
                Allocations.Summary.of(appBytes, overhead), Allocations.Summary.of(bareBytes, overhead));
    }
}
