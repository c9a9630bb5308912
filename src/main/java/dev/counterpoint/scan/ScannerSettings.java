package dev.counterpoint.scan;

import dev.counterpoint.store.SettingsFile;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * How the scanners are set up, in {@value #FILE_NAME} in the data dir: the serial port (none: serial
 * scanning off) and its line settings and framing, and how a keyboard-wedge scanner frames its codes.
 * Prefix and suffix are stored as text with {@code \xHH} escapes for control characters.
 */
public record ScannerSettings(String port, int baud, int dataBits, Parity parity, StopBits stopBits, Framing framing,
                              String suffix, String prefix, String wedgePrefix, String wedgeSuffix,
                              WedgeTerminator wedgeTerminator) {
    public static final String FILE_NAME = "scanner.properties";

    public enum Parity { NONE, ODD, EVEN, MARK, SPACE }

    public enum StopBits { ONE, ONE_POINT_FIVE, TWO }

    /** What ends a code on the serial line. */
    public enum Framing {
        CR("\r"), LF("\n"), CRLF("\r\n"), SUFFIX(null);

        private final String terminator;

        Framing(String terminator) {
            this.terminator = terminator;
        }
    }

    /** The key a wedge scanner presses after a code. */
    public enum WedgeTerminator { ENTER, TAB, ENTER_OR_TAB }

    public ScannerSettings {
        port = port == null ? "" : port.strip();
        suffix = suffix == null ? "" : suffix;
        prefix = prefix == null ? "" : prefix;
        wedgePrefix = wedgePrefix == null ? "" : wedgePrefix;
        wedgeSuffix = wedgeSuffix == null ? "" : wedgeSuffix;
        if (baud <= 0) {
            throw new IllegalArgumentException("baud rate must be positive: " + baud);
        }
        if (dataBits < 5 || dataBits > 8) {
            throw new IllegalArgumentException("data bits must be 5 to 8: " + dataBits);
        }
        if (framing == Framing.SUFFIX && suffix.isEmpty()) {
            throw new IllegalArgumentException("framing SUFFIX needs a suffix");
        }
    }

    public static ScannerSettings defaults() {
        return new ScannerSettings("", 9600, 8, Parity.NONE, StopBits.ONE, Framing.CR, "", "", "", "",
                WedgeTerminator.ENTER);
    }

    public boolean serialEnabled() {
        return !port.isEmpty();
    }

    /** The bytes that end a code. */
    public String terminator() {
        return framing == Framing.SUFFIX ? suffix : framing.terminator;
    }

    public ScannerSettings withSerial(String newPort, Integer newBaud) {
        return new ScannerSettings(newPort, newBaud == null ? baud : newBaud, dataBits, parity, stopBits, framing, suffix,
                prefix, wedgePrefix, wedgeSuffix, wedgeTerminator);
    }

    /** The saved settings, or the defaults if none are saved. A bad value names the file and key. */
    public static ScannerSettings load(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Optional<Properties> saved = SettingsFile.read(file);
        if (saved.isEmpty()) {
            return defaults();
        }
        Properties p = saved.get();
        ScannerSettings d = defaults();
        try {
            return new ScannerSettings(p.getProperty("serial.port", d.port),
                    intValue(p, "serial.baud", d.baud), intValue(p, "serial.dataBits", d.dataBits),
                    enumValue(p, "serial.parity", Parity.class, d.parity),
                    enumValue(p, "serial.stopBits", StopBits.class, d.stopBits),
                    enumValue(p, "serial.framing", Framing.class, d.framing),
                    unescape(p.getProperty("serial.suffix", "")), unescape(p.getProperty("serial.prefix", "")),
                    unescape(p.getProperty("wedge.prefix", "")), unescape(p.getProperty("wedge.suffix", "")),
                    enumValue(p, "wedge.terminator", WedgeTerminator.class, d.wedgeTerminator));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the settings atomically (a crash leaves the old file or the new one). */
    public void save(Path dataDir) {
        Properties p = new Properties();
        p.setProperty("serial.port", port);
        p.setProperty("serial.baud", Integer.toString(baud));
        p.setProperty("serial.dataBits", Integer.toString(dataBits));
        p.setProperty("serial.parity", parity.name());
        p.setProperty("serial.stopBits", stopBits.name());
        p.setProperty("serial.framing", framing.name());
        p.setProperty("serial.suffix", escape(suffix));
        p.setProperty("serial.prefix", escape(prefix));
        p.setProperty("wedge.prefix", escape(wedgePrefix));
        p.setProperty("wedge.suffix", escape(wedgeSuffix));
        p.setProperty("wedge.terminator", wedgeTerminator.name());
        SettingsFile.write(dataDir.resolve(FILE_NAME), p, "Counterpoint scanner settings");
    }

    /** Control characters become {@code \xHH}, a backslash {@code \\}; everything else stays. */
    public static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 || c == 0x7F) {
                out.append("\\x").append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The reverse of {@link #escape}; also reads {@code \r}, {@code \n} and {@code \t}. */
    public static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char next = s.charAt(++i);
            switch (next) {
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '\\' -> out.append('\\');
                case 'x' -> {
                    if (i + 2 >= s.length()) {
                        throw new IllegalArgumentException("\\x needs two hex digits: " + s);
                    }
                    out.append((char) HexFormat.fromHexDigits(s, i + 1, i + 3));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + next + " in " + s);
            }
        }
        return out.toString();
    }

    private static int intValue(Properties p, String key, int fallback) {
        String raw = p.getProperty(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not \"" + raw + "\"");
        }
    }

    private static <E extends Enum<E>> E enumValue(Properties p, String key, Class<E> type, E fallback) {
        String raw = p.getProperty(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, raw.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be one of " + java.util.Arrays.toString(type.getEnumConstants())
                    + ", not \"" + raw + "\"");
        }
    }
}
