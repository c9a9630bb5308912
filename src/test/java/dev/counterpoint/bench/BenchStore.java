package dev.counterpoint.bench;

import dev.counterpoint.demo.ScaleStoreGenerator;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The large store the benchmarks read: {@code target/bench/store-N} for N = {@code -Dbench.members} (default
 * 1,000,000; e.g. 100000 for quick runs), generated once by {@link ScaleStoreGenerator} (the demo's showcase members,
 * then N members with about 10N purchases between them) and reused by later runs while it is there.
 */
final class BenchStore {
    static final int MEMBERS = Integer.getInteger("bench.members", 1_000_000);

    private BenchStore() {}

    static Path dataDir() {
        Path dir = Path.of("target", "bench", "store-" + MEMBERS).toAbsolutePath();
        if (!Files.exists(dir.resolve("db").resolve("counterpoint.mv.db"))) {
            long t0 = System.nanoTime();
            generate(dir);
            recordGeneration(dir, System.nanoTime() - t0);
        }
        return dir;
    }

    /**
     * Creates the store as the terminal would (settings, encrypted database, migrations, rules), writes the showcase
     * members through the demo's own path, then the bulk members, with a line on standard output for each tenth of
     * each pass.
     */
    private static void generate(Path dir) {
        System.out.printf(Locale.ROOT, "Generating the bench store %s: %,d members, about %,d purchases%n", dir, MEMBERS,
                10L * MEMBERS);
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            ctx.demoStoreGenerator().generate(0, (written, total) -> { });
            long started = System.nanoTime(); // the progress lines' rate is the bulk load's, as in the summary
            ScaleStoreGenerator.Summary s = ScaleStoreGenerator.of(ctx).generate(MEMBERS, 10L * MEMBERS,
                    new ScaleStoreGenerator.Progress() {
                        private int shownTenths;
                        private ScaleStoreGenerator.Pass shown;

                        @Override
                        public void written(ScaleStoreGenerator.Pass pass, int written, int total, long rows) {
                            if (pass != shown) {
                                shown = pass;
                                shownTenths = 0;
                            }
                            int tenths = (int) (10L * written / total);
                            if (tenths > shownTenths) {
                                shownTenths = tenths;
                                long elapsed = Math.max(1, System.nanoTime() - started);
                                System.out.printf(Locale.ROOT, "  %-9s %,d of %,d members · %,d rows · %,d rows/s%n",
                                        pass.name().toLowerCase(Locale.ROOT), written, total, rows,
                                        rows * 1_000_000_000L / elapsed);
                            }
                        }

                        @Override
                        public void finishing(int indexes) {
                            System.out.printf(Locale.ROOT, "  building the last %d indexes and constraints%n", indexes);
                        }
                    });
            System.out.printf(Locale.ROOT, "Bench store ready: %,d members, %,d purchases (%,d lines), %,d coupons; "
                    + "%,d rows in %.1f s = %,d rows/s%n", s.members(), s.purchases(), s.lines(), s.coupons(), s.rows(),
                    s.nanos() / 1e9, s.rowsPerSecond());
        }
    }

    /** The whole generation's rate (store created, migrated, filled, indexed): every row in the store over its wall time. */
    private static void recordGeneration(Path dir, long nanos) {
        var file = new dev.counterpoint.store.EncryptedH2(dir.resolve("db"), "counterpoint", "counterpoint",
                dev.counterpoint.store.DataKey.of(dev.counterpoint.store.TerminalConfig.loadOrCreate(dir)));
        long rows;
        try (var c = java.sql.DriverManager.getConnection(file.url(""), "counterpoint", file.password());
             var rs = c.createStatement().executeQuery(
                     "SELECT SUM(ROW_COUNT_ESTIMATE) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            rs.next();
            rows = rs.getLong(1);
            rs.close();
            // closes the file now: a benchmark child opening the store next must not find it still locked by this JVM
            c.createStatement().execute("SHUTDOWN");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot count the bench store's rows", e);
        }
        long perSecond = rows * 1_000_000_000L / nanos;
        java.util.Map<String, Object> figures = new java.util.LinkedHashMap<>();
        figures.put("members", MEMBERS);
        figures.put("purchases_asked", 10L * MEMBERS);
        figures.put("rows", rows);
        figures.put("seconds", Math.round(nanos / 1e8) / 10.0);
        figures.put("rows_per_s", perSecond);
        BenchResults.record("scale-data", figures, BenchResults.Row.target("scale data, " + MEMBERS + " members",
                String.format(java.util.Locale.ROOT, "%,d rows/s", perSecond),
                String.format(java.util.Locale.ROOT, "%,d rows in %.0f s", rows, nanos / 1e9), "≥ 100,000 rows/s",
                perSecond >= 100_000));
    }

    /**
     * Brings these members up to date as the store's nightly {@code daily} pass would have (expired points written
     * off, due coupons issued), untimed: a scan benchmark then measures the counter's steady state, not a generated
     * store's first day.
     */
    static void dailyPass(dev.counterpoint.wiring.TerminalWiring ctx, List<String> cards) {
        for (String card : cards) {
            ctx.memberService().findByCode(card).ifPresent(m -> ctx.memberUpkeep().bringUpToDate(m.id()));
        }
    }

    /** {@code count} distinct card codes, chosen at random (reservoir sample, fixed seed). */
    static List<String> randomCards(org.jdbi.v3.core.Jdbi jdbi, int count) throws java.sql.SQLException {
        return randomCards(jdbi, count, 42);
    }

    /** As {@link #randomCards(org.jdbi.v3.core.Jdbi, int)}, with this seed. */
    static List<String> randomCards(org.jdbi.v3.core.Jdbi jdbi, int count, long seed) throws java.sql.SQLException {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> cards = new ArrayList<>(count);
        jdbi.useHandle(h -> {
            try (var s = h.getConnection().createStatement(); var rs = s.executeQuery("SELECT code FROM member_code")) {
                long seen = 0;
                while (rs.next()) {
                    seen++;
                    if (cards.size() < count) {
                        cards.add(rs.getString(1));
                    } else {
                        long slot = r.nextLong(seen);
                        if (slot < count) {
                            cards.set((int) slot, rs.getString(1));
                        }
                    }
                }
            }
        });
        return cards;
    }
}
