package dev.counterpoint.sync;

import dev.counterpoint.store.PrivateFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** Where head office is and the terminal's credential for it: {@code sync.properties} in the data dir, owner-only. */
public record SyncSettings(URI officeUrl, String credential) {
    public static final String FILE_NAME = "sync.properties";

    /** The settings if this terminal has been registered. */
    public static Optional<SyncSettings> load(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String url = p.getProperty("office.url");
        String credential = p.getProperty("credential");
        if (url == null || credential == null) {
            return Optional.empty();
        }
        return Optional.of(new SyncSettings(URI.create(url.strip()), credential.strip()));
    }

    public void save(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Properties p = new Properties();
        p.setProperty("office.url", officeUrl.toString());
        p.setProperty("credential", credential);
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            p.store(bytes, "Counterpoint head-office credential: keep it private");
            PrivateFiles.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
