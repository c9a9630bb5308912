package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.Member;
import dev.counterpoint.store.DataKey;
import dev.counterpoint.store.EncryptedH2;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.testing.RawBytes;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backup --to FILE} and {@code restore FILE} (decision 0072). */
class BackupCommandTest {
    private static final String NAME = "欧阳靖雯";
    private static final String MARKER = "QZXVBACKUP";

    @TempDir
    Path tmp;
    Path store;
    Member early;

    @BeforeEach
    void aStore() {
        store = tmp.resolve("store");
        try (TerminalWiring ctx = open(store)) {
            early = ctx.memberService().enrol(NAME + MARKER, "13712344321", LocalDate.of(1988, 3, 14));
        }
    }

    private static TerminalWiring open(Path dir) {
        return TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC());
    }

    private LookupCommandTest.Run run(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--data-dir";
        all[1] = store.toString();
        all[2] = "--lang";
        all[3] = "en";
        System.arraycopy(args, 0, all, 4, args.length);
        return LookupCommandTest.run(all);
    }

    private static boolean knows(Path dir, Member m) {
        try (TerminalWiring ctx = open(dir)) {
            return ctx.memberService().findByCode(m.cardCode()).isPresent();
        }
    }

    private Path db() {
        return store.resolve("db/counterpoint.mv.db");
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    void aBackupIsEncryptedWithoutItsKeyAndRestoresTheStoreAsItWas() throws Exception {
        Path file = tmp.resolve("usb-stick/store.backup");
        LookupCommandTest.Run backup = run("backup", "--to", file.toString());
        assertThat(backup.exit()).as(backup.err()).isZero();
        assertThat(backup.out()).contains("Backup of store S001, terminal T1 written to " + file)
                .contains("data-key --export");

        // Encrypted as the database is: no member data in it, not even a readable zip, and not the key.
        assertThat(EncryptedH2.isEncrypted(file)).isTrue();
        String key = DataKey.of(TerminalConfig.loadOrCreate(store)).exportText().orElseThrow();
        assertThat(RawBytes.find(file, NAME, MARKER, "13712344321", "1988-03-14", key.strip())).isEmpty();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            assertThat(zip.getNextEntry()).isNull();
        } catch (IOException notAZip) {
            // as good: nothing in it reads as a zip
        }

        Member late;
        try (TerminalWiring ctx = open(store)) {
            late = ctx.memberService().enrol("韩梅梅", "13900002222", null);
        }
        LookupCommandTest.Run restore = run("restore", file.toString());
        assertThat(restore.exit()).as(restore.err()).isZero();
        Path kept = store.resolve("db/counterpoint.mv.db.before-restore");
        assertThat(restore.out()).contains("Restored " + file + ": store S001, terminal T1")
                .contains("The database it replaced is kept as " + kept);
        assertThat(knows(store, early)).isTrue();
        assertThat(knows(store, late)).isFalse();
        assertThat(Files.exists(store.resolve("db/counterpoint.restoring"))).isFalse();
        // The database it replaced still opens (as a data dir of its own, under the same key), with the later member.
        Path aside = tmp.resolve("aside");
        Files.createDirectories(aside.resolve("db"));
        Files.copy(store.resolve(TerminalConfig.FILE_NAME), aside.resolve(TerminalConfig.FILE_NAME));
        Files.copy(kept, aside.resolve("db/counterpoint.mv.db"));
        assertThat(knows(aside, late)).isTrue();
    }

    @Test
    void restoreAndBackupAreRefusedWhileATerminalHasTheStoreOpen() throws Exception {
        Path file = tmp.resolve("b.backup");
        assertThat(run("backup", "--to", file.toString()).exit()).isZero();
        try (TerminalWiring running = open(store)) {
            String before = running.database().queryLong("SELECT COUNT(*) FROM member") + "";
            LookupCommandTest.Run restore = run("restore", file.toString());
            assertThat(restore.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(restore.err()).contains("has this store open").contains("close the counter first")
                    .contains("Nothing was changed");
            LookupCommandTest.Run backup = run("backup", "--to", tmp.resolve("c.backup").toString());
            assertThat(backup.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(backup.err()).contains("backs itself up every day");
            assertThat(Files.exists(tmp.resolve("c.backup"))).isFalse();
            assertThat(running.database().queryLong("SELECT COUNT(*) FROM member") + "").isEqualTo(before);
        }
        assertThat(Files.exists(store.resolve("db/counterpoint.mv.db.before-restore"))).isFalse();
        assertThat(knows(store, early)).isTrue();
    }

    @Test
    void aGarbledOrTruncatedFileIsRefusedAndChangesNothing() throws Exception {
        Path good = tmp.resolve("good.backup");
        assertThat(run("backup", "--to", good.toString()).exit()).isZero();
        byte[] bytes = Files.readAllBytes(good);
        String before = sha256(db());

        Path truncated = tmp.resolve("truncated.backup");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path garbled = tmp.resolve("garbled.backup");
        byte[] flipped = bytes.clone();
        for (int i = 0; i < 64; i++) {
            flipped[bytes.length / 3 + i] ^= (byte) 0x5A;
        }
        Files.write(garbled, flipped);
        Path notOne = tmp.resolve("notes.txt");
        Files.writeString(notOne, "not a backup at all\n");

        Map<Path, String> says = Map.of(truncated, "is damaged or cut short", garbled, "is damaged or cut short",
                notOne, "is not a Counterpoint backup", tmp.resolve("missing.backup"), "Cannot read");
        for (var e : says.entrySet()) {
            LookupCommandTest.Run r = run("restore", e.getKey().toString());
            assertThat(r.exit()).as(e.getKey() + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains(e.getKey().toString()).contains(e.getValue()).contains("nothing was changed")
                    .doesNotContain("Exception");
            assertThat(sha256(db())).isEqualTo(before);
            assertThat(Files.exists(store.resolve("db/counterpoint.restoring"))).isFalse();
            assertThat(Files.exists(store.resolve("db/counterpoint.mv.db.before-restore"))).isFalse();
        }
        assertThat(knows(store, early)).isTrue();
    }

    @Test
    void anotherStoresOrTerminalsBackupIsRefused() throws Exception {
        Path other = tmp.resolve("other");
        try (TerminalWiring ctx = open(other)) {
            ctx.memberService().enrol("李雷", "13900001111", null);
        }
        Path otherBackup = tmp.resolve("other.backup");
        LookupCommandTest.Run made = LookupCommandTest.run("--data-dir", other.toString(), "backup", "--to", otherBackup.toString());
        assertThat(made.exit()).as(made.err()).isZero();
        String before = sha256(db());

        LookupCommandTest.Run r = run("restore", otherBackup.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err()).contains("is a backup of another data dir").contains("nothing was changed");
        assertThat(sha256(db())).isEqualTo(before);

        // The same data dir's key, but the store was set up as another store and terminal since.
        Path ours = tmp.resolve("ours.backup");
        assertThat(run("backup", "--to", ours.toString()).exit()).isZero();
        before = sha256(db());
        TerminalConfig.update(store, Map.of("store.id", "S009", "terminal.id", "T3"));
        r = run("restore", ours.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err()).contains("is a backup of store S001, terminal T1, not of this data dir's store S009, terminal T3");
        assertThat(sha256(db())).isEqualTo(before);
    }
}
