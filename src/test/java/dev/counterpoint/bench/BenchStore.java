package dev.counterpoint.bench;

import dev.counterpoint.main.CounterpointCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The large store the benchmarks read: {@code target/bench/store-N} for N = {@code -Dbench.members} (default
 * 1,000,000; e.g. 100000 for quick runs), generated once with {@code demo-data --members N --purchases 10N} and
 * reused by later runs while it is there.
 */
final class BenchStore {
    static final int MEMBERS = Integer.getInteger("bench.members", 1_000_000);

    private BenchStore() {}

    static Path dataDir() {
        Path dir = Path.of("target", "bench", "store-" + MEMBERS).toAbsolutePath();
        if (!Files.exists(dir.resolve("db").resolve("counterpoint.mv.db"))) {
            StringWriter out = new StringWriter();
            var cl = CounterpointCommand.commandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(out));
            long t0 = System.nanoTime();
            int exit = cl.execute("--data-dir", dir.toString(), "--lang", "en", "demo-data", "--members",
                    String.valueOf(MEMBERS), "--purchases", String.valueOf(10L * MEMBERS));
            long nanos = System.nanoTime() - t0;
            if (exit != 0) {
                throw new IllegalStateException("could not generate the bench store: " + out);
            }
            recordGeneration(dir, nanos);
        }
        return dir;
    }

    /** The whole command's rate (store created, migrated, filled, indexed): every row in the store over its wall time. */
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
        BenchResults.record("scale-data", figures, BenchResults.Row.target("scale data, demo-data --members " + MEMBERS,
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
