package dev.counterpoint.member;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.store.DataKey;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Phones sealed under the terminal's data key (decision 0038): they open again only with that key, for that member. */
class PhoneSealTest {
    private static final String PHONE = "13912345678";

    @TempDir
    Path tmp;

    @Test
    void aSealedPhoneOpensWithItsKeyForItsMemberOnly() {
        PhoneSeal seal = new PhoneSeal(new DataKey(tmp.resolve("keys/a.key")));
        UUID member = UUID.randomUUID();
        byte[] sealed = seal.seal(member, PHONE);

        assertThat(sealed).hasSize(PhoneSeal.SEALED_LENGTH).isNotEqualTo(seal.seal(member, PHONE)); // a fresh nonce each time
        assertThat(seal.unseal(member, sealed)).contains(PHONE);
        assertThat(new PhoneSeal(new DataKey(tmp.resolve("keys/a.key"))).unseal(member, sealed)).contains(PHONE);
        assertThat(seal.unseal(UUID.randomUUID(), sealed)).as("moved to another member's row").isEmpty();
        byte[] altered = sealed.clone();
        altered[altered.length - 20] ^= 1;
        assertThat(seal.unseal(member, altered)).isEmpty();
        PhoneSeal other = new PhoneSeal(new DataKey(tmp.resolve("keys/b.key")));
        other.seal(member, PHONE); // makes b's key
        assertThat(other.unseal(member, sealed)).as("another data key").isEmpty();
        assertThat(seal.unseal(member, null)).isEmpty();
    }

    @Test
    void withoutItsKeyFileNothingOpensAndNoKeyIsMadeByReading() {
        PhoneSeal seal = new PhoneSeal(new DataKey(tmp.resolve("keys/a.key")));
        UUID member = UUID.randomUUID();
        byte[] sealed = seal.seal(member, PHONE);
        PhoneSeal lost = new PhoneSeal(new DataKey(tmp.resolve("keys/lost.key")));
        assertThat(lost.unseal(member, sealed)).isEmpty();
        assertThat(tmp.resolve("keys/lost.key")).doesNotExist();
    }

    @Test
    void theDatabaseFileHoldsNoPhoneNumberAndTheKeyIsOutsideTheDataDir() throws IOException {
        Path dir = tmp.resolve("store");
        UUID member;
        Path keyFile;
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
            member = ctx.memberService().enrol("钱多多", PHONE, null).id();
            keyFile = DataKey.of(ctx.config()).file();
            byte[] sealed = ctx.database().jdbi().withHandle(h -> h.createQuery("SELECT phone_sealed FROM member WHERE id = :id")
                    .bind("id", member).mapTo(byte[].class).one());
            assertThat(new PhoneSeal(DataKey.of(ctx.config())).unseal(member, sealed)).contains(PHONE);
        }

        List<Path> files = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        Path db = dir.resolve("db/counterpoint.mv.db");
        assertThat(files).contains(db);
        // The file is encrypted (decision 0040): not even the masked form the screen shows is there as plain bytes;
        // the number is in no file of the data dir.
        assertThat(contains(Files.readAllBytes(db), "139****5678".getBytes(StandardCharsets.US_ASCII))).isFalse();
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            assertThat(contains(bytes, PHONE.getBytes(StandardCharsets.US_ASCII))).as(f.toString()).isFalse();
            assertThat(contains(bytes, PHONE.getBytes(StandardCharsets.UTF_16BE))).as(f.toString()).isFalse();
            assertThat(contains(bytes, PHONE.getBytes(StandardCharsets.UTF_16LE))).as(f.toString()).isFalse();
        }

        assertThat(keyFile).exists();
        assertThat(keyFile.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize())).isFalse();
        if (Files.getFileStore(keyFile).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
