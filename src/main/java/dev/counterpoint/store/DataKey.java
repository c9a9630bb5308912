package dev.counterpoint.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The terminal's data key: 256 random bits that seal personal data the terminal must be able to read again later
 * (decision 0038). It is kept outside the data dir, in the user's key folder ({@link DataDir#keyDir()}), in a file named
 * by the data dir's install id, owner-only: a copy of the data dir alone does not carry it. Made on first need (the
 * first value sealed), never replaced: a new key would leave everything sealed before unreadable.
 */
public final class DataKey {
    public static final int BYTES = 32;

    private final Path file;
    private volatile byte[] key;

    public DataKey(Path file) {
        this.file = file;
    }

    /** The data key of this data dir, in the key folder this process uses. */
    public static DataKey of(TerminalConfig config) {
        return named(config.installId());
    }

    /** The data key named {@code name} (letters, digits and '-' only) in the key folder this process uses. */
    public static DataKey named(String name) {
        return new DataKey(DataDir.keyDir().resolve(name + ".key"));
    }

    public Path file() {
        return file;
    }

    /** The key if its file exists (nothing is made). A damaged file is an error, never replaced. */
    public Optional<byte[]> existing() {
        byte[] k = key;
        if (k != null) {
            return Optional.of(k);
        }
        synchronized (this) {
            if (key == null && Files.exists(file)) {
                key = read();
            }
            return Optional.ofNullable(key);
        }
    }

    /** The key, made and stored first if there is none yet. */
    public byte[] getOrCreate() {
        Optional<byte[]> k = existing();
        if (k.isPresent()) {
            return k.get();
        }
        synchronized (this) {
            if (key == null) {
                key = create();
            }
            return key;
        }
    }

    /**
     * A key for one purpose, derived from this data key (HMAC-SHA256 of the purpose's name), so keys for different
     * purposes (the phone seal, the database file) never coincide and none reveals the data key. Empty without a key.
     */
    public Optional<byte[]> derive(String purpose) {
        return existing().map(k -> derive(k, purpose));
    }

    static byte[] derive(byte[] key, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private byte[] read() {
        try {
            byte[] k = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (k.length == BYTES) {
                return k;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data key " + file, e);
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalStateException("the data key " + file + " is damaged (not " + BYTES * 2
                + " hexadecimal digits); restore it from a backup");
    }

    /** Stored durably before anything is sealed with it ({@link PrivateFiles#write}). */
    private byte[] create() {
        byte[] k = new byte[BYTES];
        new SecureRandom().nextBytes(k);
        try {
            PrivateFiles.privateFolder(file.toAbsolutePath().getParent());
            PrivateFiles.write(file, (HexFormat.of().formatHex(k) + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the data key " + file, e);
        }
        return k;
    }
}
