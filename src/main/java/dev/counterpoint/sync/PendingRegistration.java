package dev.counterpoint.sync;

import java.io.ByteArrayOutputStream;
import dev.counterpoint.store.DataKey;
import dev.counterpoint.store.PrivateFiles;
import dev.counterpoint.store.SealedText;
import dev.counterpoint.store.TerminalConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * Head office's registration reply, saved before anything is changed by it: the reply comes once (the code is spent),
 * so a terminal stopped while applying it finds it here at the next start and finishes ({@link Registration}).
 * {@code registration.pending} in the data dir, owner-only, its credential and the chain's phone key sealed under the
 * data key like their lasting places ({@link SyncSettings}, {@link TerminalConfig}); deleted once applied.
 *
 * @param id            names this registration in the database once its re-key is applied, so it is applied once
 * @param joining       a first registration: the store's phones are re-keyed and its unsent events restamped
 * @param previousStore the store id the terminal's rows and unsent events carry (the one it ran alone with)
 * @param phoneBoxKey   head office's phone-box key (public), or null when the reply had none
 */
record PendingRegistration(UUID id, URI officeUrl, String credential, String storeId, String terminalId, String phoneKeyHex,
                           String previousStore, String previousTerminal, boolean joining, String phoneBoxKey) {
    static final String FILE_NAME = "registration.pending";

    static Optional<PendingRegistration> load(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            SealedText seal = seal(dataDir);
            return Optional.of(new PendingRegistration(UUID.fromString(p.getProperty("id")), URI.create(p.getProperty("office.url")),
                    secret(p, "credential", seal), required(p, "store.id"), required(p, "terminal.id"), secret(p, "phone.key", seal),
                    required(p, "previous.store.id"), required(p, "previous.terminal.id"),
                    Boolean.parseBoolean(required(p, "joining")), p.getProperty("phone.box.key")));
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is damaged (" + e.getMessage() + "); it holds head office's registration "
                    + "reply: keep a copy and ask head office for a new registration code", e);
        }
    }

    private static SealedText seal(Path dataDir) {
        return new SealedText(DataKey.of(TerminalConfig.loadOrCreate(dataDir)), "counterpoint registration reply v1");
    }

    /** A sealed value ({@code KEY.sealed}), or one in the clear as an earlier version saved it. */
    private static String secret(Properties p, String key, SealedText seal) {
        String sealed = p.getProperty(key + ".sealed");
        if (sealed == null) {
            return required(p, key);
        }
        return seal.unseal(FILE_NAME + ":" + key, sealed.strip()).orElseThrow(() -> new IllegalArgumentException(
                key + " was sealed under another data key than this data dir's"));
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return v.strip();
    }

    /** Written whole or not at all, and on disk before the re-key it leads to commits ({@link PrivateFiles#write}). */
    void save(Path dataDir) {
        Properties p = new Properties();
        p.setProperty("id", id.toString());
        p.setProperty("office.url", officeUrl.toString());
        SealedText seal = seal(dataDir);
        p.setProperty("credential.sealed", seal.seal(FILE_NAME + ":credential", credential));
        p.setProperty("store.id", storeId);
        p.setProperty("terminal.id", terminalId);
        p.setProperty("phone.key.sealed", seal.seal(FILE_NAME + ":phone.key", phoneKeyHex));
        p.setProperty("previous.store.id", previousStore);
        p.setProperty("previous.terminal.id", previousTerminal);
        p.setProperty("joining", Boolean.toString(joining));
        if (phoneBoxKey != null) {
            p.setProperty("phone.box.key", phoneBoxKey);
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            p.store(bytes, "Counterpoint: head office's registration reply, being applied; keep it private");
            PrivateFiles.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dataDir.resolve(FILE_NAME), e);
        }
    }
}
