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
 * defaults on first start. The phone key makes phone lookups possible without storing numbers.
 */
public record TerminalConfig(String storeId, String storeName, String terminalId, byte[] phoneKey,
                             long wedgeMaxGapMillis, int wedgeMinLength) {

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
                    | putDefault(p, "wedge.minLength", "4");
            if (changed) {
                try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    p.store(w, "Counterpoint terminal settings");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
        return new TerminalConfig(p.getProperty("store.id"), p.getProperty("store.name"), p.getProperty("terminal.id"),
                HexFormat.of().parseHex(p.getProperty("phone.key")),
                Long.parseLong(p.getProperty("wedge.maxGapMillis").trim()),
                Integer.parseInt(p.getProperty("wedge.minLength").trim()));
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
