package dev.counterpoint.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short secret kept in a settings file or table (a credential, head office's chain phone key) sealed with AES-256-GCM
 * under a key derived from a data key for one purpose (decision 0040). Where it is kept (the file and setting, the table
 * and row) is authenticated with it, so a sealed value moved elsewhere does not open.
 *
 * <p>Text form: {@code sealed1:} and the base64 of nonce (12 bytes), ciphertext and tag.
 */
public final class SealedText {
    private static final String PREFIX = "sealed1:";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataKey dataKey;
    private final String purpose;

    /** @param purpose names the derived key, e.g. "counterpoint terminal credential v1" */
    public SealedText(DataKey dataKey, String purpose) {
        this.dataKey = dataKey;
        this.purpose = purpose;
    }

    public DataKey dataKey() {
        return dataKey;
    }

    public static boolean isSealed(String stored) {
        return stored.startsWith(PREFIX);
    }

    /** Seals {@code value} kept at {@code where}; makes the data key first if there is none yet. */
    public String seal(String where, String value) {
        dataKey.getOrCreate();
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key().orElseThrow(), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(where.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** The value sealed at {@code where}; empty when there is no data key, another one sealed it, or it was altered. */
    public Optional<String> unseal(String where, String stored) {
        Optional<SecretKeySpec> key = key();
        if (key.isEmpty() || !isSealed(stored)) {
            return Optional.empty();
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key.get(), new GCMParameterSpec(TAG_BITS, all, 0, NONCE));
            c.updateAAD(where.getBytes(StandardCharsets.UTF_8));
            return Optional.of(new String(c.doFinal(all, NONCE, all.length - NONCE), StandardCharsets.UTF_8));
        } catch (AEADBadTagException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    private Optional<SecretKeySpec> key() {
        return dataKey.derive(purpose).map(k -> new SecretKeySpec(k, "AES"));
    }
}
