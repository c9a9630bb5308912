package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The terminal's own backups: one a day by its clock, seven kept, and the last close of day's (decision 0072). */
class BackupsTest {
    @TempDir
    Path tmp;

    private static List<String> names(Path dir) {
        return Backups.kept(dir).stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void oneBackupADayBySevenDaysAndTheLastCloseOfDay() throws Exception {
        // 23:30 in Shanghai: the day turns at the zone's midnight, not UTC's
        TestClock clock = new TestClock(Instant.parse("2026-03-01T15:30:00Z"), ZoneId.of("Asia/Shanghai"));
        Path dir = tmp.resolve("store");
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, clock)) {
            Backups backups = ctx.backups();
            assertThat(backups.dailyIfDue()).get().extracting(p -> p.getFileName().toString())
                    .isEqualTo("daily-2026-03-01.backup");
            assertThat(backups.dailyIfDue()).isEmpty();
            clock.advance(Duration.ofMinutes(40));
            assertThat(backups.dailyIfDue()).get().extracting(p -> p.getFileName().toString())
                    .isEqualTo("daily-2026-03-02.backup");
            for (int day = 3; day <= 10; day++) {
                clock.advance(Duration.ofDays(1));
                assertThat(backups.dailyIfDue()).isPresent();
                assertThat(backups.dailyIfDue()).isEmpty();
            }
            assertThat(names(dir)).containsExactly("daily-2026-03-10.backup", "daily-2026-03-09.backup",
                    "daily-2026-03-08.backup", "daily-2026-03-07.backup", "daily-2026-03-06.backup",
                    "daily-2026-03-05.backup", "daily-2026-03-04.backup");

            backups.closeOfDay(LocalDate.of(2026, 3, 9));
            backups.closeOfDay(LocalDate.of(2026, 3, 10));
            assertThat(names(dir)).hasSize(8).contains("close-2026-03-10.backup").doesNotContain("close-2026-03-09.backup");
            // A leftover of a backup cut off by a killed process goes with the next day's.
            Files.writeString(Backups.folder(dir).resolve("daily-2026-03-11.backup.partial"), "cut off");
            Files.writeString(Backups.folder(dir).resolve("daily-2026-03-05.backup.partial"), "cut off");
            clock.advance(Duration.ofDays(1));
            assertThat(backups.dailyIfDue()).isPresent();
            try (var files = Files.list(Backups.folder(dir))) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
            }
            assertThat(names(dir)).hasSize(8).first().isEqualTo("daily-2026-03-11.backup");
            for (Path p : Backups.kept(dir)) {
                assertThat(EncryptedH2.isEncrypted(p)).as(p.toString()).isTrue();
            }
        }
    }

    /** Why backups are written through the encryption: H2 reads the database decrypted, and zips what it reads. */
    @Test
    void h2sBackupToAPlainPathWouldHoldTheStoreInTheClear() throws Exception {
        Path dir = tmp.resolve("store");
        Path plain = tmp.resolve("plain.zip");
        Path ours = tmp.resolve("ours.backup");
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, java.time.Clock.systemUTC())) {
            ctx.memberService().enrol("QZXVPLAINNAME", "13712344321", null);
            ctx.database().jdbi().useHandle(h -> h.execute("BACKUP TO '" + plain + "'"));
            ctx.backups().backupTo(ours);
        }
        try (var zip = new java.util.zip.ZipInputStream(Files.newInputStream(plain))) {
            zip.getNextEntry();
            String content = new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(content).contains("QZXVPLAINNAME");
        }
        assertThat(dev.counterpoint.testing.RawBytes.find(ours, "QZXVPLAINNAME")).isEmpty();
        assertThat(EncryptedH2.isEncrypted(ours)).isTrue();
    }

    @Test
    void aStoreInMemoryMakesNoBackups() {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
        try (TerminalWiring ctx = TerminalWiring.inMemory(tmp.resolve("mem"), Locale.ENGLISH, clock)) {
            assertThat(ctx.backups().available()).isFalse();
            assertThat(ctx.backups().dailyIfDue()).isEmpty();
            assertThat(ctx.backups().closeOfDay(LocalDate.of(2026, 3, 1))).isEmpty();
        }
        assertThat(Files.exists(Backups.folder(tmp.resolve("mem")))).isFalse();
    }
}
