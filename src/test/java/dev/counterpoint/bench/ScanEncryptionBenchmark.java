package dev.counterpoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.store.DataKey;
import dev.counterpoint.store.Database;
import dev.counterpoint.store.EncryptedH2;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.h2.store.fs.FilePath;
import org.junit.jupiter.api.Test;

/**
 * What encryption at rest costs a scan (decision 0040): the member panel's content ({@code MemberSummaryService.byCode},
 * upkeep included) on the bench store as shipped, its H2 file encrypted, against the same store decrypted into a plain
 * copy ({@code target/bench/store-N-plain}, made once by reading the file back through its encryption), both open at once. Members are scanned in a
 * random order, each once in each store, alternating the two so both see the same machine; the copy keeps the
 * settings and install id, so the two differ in the file's encryption alone.
 */
class ScanEncryptionBenchmark {
    static final int SCANS = Integer.getInteger("bench.scans", 1_000);
    static final int WARM_UP = 300;

    @Test
    void scanOnTheEncryptedFileAgainstThePlainCopy() throws Exception {
        Path encryptedDir = BenchStore.dataDir();
        Path plainDir = plainCopy(encryptedDir);
        String userPassword = file(encryptedDir).password();
        String plainUrl = "jdbc:h2:file:" + plainDir.resolve("db").resolve("counterpoint")
                + ";DB_CLOSE_ON_EXIT=FALSE;DB_CLOSE_DELAY=-1;WRITE_DELAY=0;QUERY_CACHE_SIZE=64;CACHE_SIZE=16384";
        try (TerminalWiring encrypted = TerminalWiring.open(encryptedDir, Locale.ENGLISH, Clock.systemDefaultZone());
             TerminalWiring plain = TerminalWiring.over(plainDir, Locale.ENGLISH, Clock.systemDefaultZone(),
                     Database.atUrl(plainUrl, userPassword))) {
            assertThat(EncryptedH2.isEncrypted(encryptedDir.resolve("db/counterpoint.mv.db"))).isTrue();
            assertThat(EncryptedH2.isEncrypted(plainDir.resolve("db/counterpoint.mv.db"))).isFalse();
            List<String> cards = BenchStore.randomCards(encrypted.database().jdbi(), WARM_UP + SCANS);
            BenchStore.dailyPass(encrypted, cards);
            BenchStore.dailyPass(plain, cards);
            long[] on = new long[SCANS];
            long[] off = new long[SCANS];
            int shown = 0;
            for (int i = 0; i < cards.size(); i++) {
                boolean encryptedFirst = i % 2 == 0; // neither store always scans a member second
                long a = encryptedFirst ? scan(encrypted, cards.get(i)) : scan(plain, cards.get(i));
                long b = encryptedFirst ? scan(plain, cards.get(i)) : scan(encrypted, cards.get(i));
                if (i >= WARM_UP) {
                    on[i - WARM_UP] = encryptedFirst ? a : b;
                    off[i - WARM_UP] = encryptedFirst ? b : a;
                    shown += a > 0 && b > 0 ? 1 : 0;
                }
            }
            assertThat(shown).isEqualTo(SCANS);
            BenchResults.Latency e = BenchResults.Latency.of(on);
            BenchResults.Latency p = BenchResults.Latency.of(off);
            double ratio = e.p99Micros() / p.p99Micros();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("members_in_store", BenchStore.MEMBERS);
            figures.put("scans", SCANS);
            figures.put("encrypted", e);
            figures.put("plain", p);
            figures.put("p99_ratio", Math.round(ratio * 1000) / 1000.0);
            figures.put("encrypted_file_bytes", Files.size(encryptedDir.resolve("db/counterpoint.mv.db")));
            BenchResults.record("scan-encryption", figures, BenchResults.Row.target(
                    "scan → panel content, encrypted H2 file, p99",
                    BenchResults.ms(e.p99Micros()) + " (p50 " + BenchResults.ms(e.p50Micros()) + ")",
                    "plain copy p99 " + BenchResults.ms(p.p99Micros()) + " (p50 " + BenchResults.ms(p.p50Micros()) + "): "
                            + String.format(Locale.ROOT, "%.2f×", ratio),
                    "≤ 1.10 × plain", ratio <= 1.10));
        }
    }

    /** Nanoseconds to the panel's content; negative when the member was not shown. */
    private static long scan(TerminalWiring ctx, String card) {
        long t0 = System.nanoTime();
        boolean found = ctx.memberSummaryService().byCode(card).isPresent();
        long nanos = System.nanoTime() - t0;
        return found ? Math.max(1, nanos) : -1;
    }

    private static EncryptedH2 file(Path dataDir) {
        EncryptedH2 file = new EncryptedH2(dataDir.resolve("db"), "counterpoint", "counterpoint",
                DataKey.of(TerminalConfig.loadOrCreate(dataDir)));
        file.key().getOrCreate();
        return file;
    }

    /** The bench store decrypted into a folder beside it, once; its settings copied with it. */
    private static Path plainCopy(Path encryptedDir) throws Exception {
        Path plainDir = encryptedDir.resolveSibling(encryptedDir.getFileName() + "-plain");
        Path plainFile = plainDir.resolve("db/counterpoint.mv.db");
        if (Files.exists(plainFile)) {
            return plainDir;
        }
        Files.createDirectories(plainFile.getParent());
        Files.copy(encryptedDir.resolve(TerminalConfig.FILE_NAME), plainDir.resolve(TerminalConfig.FILE_NAME),
                StandardCopyOption.REPLACE_EXISTING);
        // read back through the encryption, as H2 reads it
        String url = file(encryptedDir).url("");
        String encrypted = url.substring("jdbc:h2:".length(), url.indexOf(';')) + ".mv.db";
        Path partial = plainDir.resolve("db/counterpoint.mv.db.part");
        try (var in = FilePath.get(encrypted).newInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(partial, plainFile);
        return plainDir;
    }
}
