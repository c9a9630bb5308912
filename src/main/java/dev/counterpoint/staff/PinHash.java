package dev.counterpoint.staff;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A staff PIN kept only as a slow, salted hash: PBKDF2-HMAC-SHA256 with 600,000 iterations and a random 16-byte salt
 * (decision on staff PINs), written {@code pbkdf2-sha256:ITERATIONS:SALT:HASH}. The iteration count travels in the text,
 * so a hash made with another count (the old manager PIN's 120,000) is still checked, and replaced at its next use.
 */
public final class PinHash {
    public static final int ITERATIONS = 600_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PinHash() {}

    /** A new PIN is 6 to 12 digits. */
    public static boolean wellFormed(String pin) {
        return pin != null && pin.matches("\\d{6,12}");
    }

    public static String hash(String pin) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return String.join(":", SCHEME, Integer.toString(ITERATIONS), b64(salt), b64(derive(pin, salt, ITERATIONS)));
    }

    /** Whether the text is a hash this class can check. */
    public static boolean readable(String stored) {
        String[] parts = stored == null ? new String[0] : stored.split(":");
        if (parts.length != 4 || !SCHEME.equals(parts[0]) || !parts[1].matches("\\d{1,7}")) {
            return false;
        }
        try {
            Base64.getDecoder().decode(parts[2]);
            return Base64.getDecoder().decode(parts[3]).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code pin} gives the stored hash; false for anything this class did not write. */
    public static boolean matches(String pin, String stored) {
        if (pin == null || !readable(stored)) {
            return false;
        }
        String[] parts = stored.split(":");
        Base64.Decoder d = Base64.getDecoder();
        return MessageDigest.isEqual(derive(pin, d.decode(parts[2]), Integer.parseInt(parts[1])), d.decode(parts[3]));
    }

    /** Whether a stored hash was made with fewer iterations than today's: it is made again at its next use. */
    public static boolean weak(String stored) {
        return !readable(stored) || Integer.parseInt(stored.split(":")[1]) < ITERATIONS;
    }

    private static byte[] derive(String pin, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(pin.toCharArray(), salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
