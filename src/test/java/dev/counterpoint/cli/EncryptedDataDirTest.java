package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.Member;
import dev.counterpoint.store.DataDir;
import dev.counterpoint.store.DataKey;
import dev.counterpoint.store.Database;
import dev.counterpoint.store.EncryptedH2;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.testing.RawBytes;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The terminal's database is encrypted under the data key kept outside the data dir (decision 0040). */
class EncryptedDataDirTest {
    private static final String NAME = "欧阳靖雯";
    private static final String MARKER = "QZXVMARKER";
    private static final String PHONE = "13712344321";

    @TempDir
    Path tmp;

    @Test
    void aCopiedDataDirOpenedUnderAnotherAccountShowsNothingAndSaysWhy() throws Exception {
        Path store = tmp.resolve("store");
        Member m;
        String phoneKey;
        try (TerminalWiring ctx = TerminalWiring.open(store, Locale.ENGLISH, Clock.systemUTC())) {
            m = ctx.memberService().enrol(NAME + MARKER, PHONE, LocalDate.of(1988, 3, 14));
            phoneKey = java.util.HexFormat.of().formatHex(ctx.config().phoneKey());
        }
        Path copy = tmp.resolve("copied-store");
        copyTree(store, copy);
        Path otherKeys = tmp.resolve("other-account/.config/counterpoint/keys");

        Child refused = lookup(copy, otherKeys, m.cardCode());

        assertThat(refused.exit()).as(refused.output()).isEqualTo(ExitCodes.KEY_MISSING);
        String keyFile = otherKeys.resolve(TerminalConfig.loadOrCreate(copy).installId() + ".key").toString();
        assertThat(refused.output()).contains("counterpoint: the database is encrypted and its key " + keyFile)
                .contains("is not in this account's key folder " + otherKeys)
                .contains("Restore the key file from its backup into " + otherKeys)
                .doesNotContain(NAME).doesNotContain(MARKER).doesNotContain("Exception");
        for (Path f : RawBytes.files(copy)) {
            assertThat(RawBytes.find(f, NAME, MARKER, PHONE, "1988-03-14", "137****4321", phoneKey)).as(f.toString()).isEmpty();
        }

        // What the message says to do works: the key's backup restored into that account's key folder opens the copy.
        Path backup = tmp.resolve("usb-stick/data-key.txt");
        LookupCommandTest.Run exported = LookupCommandTest.run("--data-dir", store.toString(), "--lang", "en",
                "data-key", "--export", backup.toString());
        assertThat(exported.exit()).as(exported.err()).isZero();
        assertThat(exported.out()).contains("The data key of this data dir is kept in " + DataKey.of(TerminalConfig.loadOrCreate(store)).file())
                .contains("Written to " + backup);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
        Files.createDirectories(otherKeys);
        Files.copy(backup, Path.of(keyFile));
        Child restored = lookup(copy, otherKeys, m.cardCode());
        assertThat(restored.exit()).as(restored.output()).isZero();
        assertThat(restored.output()).contains(NAME + MARKER);
    }

    @Test
    void anUnencryptedDataDirOfAnEarlierVersionIsEncryptedOnFirstOpenKeepingEverything() throws Exception {
        Path store = tmp.resolve("store");
        Member m = earlierVersionStore(store);
        Path file = store.resolve("db/counterpoint.mv.db");
        assertThat(EncryptedH2.isEncrypted(file)).isFalse();
        assertThat(RawBytes.find(file, MARKER)).containsExactly(MARKER + " (UTF-8)");

        try (TerminalWiring ctx = TerminalWiring.open(store, Locale.ENGLISH, Clock.systemUTC())) {
            assertKept(ctx, m);
        }

        assertThat(EncryptedH2.isEncrypted(file)).isTrue();
        for (Path f : RawBytes.files(store)) {
            assertThat(RawBytes.find(f, NAME, MARKER)).as(f.toString()).isEmpty();
        }
        assertThat(store.resolve("db/counterpoint.encrypting")).doesNotExist();
        assertThat(store.resolve("db/counterpoint.trace.db")).doesNotExist();
        // the database user's empty password of earlier versions no longer opens it, even with the file's key
        EncryptedH2 h2 = new EncryptedH2(store.resolve("db"), "counterpoint", "counterpoint",
                DataKey.of(TerminalConfig.loadOrCreate(store)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> java.sql.DriverManager.getConnection(h2.url(""),
                "counterpoint", "").close()).hasMessageContaining("Wrong user name or password");
        try (TerminalWiring again = TerminalWiring.open(store, Locale.ENGLISH, Clock.systemUTC())) {
            assertKept(again, m);
        }
    }

    @Test
    void aConversionKilledBeforeItsRenameLeavesThePlainFileWhichTheNextStartEncrypts() throws Exception {
        Path store = tmp.resolve("store");
        Member m = earlierVersionStore(store);
        // killed while copying: the staging folder holds part of a copy and H2's half-written temporary file
        Path staging = store.resolve("db/counterpoint.encrypting");
        Files.createDirectories(staging);
        byte[] plain = Files.readAllBytes(store.resolve("db/counterpoint.mv.db"));
        Files.write(staging.resolve("counterpoint.mv.db"), java.util.Arrays.copyOf(plain, plain.length / 3));
        Files.write(staging.resolve("counterpoint.lock.db"), "server=localhost:1".getBytes(StandardCharsets.US_ASCII));

        try (TerminalWiring ctx = TerminalWiring.open(store, Locale.ENGLISH, Clock.systemUTC())) {
            assertKept(ctx, m);
        }
        assertThat(EncryptedH2.isEncrypted(store.resolve("db/counterpoint.mv.db"))).isTrue();
        assertThat(staging).doesNotExist();
    }

    @Test
    void aConversionKilledAfterItsRenameLeavesTheEncryptedFileAndTheNextStartClearsUp() throws Exception {
        Path store = tmp.resolve("store");
        Member m = earlierVersionStore(store);
        try (TerminalWiring ctx = TerminalWiring.open(store, Locale.ENGLISH, Clock.systemUTC())) {
            assertKept(ctx, m);
        }
        Path staging = store.resolve("db/counterpoint.encrypting");
        Files.createDirectories(staging);
        Files.write(staging.resolve("counterpoint.mv.db.temp"), new byte[4096]);

        try (TerminalWiring ctx = TerminalWiring.open(store, Locale.ENGLISH, Clock.systemUTC())) {
            assertKept(ctx, m);
        }
        assertThat(staging).doesNotExist();
    }

    /** A data dir as versions before encryption left it: the same schema in a plain file, user password empty. */
    private static Member earlierVersionStore(Path store) throws IOException {
        String url = "jdbc:h2:file:" + store.resolve("db/counterpoint").toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
        Member m;
        try (TerminalWiring ctx = TerminalWiring.over(store, Locale.ENGLISH, Clock.systemUTC(), Database.atUrl(url, ""))) {
            m = ctx.memberService().enrol(NAME + MARKER, PHONE, LocalDate.of(1988, 3, 14));
            ctx.checkoutService().recordSale(m.id(), 12_800L, List.of());
        }
        // H2's trace file of an earlier version: failed statements, values and all
        Files.writeString(store.resolve("db/counterpoint.trace.db"), "INSERT INTO member VALUES ('" + NAME + "')");
        return m;
    }

    private static void assertKept(TerminalWiring ctx, Member m) {
        Member found = ctx.memberService().findByCode(m.cardCode()).orElseThrow();
        assertThat(found.displayName()).isEqualTo(NAME + MARKER);
        assertThat(ctx.memberService().search(PHONE)).extracting(Member::id).containsExactly(m.id());
        assertThat(ctx.memberSummaryService().byCode(m.cardCode()).orElseThrow().recentPurchases()).hasSize(1);
    }

    private record Child(int exit, String output) {
    }

    /** {@code lookup} in a JVM of its own whose key folder and home are another account's. */
    private Child lookup(Path dataDir, Path keyDir, String card) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + DataDir.KEY_DIR_PROPERTY + "=" + keyDir, "-Duser.home=" + tmp.resolve("other-account"),
                "-cp", System.getProperty("java.class.path"), "dev.counterpoint.main.Main",
                "--data-dir", dataDir.toString(), "--lang", "en", "lookup", card));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Child(p.exitValue(), output);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
