package dev.counterpoint.member;

import dev.counterpoint.store.DataKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A member's phone number sealed under the terminal's data key (AES-256-GCM), kept beside its keyed hash so the
 * number can be hashed again with another key — the chain's, when a store that ran alone joins head office
 * (decision 0038) — without being readable from a copy of the data dir, which does not hold the data key.
 *
 * <p>Sealed form: version (1 byte), key id (4), nonce (12), ciphertext and tag (11 + 16): 44 bytes. The member's id is
 * authenticated with it, so a sealed phone copied into another member's row does not open. The AES key is derived from
 * the data key for phones alone, so other personal data sealed later under the same data key uses other keys.
 */
public final class PhoneSeal {
    /** Length of a sealed 11-digit number. */
    public static final int SEALED_LENGTH = 1 + 4 + 12 + 11 + 16;
    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final DataKey dataKey;
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Cipher> cipher = ThreadLocal.withInitial(PhoneSeal::newCipher);
    private volatile Keys keys;

    private record Keys(SecretKeySpec aes, byte[] id) {
    }

    public PhoneSeal(DataKey dataKey) {
        this.dataKey = dataKey;
    }

    /** Where the data key is (or will be): what a store must back up, or put back, to re-key its phones. */
    public Path keyFile() {
        return dataKey.file();
    }

    /** Seals a normalised number for this member; makes the data key first if there is none yet. */
    public byte[] seal(UUID memberId, String normalisedPhone) {
        Keys k = keys(true).orElseThrow();
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        byte[] plain = normalisedPhone.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(1 + k.id().length + NONCE + plain.length + TAG_BITS / 8);
        out.put(VERSION).put(k.id()).put(nonce);
        try {
            Cipher c = cipher.get();
            c.init(Cipher.ENCRYPT_MODE, k.aes(), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associated(memberId));
            c.doFinal(ByteBuffer.wrap(plain), out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
        return out.array();
    }

    /**
     * The number sealed for this member; empty when there is no data key, when it was sealed under another data key
     * (a lost key replaced), or when the bytes were altered.
     */
    public Optional<String> unseal(UUID memberId, byte[] sealed) {
        if (sealed == null || sealed.length < 1 + 4 + NONCE + TAG_BITS / 8 || sealed[0] != VERSION) {
            return Optional.empty();
        }
        Optional<Keys> k = keys(false);
        if (k.isEmpty() || !Arrays.equals(k.get().id(), 0, 4, sealed, 1, 5)) {
            return Optional.empty();
        }
        try {
            Cipher c = cipher.get();
            c.init(Cipher.DECRYPT_MODE, k.get().aes(), new GCMParameterSpec(TAG_BITS, sealed, 5, NONCE));
            c.updateAAD(associated(memberId));
            byte[] plain = c.doFinal(sealed, 5 + NONCE, sealed.length - 5 - NONCE);
            return Optional.of(new String(plain, StandardCharsets.US_ASCII));
        } catch (AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    private Optional<Keys> keys(boolean create) {
        Keys k = keys;
        if (k != null) {
            return Optional.of(k);
        }
        Optional<byte[]> data = create ? Optional.of(dataKey.getOrCreate()) : dataKey.existing();
        return data.map(d -> {
            Keys made = new Keys(new SecretKeySpec(derive(d, "counterpoint phone seal v1"), "AES"),
                    Arrays.copyOf(derive(d, "counterpoint data key id"), 4));
            keys = made;
            return made;
        });
    }

    private static byte[] derive(byte[] dataKey, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(dataKey, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] associated(UUID memberId) {
        return ("member.phone:" + memberId).getBytes(StandardCharsets.US_ASCII);
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }
}
