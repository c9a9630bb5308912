package dev.counterpoint.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The store manager's PIN, kept in the data dir only as a salted PBKDF2 hash ({@code manager-pin}):
 * it guards rule changes and manual coupon actions at the counter. Set with {@code counterpoint set-manager-pin}.
 */
public final class ManagerPin {
    public static final String FILE_NAME = "manager-pin";
    static final int ITERATIONS = 120_000;
    private static final String SCHEME = "pbkdf2-sha256";

    private final Path file;

    public ManagerPin(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    /** A PIN is 4 to 8 digits. */
    public static boolean wellFormed(String pin) {
        return pin != null && pin.matches("\\d{4,8}");
    }

    public boolean isSet() {
        return Files.exists(file);
    }

    public void set(String pin) {
        if (!wellFormed(pin)) {
            throw new IllegalArgumentException("a PIN is 4 to 8 digits");
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String line = String.join(":", SCHEME, Integer.toString(ITERATIONS), b64(salt), b64(hash(pin, salt, ITERATIONS)));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.writeString(tmp, line + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Whether the PIN matches; false when none is set or the file is not one this class wrote. */
    public boolean verify(String pin) {
        if (!isSet() || pin == null) {
            return false;
        }
        String[] parts;
        try {
            parts = Files.readString(file, StandardCharsets.US_ASCII).strip().split(":");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (parts.length != 4 || !SCHEME.equals(parts[0]) || !parts[1].matches("\\d{1,7}")) {
            return false;
        }
        Base64.Decoder d = Base64.getDecoder();
        try {
            return MessageDigest.isEqual(hash(pin, d.decode(parts[2]), Integer.parseInt(parts[1])), d.decode(parts[3]));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] hash(String pin, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(pin.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
