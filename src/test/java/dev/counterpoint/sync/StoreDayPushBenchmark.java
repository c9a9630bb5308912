package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.app.AppContext;
import dev.counterpoint.bench.BenchResults;
import dev.counterpoint.member.Member;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long a busy store-day (20,000 events: 500 enrolments and 19,500 sales) takes to push to head office on H2
 * over loopback. Runs only with {@code mvn -B -Pbench test -Dtest=StoreDayPushBenchmark}; see docs/benchmarks.md.
 */
class StoreDayPushBenchmark {
    @TempDir
    Path tmp;

    @Test
    void pushAStoreDayOf20000Events() {
        try (OfficeHarness office = OfficeHarness.h2()) {
            AppContext t = office.terminal(tmp.resolve("t"), "S001", "T1", OfficeHarness.clockAt(OfficeHarness.START));
            List<UUID> members = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                Member m = t.memberService().enrol("会员" + i, "138" + String.format("%08d", i), null);
                members.add(m.id());
            }
            for (int i = 0; i < 19_500; i++) {
                t.checkoutService().recordSale(members.get(i % members.size()), 100L + i, List.of());
            }
            long started = System.nanoTime();
            SyncReport r = t.syncEngine().orElseThrow().syncOnce();
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(r.pushed()).isEqualTo(20_000);
            assertThat(office.officeLong("SELECT COUNT(*) FROM inbox")).isEqualTo(20_000);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("events", r.pushed());
            figures.put("push_ms", millis);
            figures.put("events_per_second", r.pushed() * 1000L / Math.max(1, millis));
            BenchResults.record("sync-store-day-push", figures);
        }
    }
}
