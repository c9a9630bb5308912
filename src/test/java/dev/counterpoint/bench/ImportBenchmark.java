package dev.counterpoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.importer.ImportResult;
import dev.counterpoint.member.CardCodes;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code import-members} rows per second (validation, keyed phone hash, card code and ledger rows, one outbox
 * event per member, committed in batches) against H2's own bulk path for the same file,
 * {@code CREATE TABLE ... AS SELECT * FROM CSVREAD(...)}, in a second fresh store: the cost of reading the file
 * and writing its rows with nothing checked or derived.
 */
class ImportBenchmark {
    static final int ROWS = Integer.getInteger("bench.importRows", 50_000);
    private static final String[] TIERS = {"NORMAL", "NORMAL", "NORMAL", "SILVER", "GOLD", "DIAMOND"};

    @Test
    void importMembersAgainstCsvread() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "bench", "import").toAbsolutePath());
        Path csv = dir.resolve("members.csv");
        SplittableRandom r = new SplittableRandom(11);
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("card_code,phone,name,birthday,tier,points,stored_value_fen\n");
            for (int i = 0; i < ROWS; i++) {
                w.write(CardCodes.withCheckDigit("29" + String.format("%010d", 5_000_000_000L + i)) + ",139"
                        + String.format("%08d", i) + ",会员" + i + "," + (1960 + r.nextInt(45)) + "-0" + (1 + r.nextInt(9))
                        + "-1" + r.nextInt(10) + "," + TIERS[r.nextInt(TIERS.length)] + "," + r.nextInt(5000) + ","
                        + (r.nextInt(4) == 0 ? r.nextInt(100_000) : 0) + "\n");
            }
        }
        Path app = dir.resolve("app-store");
        Path bare = dir.resolve("csvread-store");
        deleteTree(app);
        deleteTree(bare);
        long importNanos;
        ImportResult result;
        try (TerminalWiring ctx = TerminalWiring.open(app, Locale.ENGLISH, Clock.systemDefaultZone())) {
            long t0 = System.nanoTime();
            result = ctx.memberImporter().importFile(csv, m -> { });
            importNanos = System.nanoTime() - t0;
        }
        long csvreadNanos;
        long copied;
        try (TerminalWiring ctx = TerminalWiring.open(bare, Locale.ENGLISH, Clock.systemDefaultZone())) {
            long t0 = System.nanoTime();
            ctx.database().jdbi().useHandle(h -> h.execute(
                    "CREATE TABLE members_csv AS SELECT * FROM CSVREAD('" + csv + "', NULL, 'charset=UTF-8')"));
            csvreadNanos = System.nanoTime() - t0;
            copied = ctx.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM members_csv").mapTo(Long.class).one());
        }
        assertThat(result.imported()).isEqualTo(ROWS);
        assertThat(copied).isEqualTo(ROWS);
        long importRate = ROWS * 1_000_000_000L / importNanos;
        long csvreadRate = ROWS * 1_000_000_000L / csvreadNanos;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rows", ROWS);
        figures.put("import_rows_per_s", importRate);
        figures.put("csvread_rows_per_s", csvreadRate);
        figures.put("csvread_over_import", Math.round(csvreadRate * 100.0 / importRate) / 100.0);
        BenchResults.record("import-members", figures, BenchResults.Row.comparison("import-members, rows/s",
                String.format(Locale.ROOT, "%,d", importRate), String.format(Locale.ROOT, "H2 CSVREAD %,d rows/s (%.1f×)",
                        csvreadRate, csvreadRate / (double) importRate)));
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (Files.exists(p)) {
            try (var walk = Files.walk(p)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
