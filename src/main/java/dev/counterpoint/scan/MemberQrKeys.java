package dev.counterpoint.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member-QR public keys this terminal accepts (table {@code member_qr_key}): head office's, as the change feed
 * brings them (several while it rotates keys). A terminal holds no signing key: tokens are minted by head office
 * (decision 0043), so a copied terminal cannot mint one.
 */
public final class MemberQrKeys {
    private static final Logger LOG = LoggerFactory.getLogger(MemberQrKeys.class);
    /** Files of earlier versions, when each terminal signed with a key of its own: removed at start. */
    static final List<String> OLD_FILES = List.of("member-qr-signing.key", "member-qr-trusted.keys");
    /** How long the counter uses the keys it read before reading them again. */
    static final Duration REREAD = Duration.ofMinutes(1);

    /** Adds a key head office published; a key already held is left as it is. */
    public void insert(Handle h, String publicKeyBase64, OffsetDateTime at) {
        h.createUpdate("""
                MERGE INTO member_qr_key(public_key, added_at) KEY (public_key) VALUES (:k, :at)""")
                .bind("k", publicKeyBase64).bind("at", at).execute();
    }

    /** The keys held; one that does not decode (never written so) is skipped with a warning. */
    public List<PublicKey> trusted(Handle h) {
        List<PublicKey> keys = new ArrayList<>();
        for (String k : h.createQuery("SELECT public_key FROM member_qr_key ORDER BY added_at, public_key")
                .mapTo(String.class).list()) {
            try {
                keys.add(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(k))));
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                LOG.warn("a member-QR key held here does not decode and is not used");
            }
        }
        return List.copyOf(keys);
    }

    /** The keys as the counter reads them: from the database, again at most once every {@link #REREAD}. */
    public Supplier<List<PublicKey>> reading(Jdbi jdbi, Clock clock) {
        return new Supplier<>() {
            private List<PublicKey> keys;
            private Instant readAt = Instant.MIN;

            @Override
            public synchronized List<PublicKey> get() {
                Instant now = clock.instant();
                if (keys == null || !now.isBefore(readAt.plus(REREAD)) || now.isBefore(readAt)) {
                    keys = jdbi.withHandle(MemberQrKeys.this::trusted);
                    readAt = now;
                }
                return keys;
            }
        };
    }

    /**
     * Removes the signing key and trusted-key file an earlier version kept in the data dir: anyone with a copy of the
     * signing key could mint tokens for any card.
     */
    public static void removeOldFiles(Path dataDir) {
        for (String name : OLD_FILES) {
            Path f = dataDir.resolve(name);
            try {
                if (Files.deleteIfExists(f)) {
                    LOG.info("removed {}: member QR tokens are now minted by head office", f);
                }
            } catch (IOException e) {
                LOG.warn("cannot remove {}: {}", f, e.getMessage());
            }
        }
    }
}
