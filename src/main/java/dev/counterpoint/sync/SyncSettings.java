package dev.counterpoint.sync;

import dev.counterpoint.store.DataKey;
import dev.counterpoint.store.PrivateFiles;
import dev.counterpoint.store.SealedText;
import dev.counterpoint.store.TerminalConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Where head office is and the terminal's credential for it: {@code sync.properties} in the data dir, owner-only, the
 * credential sealed under the data dir's data key (decision 0040), so a copy of the data dir cannot sync as this
 * terminal. A credential an earlier version kept in the clear is sealed at its first read.
 */
public record SyncSettings(URI officeUrl, String credential) {
    public static final String FILE_NAME = "sync.properties";
    private static final String SEALED = "credential.sealed";
    private static final String WHERE = "sync.properties:credential";

    private static SealedText seal(Path dataDir) {
        return new SealedText(DataKey.of(TerminalConfig.loadOrCreate(dataDir)), "counterpoint terminal credential v1");
    }

    /**
     * Whether this terminal was registered before (the file names head office), without opening the credential: a
     * terminal whose credential cannot be opened any more registers again, as {@link #load}'s message says.
     */
    public static boolean exists(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return false;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return p.getProperty("office.url") != null && (p.getProperty(SEALED) != null || p.getProperty("credential") != null);
    }

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
        if (url == null) {
            return Optional.empty();
        }
        String sealed = p.getProperty(SEALED);
        if (sealed != null) {
            String credential = seal(dataDir).unseal(WHERE, sealed.strip()).orElseThrow(() -> new IllegalStateException(
                    file + ": the credential was sealed under another data key than this data dir's; put its key back, or"
                            + " register again with a new code from head office"));
            return Optional.of(new SyncSettings(URI.create(url.strip()), credential));
        }
        String plain = p.getProperty("credential");
        if (plain == null) {
            return Optional.empty();
        }
        SyncSettings settings = new SyncSettings(URI.create(url.strip()), plain.strip());
        settings.save(dataDir);
        return Optional.of(settings);
    }

    public void save(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Properties p = new Properties();
        p.setProperty("office.url", officeUrl.toString());
        p.setProperty(SEALED, seal(dataDir).seal(WHERE, credential));
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            p.store(bytes, "Counterpoint head-office credential: keep it private");
            PrivateFiles.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
