package dev.counterpoint.office;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.Change;
import dev.counterpoint.scan.MemberQrSigner;
import dev.counterpoint.scan.MemberQrToken;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Head office mints the members' QR tokens (decision 0043). The chain has one Ed25519 signing key, made on first need
 * and kept sealed under the office's key in {@code office_setting}; its public key goes on the change feed to every
 * store, which is all a terminal holds. A token is made only for a card head office knows and has not erased.
 */
public final class MemberQrMint {
    static final String SETTING = "member_qr_signing_key";

    /** A token and the moment it stops being accepted (give or take the terminals' clock allowance). */
    public record Minted(String cardCode, String token, Instant expiresAt) {
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final ObjectMapper json;
    private final SettingSeal seal;
    private volatile PrivateKey key;

    public MemberQrMint(Jdbi jdbi, Clock clock, ObjectMapper json, SettingSeal seal) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.json = json;
        this.seal = seal;
    }

    /** Makes the signing key if there is none, so that terminals have its public key before any member shows a token. */
    public void publishKey() {
        key();
    }

    /** A token for the card, valid from now; empty when head office knows no such card or the member was erased. */
    public Optional<Minted> mint(String cardCode) {
        if (cardCode == null || cardCode.isBlank() || cardCode.length() > 64) {
            return Optional.empty();
        }
        String card = cardCode.strip();
        boolean known = jdbi.withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM member WHERE card_code = :c AND status IN ('ACTIVE', 'MERGED') AND erased_at IS NULL")
                .bind("c", card).mapTo(Integer.class).one() > 0);
        if (!known) {
            return Optional.empty();
        }
        String token = new MemberQrSigner(key(), clock).tokenFor(card);
        return Optional.of(new Minted(card, token,
                Instant.ofEpochSecond(MemberQrToken.parse(token).orElseThrow().expiresEpochSecond())));
    }

    private PrivateKey key() {
        PrivateKey k = key;
        if (k != null) {
            return k;
        }
        synchronized (this) {
            if (key == null) {
                key = jdbi.inTransaction(h -> {
                    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
                    // Under the feed lock: two nodes starting at once make one key between them.
                    FeedWriter feed = new FeedWriter(h, json, now);
                    Optional<String> stored = OfficeSettings.find(h, SETTING);
                    if (stored.isPresent()) {
                        return decode(seal.unseal(SETTING, stored.get()));
                    }
                    KeyPair pair = generate();
                    OfficeSettings.insert(h, SETTING,
                            seal.seal(SETTING, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded())));
                    feed.append(new Change.MemberQrKey(Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()), now),
                            null);
                    feed.finish();
                    return pair.getPrivate();
                });
            }
            return key;
        }
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
    }

    private static PrivateKey decode(String base64) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalStateException("head office's member-QR signing key does not decode; restore the database", e);
        }
    }
}
