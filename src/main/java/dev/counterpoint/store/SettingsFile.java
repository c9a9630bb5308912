package dev.counterpoint.store;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** A device's settings file in the data dir (the scanner's, the receipt printer's): UTF-8 properties, written whole. */
public final class SettingsFile {
    private SettingsFile() {}

    /** The file's settings, or empty when none are saved. */
    public static Optional<Properties> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return Optional.of(p);
    }

    /** Writes the settings whole, owner-only (a crash leaves the old file or the new one). */
    public static void write(Path file, Properties p, String comment) {
        try {
            StringWriter w = new StringWriter();
            p.store(w, comment);
            PrivateFiles.write(file, w.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
