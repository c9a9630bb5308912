package dev.counterpoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.wiring.TerminalWiring;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a scan costs to fill the member panel (card, history, suggestions: {@code MemberSummaryService.byCode},
 * upkeep included) on the bench store, against its floor: the very SELECTs that scan ran, replayed bare over JDBC
 * ({@link BareQueries}). Members are scanned in a random order, each once, alternating app and floor so both see
 * the same machine.
 */
class ScanPanelBenchmark {
    static final int SCANS = Integer.getInteger("bench.scans", 1_000);
    static final int WARM_UP = 300;

    @Test
    void scanToPanelAgainstBareQueries() throws SQLException {
        try (TerminalWiring ctx = TerminalWiring.open(BenchStore.dataDir(), Locale.ENGLISH, Clock.systemDefaultZone())) {
            List<String> cards = BenchStore.randomCards(ctx.database().jdbi(), WARM_UP + SCANS);
            BenchStore.dailyPass(ctx, cards);
            long[] app = new long[SCANS];
            long[] floor = new long[SCANS];
            int statements = 0;
            int shown = 0;
            Thread self = Thread.currentThread();
            try (BareQueries bare = new BareQueries(ctx.database().jdbi(), t -> t == self)) {
                for (int i = 0; i < cards.size(); i++) {
                    bare.take();
                    long t0 = System.nanoTime();
                    boolean found = ctx.memberSummaryService().byCode(cards.get(i)).isPresent();
                    long t1 = System.nanoTime();
                    List<BareQueries.Captured> run = bare.take();
                    long bareNanos = bare.replay(run);
                    if (i >= WARM_UP) {
                        app[i - WARM_UP] = t1 - t0;
                        floor[i - WARM_UP] = bareNanos;
                        statements += run.size();
                        shown += found ? 1 : 0;
                    }
                }
            }
            assertThat(shown).isEqualTo(SCANS);
            BenchResults.Latency a = BenchResults.Latency.of(app);
            BenchResults.Latency f = BenchResults.Latency.of(floor);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("members_in_store", BenchStore.MEMBERS);
            figures.put("scans", SCANS);
            figures.put("selects_per_scan", statements / (double) SCANS);
            figures.put("app", a);
            figures.put("floor", f);
            figures.put("p99_ratio", Math.round(a.p99Micros() / f.p99Micros() * 100) / 100.0);
            BenchResults.record("scan-to-panel", figures, BenchResults.Row.comparison(
                    "scan → panel content, service only, p99",
                    BenchResults.ms(a.p99Micros()) + " (p50 " + BenchResults.ms(a.p50Micros()) + ")",
                    "bare JDBC floor p99 " + BenchResults.ms(f.p99Micros()) + " (p50 " + BenchResults.ms(f.p50Micros()) + ")"));
        }
    }
}
