package dev.counterpoint.store;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The terminal's own settings, in {@code counterpoint.properties} in the data dir, created with
 * defaults on first start. The phone key makes phone lookups possible without storing numbers. The install id names
 * this data dir's data key, which is kept outside it ({@link DataKey}). The card range is the start of this store's card
 * numbers (decision 0057): an unknown card of it is the card in the member's hand.
 *
 * <p>The phone key is kept sealed under the data key ({@code phone.key.sealed}, decision 0040): with it, a phone number
 * falls out of its hash and mask in seconds, and it is the chain's key, so the data dir alone must not give it. A key
 * in the clear ({@code phone.key}: an earlier version's, or the first start's before the data key exists) is sealed at
 * the first read once the data key is there.
 *
 * @param storedPhoneKey the phone key as the file keeps it: sealed text, or hexadecimal in the clear
 * @param file           the settings file, for messages
 */
public record TerminalConfig(String storeId, String storeName, String terminalId, String storedPhoneKey,
                             long wedgeMaxGapMillis, int wedgeMinLength, String installId, String cardRange, Path file) {

    public static final String FILE_NAME = "counterpoint.properties";
    private static final String PHONE_KEY = "phone.key";
    private static final String PHONE_KEY_SEALED = "phone.key.sealed";
    /** Where the sealed phone key is kept, authenticated with it so it opens nowhere else. */
    private static final String PHONE_KEY_WHERE = FILE_NAME + ":" + PHONE_KEY;

    public static TerminalConfig loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Properties p = new Properties();
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(file)) {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
            boolean changed = putDefault(p, "store.id", "S001")
                    | putDefault(p, "store.name", "Counterpoint")
                    | putDefault(p, "terminal.id", "T1")
                    | (!p.containsKey(PHONE_KEY_SEALED) && putDefault(p, PHONE_KEY, HexFormat.of().formatHex(randomKey())))
                    | putDefault(p, "wedge.maxGapMillis", "80")
                    | putDefault(p, "wedge.minLength", "4")
                    | putDefault(p, "install.id", java.util.UUID.randomUUID().toString())
                    | putDefault(p, "card.range", "29");
            String installId = installId(p, file);
            if (!p.containsKey(PHONE_KEY_SEALED)) {
                plainPhoneKey(p.getProperty(PHONE_KEY), file);
            }
            changed |= sealPhoneKey(p, installId);
            if (changed) {
                store(p, file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
        return new TerminalConfig(p.getProperty("store.id").strip(), p.getProperty("store.name").strip(),
                p.getProperty("terminal.id").strip(), p.getProperty(PHONE_KEY_SEALED, p.getProperty(PHONE_KEY)).strip(),
                positive(p, "wedge.maxGapMillis", file), (int) positive(p, "wedge.minLength", file), installId(p, file),
                cardRange(p, file), file);
    }

    /**
     * The phone key. Sealed, it opens with the data key only: without that key this is
     * {@link EncryptedH2.KeyMissingException}, as for the database (which is opened first and says so before this).
     */
    public byte[] phoneKey() {
        if (!SealedText.isSealed(storedPhoneKey)) {
            return plainPhoneKey(storedPhoneKey, file);
        }
        DataKey key = DataKey.of(this);
        if (key.existing().isEmpty()) {
            throw EncryptedH2.KeyMissingException.missing(key);
        }
        String hex = phoneKeySeal(key).unseal(PHONE_KEY_WHERE, storedPhoneKey).orElseThrow(() -> new InvalidConfigException(
                file, PHONE_KEY_SEALED, "was sealed under another data key than this data dir's, or altered; restore this "
                + "file and the data key from the same backup"));
        return plainPhoneKey(hex, file);
    }

    private static SealedText phoneKeySeal(DataKey key) {
        return new SealedText(key, "counterpoint terminal phone key v1");
    }

    /**
     * Replaces a phone key in the clear with its sealed form when the data key exists (none is made here: the first
     * start makes it with the database). True when {@code p} changed.
     */
    private static boolean sealPhoneKey(Properties p, String installId) {
        String plain = p.getProperty(PHONE_KEY);
        if (plain == null) {
            return false;
        }
        DataKey key = DataKey.named(installId);
        try {
            if (key.existing().isEmpty()) {
                return false;
            }
        } catch (DataKey.UnreachableException e) {
            return false; // the database's opening says why, in the user's language
        }
        p.setProperty(PHONE_KEY_SEALED, phoneKeySeal(key).seal(PHONE_KEY_WHERE, plain.strip()));
        p.remove(PHONE_KEY);
        return true;
    }

    /** Durably, owner-only: the file holds the sealed phone key, and registration's re-keyed phones depend on it. */
    private static void store(Properties p, Path file) throws IOException {
        java.io.StringWriter w = new java.io.StringWriter();
        p.store(w, "Counterpoint terminal settings");
        PrivateFiles.write(file, w.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Part of a file name: only letters, digits and '-', so it cannot lead out of the key folder. */
    private static String installId(Properties p, Path file) {
        String id = p.getProperty("install.id").strip();
        if (!id.matches("[A-Za-z0-9-]{8,64}")) {
            throw new InvalidConfigException(file, "install.id", "must be 8-64 letters, digits or '-', not \"" + id + "\"");
        }
        return id;
    }

    /** The first 2 to 12 digits of the store's cards, within the in-store range 29 (the check digit is never part). */
    private static String cardRange(Properties p, Path file) {
        String range = p.getProperty("card.range").strip();
        if (!range.matches("29\\d{0,10}")) {
            throw new InvalidConfigException(file, "card.range", "must be the first 2 to 12 digits of the store's card numbers, "
                    + "starting with 29 (the in-store range), not \"" + range + "\"");
        }
        return range;
    }

    private static byte[] plainPhoneKey(String hex, Path file) {
        try {
            byte[] key = HexFormat.of().parseHex(hex.strip());
            if (key.length >= 16) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // reported below with the file and key named
        }
        throw new InvalidConfigException(file, "phone.key", "must be at least 32 hexadecimal digits; restore it from a backup "
                + "(a new key would make every stored phone number unsearchable)");
    }

    private static long positive(Properties p, String key, Path file) {
        String raw = p.getProperty(key).strip();
        try {
            long value = Long.parseLong(raw);
            if (value > 0 && value <= Integer.MAX_VALUE) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the file and key named
        }
        throw new InvalidConfigException(file, key, "must be a whole number above 0, not \"" + raw + "\"");
    }

    /** A setting in counterpoint.properties cannot be used; the message names the file, the key and the fix. */
    public static final class InvalidConfigException extends RuntimeException {
        public InvalidConfigException(Path file, String key, String problem) {
            super(file + ": " + key + " " + problem);
        }
    }

    /**
     * Rewrites the given settings in counterpoint.properties (registration with head office sets the store,
     * the terminal and the chain's phone key), keeping every other line's value.
     */
    public static void update(Path dataDir, java.util.Map<String, String> values) {
        Path file = dataDir.resolve(FILE_NAME);
        Properties p = new Properties();
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(file)) {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
            p.putAll(values);
            if (values.containsKey(PHONE_KEY)) {
                p.remove(PHONE_KEY_SEALED);
                plainPhoneKey(values.get(PHONE_KEY), file);
                sealPhoneKey(p, installId(p, file));
            }
            // Durably: registration writes the chain's phone key here, and the phones re-keyed with it are committed.
            store(p, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static boolean putDefault(Properties p, String key, String value) {
        return p.putIfAbsent(key, value) == null;
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
