package dev.counterpoint.office;

import dev.counterpoint.store.DataKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A secret setting of head office (the chain's phone key) sealed with AES-256-GCM under a key derived from the office's
 * data key (decision 0040), so the database, its dumps and backups do not hold it in the clear. The setting's name is
 * authenticated with it: a sealed value moved to another setting does not open.
 *
 * <p>Stored form: {@code sealed1:} and the base64 of nonce (12 bytes), ciphertext and tag.
 */
public final class SettingSeal {
    private static final String PREFIX = "sealed1:";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final DataKey dataKey;
    private final SecureRandom random = new SecureRandom();

    public SettingSeal(DataKey dataKey) {
        this.dataKey = dataKey;
    }

    /** The office key's file: named when a sealed setting does not open. */
    public DataKey dataKey() {
        return dataKey;
    }

    static boolean isSealed(String stored) {
        return stored.startsWith(PREFIX);
    }

    String seal(String name, String value) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key(true), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associated(name));
            byte[] sealed = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** The value; an {@link IllegalStateException} naming the key file when this office's key did not seal it. */
    String unseal(String name, String stored) {
        byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key(false), new GCMParameterSpec(TAG_BITS, all, 0, NONCE));
            c.updateAAD(associated(name));
            return new String(c.doFinal(all, NONCE, all.length - NONCE), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("head office's " + name + " was sealed under another office key than "
                    + dataKey.file() + ": put back the key file this office made (every node of a chain needs the same one"
                    + " and the same install.id in office.properties)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    private SecretKeySpec key(boolean create) {
        if (create) {
            dataKey.getOrCreate();
        }
        byte[] k = dataKey.derive("counterpoint office setting seal v1").orElseThrow(() -> new IllegalStateException(
                "head office's key " + dataKey.file() + " is missing: restore it from its backup"));
        return new SecretKeySpec(k, "AES");
    }

    private static byte[] associated(String name) {
        return ("office_setting:" + name).getBytes(StandardCharsets.US_ASCII);
    }
}
