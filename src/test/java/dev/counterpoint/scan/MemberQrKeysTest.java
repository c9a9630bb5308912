package dev.counterpoint.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.store.Database;
import dev.counterpoint.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A terminal trusts the member-QR keys head office published, as its database holds them, and keeps no signing key. */
class MemberQrKeysTest {
    private static final Instant NOW = Instant.parse("2026-03-10T02:00:00Z");

    @Test
    void aKeyFromHeadOfficeIsTrustedWithinAMinuteAndTokensItSignedVerify() throws Exception {
        TestClock clock = new TestClock(NOW, ZoneOffset.UTC);
        KeyPair headOffice = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        try (Database db = Database.inMemory("qr-keys-" + System.nanoTime())) {
            MemberQrKeys keys = new MemberQrKeys();
            Supplier<List<java.security.PublicKey>> reading = keys.reading(db.jdbi(), clock);
            MemberQrVerifier verifier = new MemberQrVerifier(reading, clock);
            String token = new MemberQrSigner(headOffice.getPrivate(), clock).tokenFor("2900000000018");
            assertThat(verifier.verify(token)).isInstanceOfSatisfying(MemberQrVerifier.Refused.class,
                    r -> assertThat(r.reason().key()).isEqualTo("scan.qr.noKey"));

            String encoded = Base64.getEncoder().encodeToString(headOffice.getPublic().getEncoded());
            db.jdbi().useHandle(h -> keys.insert(h, encoded, NOW.atOffset(ZoneOffset.UTC)));
            db.jdbi().useHandle(h -> keys.insert(h, encoded, NOW.atOffset(ZoneOffset.UTC))); // a page applied twice
            assertThat(db.jdbi().withHandle(keys::trusted)).hasSize(1);
            clock.advance(MemberQrKeys.REREAD);
            String fresh = new MemberQrSigner(headOffice.getPrivate(), clock).tokenFor("2900000000018");
            assertThat(verifier.verify(fresh)).isEqualTo(new MemberQrVerifier.Verified("2900000000018"));
        }
    }

    @Test
    void theSigningKeyAndTrustedListOfEarlierVersionsAreRemoved(@TempDir Path dir) throws Exception {
        for (String f : MemberQrKeys.OLD_FILES) {
            Files.writeString(dir.resolve(f), "old");
        }
        MemberQrKeys.removeOldFiles(dir);
        for (String f : MemberQrKeys.OLD_FILES) {
            assertThat(dir.resolve(f)).doesNotExist();
        }
    }
}
