package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.bench.BenchResults;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.Member;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.store.Database;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a terminal pulls and keeps for the rest of the chain's sales, per chain-wide sale, scaled to the design limit
 * (1,000 stores × 300 sales a day, decision 0039). A busy store sells to its members; a second store has seen a tenth
 * of them (it asked for their history); a third has seen none. Their pulls are read as the wire carries them, and the
 * third store's database file is measured before and after. The comparisons, measured in the same run, are what the
 * pull would carry if ledger entries went to every store, and if purchases did too. Runs only with
 * {@code mvn -B -Pbench test -Dtest=ChainPullBenchmark}; see docs/benchmarks.md.
 */
class ChainPullBenchmark {
    private static final int MEMBERS = 500;
    private static final int SALES = 6_000;
    private static final long CHAIN_SALES_PER_DAY = 1_000L * 300;

    @TempDir
    Path tmp;

    @Test
    void aDayOfTheChainAsOneTerminalPullsIt() throws IOException {
        TestClock clock = OfficeHarness.clockAt(OfficeHarness.START);
        try (OfficeHarness office = new OfficeHarness(OfficeDatabase.of(OfficeHarness.h2DataSource()), 8, clock)) {
            TerminalWiring busy = office.terminal(tmp.resolve("busy"), "S001", "T1", clock);
            TerminalWiring sees = office.terminal(tmp.resolve("sees"), "S002", "T1", clock);
            TerminalWiring none = office.terminalOnDisk(tmp.resolve("none"), "S003", "T1", clock);
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                members.add(busy.memberService().enrol("会员" + i, "137" + String.format("%08d", i), null));
            }
            OfficeSyncContract.engine(busy).syncOnce();
            // Everyone pulls the enrolments first: what follows is a day's trading alone.
            OfficeSyncContract.engine(sees).syncOnce();
            OfficeSyncContract.engine(none).syncOnce();
            for (int i = 0; i < MEMBERS / 10; i++) {
                assertThat(OfficeSyncContract.engine(sees).fetchHistory(members.get(i * 10).id())).isTrue();
            }
            long fileBefore = dbFileSize(none);

            for (int i = 0; i < SALES; i++) {
                busy.checkoutService().recordSale(members.get(i % MEMBERS).id(), null, List.of(
                        new PurchaseLine("LATTE-" + (i % 7), "咖啡", 1 + i % 2, 3_000 + i % 500),
                        new PurchaseLine("CROISSANT", "烘焙", 1, 1_800),
                        new PurchaseLine("BEAN-" + (i % 3), "咖啡豆", 1, 6_800)));
                if (i % 100 == 0) {
                    clock.advance(Duration.ofSeconds(30));
                }
            }
            assertThat(OfficeSyncContract.engine(busy).syncOnce().pushed()).isEqualTo(SALES);

            Pulled seesPull = pullAsTheWireCarriesIt(sees, office);
            Pulled nonePull = pullAsTheWireCarriesIt(none, office);
            long seesRowsBefore = rows(sees);
            OfficeSyncContract.engine(sees).syncOnce();
            long seesRowsAfter = rows(sees);
            long noneRowsBefore = rows(none);
            long started = System.nanoTime();
            SyncReport applied = OfficeSyncContract.engine(none).syncOnce();
            long applyMillis = (System.nanoTime() - started) / 1_000_000;
            long noneRowsAfter = rows(none);
            long fileAfter = dbFileSize(none);
            assertThat(applied.pulled()).isEqualTo(nonePull.changes());
            long purchaseBytes = payloadBytes(office, "'purchase.recorded'");
            long purchaseChanges = changes(office, "'purchase.recorded'");
            assertThat(purchaseChanges).isEqualTo(SALES);
            long ledgerBytes = payloadBytes(office, "'points.entry', 'sv.entry'");
            long ledgerChanges = changes(office, "'points.entry', 'sv.entry'");
            assertThat(ledgerChanges).isGreaterThanOrEqualTo(SALES);
            long envelope = seesPull.envelopeBytesPerChange();
            // The two designs before this one, measured on the same day: ledger entries to every store (purchases to
            // a member's stores), and every purchase and ledger entry to every store.
            long ledgerEverywhereBytes = nonePull.bytes() + ledgerBytes + ledgerChanges * envelope;
            long everywhereBytes = ledgerEverywhereBytes + purchaseBytes + purchaseChanges * envelope;

            double nonePerSale = nonePull.bytes() / (double) SALES;
            double seesPerSale = seesPull.bytes() / (double) SALES;
            double ledgerEverywherePerSale = ledgerEverywhereBytes / (double) SALES;
            double everywherePerSale = everywhereBytes / (double) SALES;
            double rowsPerSale = (noneRowsAfter - noneRowsBefore) / (double) SALES;
            double fileBytesPerSale = Math.max(0, fileAfter - fileBefore) / (double) SALES;
            double seesRowsPerSale = (seesRowsAfter - seesRowsBefore) / (double) SALES;
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("chain_sales", SALES);
            figures.put("pull_bytes_per_sale_unseen_members", Math.round(nonePerSale));
            figures.put("pull_bytes_per_sale_tenth_seen", Math.round(seesPerSale));
            figures.put("pull_bytes_per_sale_ledger_everywhere", Math.round(ledgerEverywherePerSale));
            figures.put("pull_bytes_per_sale_every_purchase_everywhere", Math.round(everywherePerSale));
            figures.put("store_rows_per_sale", rowsPerSale);
            figures.put("store_rows_per_sale_tenth_seen", seesRowsPerSale);
            figures.put("store_file_bytes_per_sale", Math.round(fileBytesPerSale));
            figures.put("apply_ms", applyMillis);
            figures.put("daily_pull_mb_at_limit", mb(nonePerSale * CHAIN_SALES_PER_DAY));
            figures.put("daily_pull_mb_at_limit_tenth_seen", mb(seesPerSale * CHAIN_SALES_PER_DAY));
            figures.put("daily_pull_mb_at_limit_ledger_everywhere", mb(ledgerEverywherePerSale * CHAIN_SALES_PER_DAY));
            figures.put("daily_pull_mb_at_limit_every_purchase_everywhere", mb(everywherePerSale * CHAIN_SALES_PER_DAY));
            figures.put("daily_store_growth_mb_at_limit", mb(fileBytesPerSale * CHAIN_SALES_PER_DAY));
            BenchResults.record("sync-chain-pull", figures,
                    BenchResults.Row.comparison("sync, a terminal's daily pull at 1,000 stores × 300 sales",
                            "%.1f MB (%.0f B a chain sale); %.1f MB where a tenth of the members were seen".formatted(
                                    mb(nonePerSale * CHAIN_SALES_PER_DAY), nonePerSale, mb(seesPerSale * CHAIN_SALES_PER_DAY)),
                            "ledger entries to every store: %.0f MB; every purchase too: %.0f MB".formatted(
                                    mb(ledgerEverywherePerSale * CHAIN_SALES_PER_DAY), mb(everywherePerSale * CHAIN_SALES_PER_DAY))),
                    BenchResults.Row.comparison("sync, a terminal's store growth at the same limit",
                            "%.1f MB a day (%.2f rows, %.0f B of H2 file a chain sale)".formatted(
                                    mb(fileBytesPerSale * CHAIN_SALES_PER_DAY), rowsPerSale, fileBytesPerSale),
                            "%.2f rows a chain sale where a tenth were seen; applying %,d changes took %,d ms".formatted(
                                    seesRowsPerSale, applied.pulled(), applyMillis)));
        }
    }

    private static long payloadBytes(OfficeHarness office, String kinds) {
        return office.db.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(SUM(LENGTH(payload)), 0) FROM change_log"
                + " WHERE kind IN (" + kinds + ") AND target_store = 'S001'").mapTo(Long.class).one());
    }

    private static long changes(OfficeHarness office, String kinds) {
        return office.officeLong("SELECT COUNT(*) FROM change_log WHERE kind IN (" + kinds + ") AND target_store = 'S001'");
    }

    /** A pull of everything pending for the terminal, page by page, counted as JSON bytes; nothing is applied. */
    private static Pulled pullAsTheWireCarriesIt(TerminalWiring t, OfficeHarness office) {
        SyncSettings s = SyncSettings.load(t.dataDir()).orElseThrow();
        OfficeClient client = new OfficeClient(s.officeUrl(), s.credential(), office.json, Duration.ofSeconds(30));
        long cursor = t.database().queryLong("SELECT pull_cursor FROM sync_state WHERE id = 1");
        long bytes = 0;
        long payloadBytes = 0;
        int changes = 0;
        while (true) {
            JsonNode page = client.pull(cursor, 1000);
            try {
                bytes += office.json.writeValueAsBytes(page).length;
                for (JsonNode c : page.path("changes")) {
                    payloadBytes += office.json.writeValueAsBytes(c.path("payload")).length;
                    changes++;
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            cursor = page.path("cursor").asLong();
            if (!page.path("more").asBoolean()) {
                return new Pulled(changes, bytes, changes == 0 ? 0 : (bytes - payloadBytes) / changes);
            }
        }
    }

    record Pulled(int changes, long bytes, long envelopeBytesPerChange) {
    }

    private static long rows(TerminalWiring t) {
        Database db = t.database();
        return db.queryLong("SELECT COUNT(*) FROM points_entry") + db.queryLong("SELECT COUNT(*) FROM purchase")
                + db.queryLong("SELECT COUNT(*) FROM purchase_line") + db.queryLong("SELECT COUNT(*) FROM coupon")
                + db.queryLong("SELECT COUNT(*) FROM sv_entry") + db.queryLong("SELECT COUNT(*) FROM tier_event");
    }

    /** The terminal's H2 file once everything committed is written to it. */
    private static long dbFileSize(TerminalWiring t) throws IOException {
        t.database().jdbi().useHandle(h -> h.execute("CHECKPOINT SYNC"));
        try (var files = Files.walk(t.dataDir())) {
            return files.filter(p -> p.toString().endsWith(".mv.db")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static double mb(double bytes) {
        return bytes / 1_000_000.0;
    }
}
