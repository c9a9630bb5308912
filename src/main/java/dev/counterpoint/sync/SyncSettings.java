package dev.counterpoint.sync;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
        Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
        Properties p = new Properties();
        p.setProperty("office.url", officeUrl.toString());
        p.setProperty("credential", credential);
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Windows: the per-user application-data folder is already private
            }
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "Counterpoint head-office credential: keep it private");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
