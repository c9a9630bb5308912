package dev.counterpoint.receipt;

import dev.counterpoint.store.SettingsFile;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The receipt printer, in {@value #FILE_NAME} in the data dir beside the scanner settings: none (the receipt is only
 * shown), a serial printer (port and baud; 8 data bits, no parity, one stop bit, as ESC/POS printers ship) or a printer
 * the operating system knows (by name, sent the bytes raw), the paper's width in columns, and whether a receipt is
 * printed by itself after each checkout.
 */
public record PrinterSettings(Kind kind, String port, int baud, String printerName, int width, boolean autoPrint) {
    public static final String FILE_NAME = "printer.properties";
    /** 58 mm paper: 32 columns of the printer's standard font; 80 mm paper: 48. */
    public static final int DEFAULT_WIDTH = 32;
    static final int MAX_TEXT = 200;

    public enum Kind { NONE, SERIAL, SYSTEM }

    public PrinterSettings {
        port = port == null ? "" : port.strip();
        printerName = printerName == null ? "" : printerName.strip();
        if (kind == null) {
            throw new IllegalArgumentException("the printer kind is missing");
        }
        if (baud <= 0) {
            throw new IllegalArgumentException("baud rate must be positive: " + baud);
        }
        if (width < ReceiptLayout.MIN_WIDTH || width > ReceiptLayout.MAX_WIDTH) {
            throw new IllegalArgumentException("width must be " + ReceiptLayout.MIN_WIDTH + " to " + ReceiptLayout.MAX_WIDTH
                    + " columns: " + width);
        }
        if (!plain(port) || !plain(printerName)) {
            throw new IllegalArgumentException("a port or printer name must be at most " + MAX_TEXT
                    + " characters, without control characters");
        }
        if (kind == Kind.SERIAL && port.isEmpty()) {
            throw new IllegalArgumentException("a serial printer needs a port");
        }
        if (kind == Kind.SYSTEM && printerName.isEmpty()) {
            throw new IllegalArgumentException("a system printer needs its name");
        }
    }

    public static PrinterSettings defaults() {
        return new PrinterSettings(Kind.NONE, "", 9600, "", DEFAULT_WIDTH, true);
    }

    /** The saved settings, or the defaults if none are saved. A bad value names the file and key. */
    public static PrinterSettings load(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Optional<Properties> saved = SettingsFile.read(file);
        if (saved.isEmpty()) {
            return defaults();
        }
        Properties p = saved.get();
        PrinterSettings d = defaults();
        try {
            return new PrinterSettings(kind(p.getProperty("printer.kind")), p.getProperty("serial.port", ""),
                    intValue(p, "serial.baud", d.baud), p.getProperty("system.name", ""),
                    intValue(p, "paper.width", d.width), bool(p, "print.auto", d.autoPrint));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the settings atomically (a crash leaves the old file or the new one). */
    public void save(Path dataDir) {
        Properties p = new Properties();
        p.setProperty("printer.kind", kind.name());
        p.setProperty("serial.port", port);
        p.setProperty("serial.baud", Integer.toString(baud));
        p.setProperty("system.name", printerName);
        p.setProperty("paper.width", Integer.toString(width));
        p.setProperty("print.auto", Boolean.toString(autoPrint));
        SettingsFile.write(dataDir.resolve(FILE_NAME), p, "Counterpoint receipt printer settings");
    }

    /** Where receipts go, for messages: "serial /dev/ttyUSB0", the printer's name, or "" for none. */
    public String where() {
        return switch (kind) {
            case SERIAL -> port;
            case SYSTEM -> printerName;
            case NONE -> "";
        };
    }

    private static boolean plain(String s) {
        return s.length() <= MAX_TEXT && s.codePoints().noneMatch(Character::isISOControl);
    }

    private static Kind kind(String raw) {
        if (raw == null || raw.isBlank()) {
            return Kind.NONE;
        }
        try {
            return Kind.valueOf(raw.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("printer.kind must be one of NONE, SERIAL, SYSTEM, not \"" + raw + "\"");
        }
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

    private static boolean bool(Properties p, String key, boolean fallback) {
        String raw = p.getProperty(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, not \"" + raw + "\"");
        };
    }
}
