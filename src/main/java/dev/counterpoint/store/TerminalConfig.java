package dev.counterpoint.store;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
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
 */
public record TerminalConfig(String storeId, String storeName, String terminalId, byte[] phoneKey,
                             long wedgeMaxGapMillis, int wedgeMinLength, String installId, String cardRange) {

    public static final String FILE_NAME = "counterpoint.properties";

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
                    | putDefault(p, "phone.key", HexFormat.of().formatHex(randomKey()))
                    | putDefault(p, "wedge.maxGapMillis", "80")
                    | putDefault(p, "wedge.minLength", "4")
                    | putDefault(p, "install.id", java.util.UUID.randomUUID().toString())
                    | putDefault(p, "card.range", "29");
            if (changed) {
                try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    p.store(w, "Counterpoint terminal settings");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
        return new TerminalConfig(p.getProperty("store.id").strip(), p.getProperty("store.name").strip(),
                p.getProperty("terminal.id").strip(), phoneKey(p, file),
                positive(p, "wedge.maxGapMillis", file), (int) positive(p, "wedge.minLength", file), installId(p, file),
                cardRange(p, file));
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

    private static byte[] phoneKey(Properties p, Path file) {
        try {
            byte[] key = HexFormat.of().parseHex(p.getProperty("phone.key").strip());
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
            java.io.StringWriter w = new java.io.StringWriter();
            p.store(w, "Counterpoint terminal settings");
            // Durably: registration writes the chain's phone key here, and the phones re-keyed with it are committed.
            PrivateFiles.write(file, w.toString().getBytes(StandardCharsets.UTF_8));
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
