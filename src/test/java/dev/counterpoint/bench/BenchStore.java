package dev.counterpoint.bench;

import dev.counterpoint.cli.CounterpointCommand;
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
            int exit = cl.execute("--data-dir", dir.toString(), "--lang", "en", "demo-data", "--members",
                    String.valueOf(MEMBERS), "--purchases", String.valueOf(10L * MEMBERS));
            if (exit != 0) {
                throw new IllegalStateException("could not generate the bench store: " + out);
            }
        }
        return dir;
    }

    /** {@code count} distinct card codes, chosen at random (reservoir sample, fixed seed). */
    static List<String> randomCards(org.jdbi.v3.core.Jdbi jdbi, int count) throws java.sql.SQLException {
        SplittableRandom r = new SplittableRandom(42);
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
