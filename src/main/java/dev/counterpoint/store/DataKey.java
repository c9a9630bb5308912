package dev.counterpoint.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A data key: 256 random bits that encrypt a data dir's database and seal personal data the terminal must be able to read
 * again later (decisions 0038, 0040). It is never in the data dir. Where the operating system has a key store for the user
 * ({@link SystemKeyStore}: Windows Credential Manager, macOS Keychain, a Linux desktop's Secret Service) a new key is
 * kept there, with a note in the key folder saying so; otherwise (a headless Linux till, or a key folder chosen
 * explicitly) it is a file in the user's key folder ({@link DataDir#keyDir()}), owner-only. Either way it is named by
 * the data dir's install id. A key file already there (an earlier version's, or a restored backup) is used as it is.
 * Made on first need, never replaced: a new key would leave everything encrypted before unreadable.
 */
public final class DataKey {
    public static final int BYTES = 32;

    private final Path file;
    private final Supplier<Optional<SystemKeyStore>> system;
    private volatile byte[] key;

    /** A key kept as a file only. */
    public DataKey(Path file) {
        this(file, Optional::empty);
    }

    /** A key kept in {@code system} when it has one (else as the file), the file and note in the file's folder. */
    public DataKey(Path file, Supplier<Optional<SystemKeyStore>> system) {
        this.file = file;
        this.system = system;
    }

    /** The data key of this data dir, in the key folder this process uses. */
    public static DataKey of(TerminalConfig config) {
        return named(config.installId());
    }

    /**
     * The data key named {@code name} (letters, digits and '-' only): in the system key store, unless the key folder was
     * chosen explicitly ({@link DataDir#keyDirChosen()}: a store that keeps keys on another volume, the tests).
     */
    public static DataKey named(String name) {
        Path file = DataDir.keyDir().resolve(name + ".key");
        return DataDir.keyDirChosen() ? new DataKey(file) : new DataKey(file, SystemStoreHolder::get);
    }

    /** The system key store, looked for once per process and only when a key needs it. */
    private static final class SystemStoreHolder {
        private static final Optional<SystemKeyStore> STORE = SystemKeyStore.forThisUser();

        static Optional<SystemKeyStore> get() {
            return STORE;
        }
    }

    /** The key's file in the key folder (where it is, or would be, kept as a file; where a backup is put back). */
    public Path file() {
        return file;
    }

    /** The note beside where the file would be, saying the key is in the system key store. */
    public Path note() {
        return file.resolveSibling(file.getFileName() + "-in-system-store");
    }

    /** The key's name in the key folder and the system key store. */
    public String name() {
        String f = file.getFileName().toString();
        return f.substring(0, f.length() - ".key".length());
    }

    /** Where the key is kept, for messages: its file, or the system store and the name there. */
    public String where() {
        if (!Files.exists(file) && Files.exists(note())) {
            return system.get().map(s -> s.describe() + " (" + SystemKeyStore.SERVICE + "/" + name() + ")")
                    .orElse("the system key store (" + SystemKeyStore.SERVICE + "/" + name() + ", noted in " + note() + ")");
        }
        return file.toString();
    }

    /**
     * The key if it exists (nothing is made): its file, else the system key store where the note says it is. A damaged
     * file is an error, never replaced; a key the note places in a store this process cannot reach is
     * {@link UnreachableException}.
     */
    public Optional<byte[]> existing() {
        byte[] k = key;
        if (k != null) {
            return Optional.of(k);
        }
        synchronized (this) {
            if (key == null && Files.exists(file)) {
                key = parse(read(), file.toString());
            } else if (key == null && Files.exists(note())) {
                key = fromSystemStore().orElse(null);
            }
            return Optional.ofNullable(key);
        }
    }

    private Optional<byte[]> fromSystemStore() {
        SystemKeyStore store = system.get().orElseThrow(() -> new UnreachableException(this,
                "this process has no system key store (a Linux till started outside its desktop session)"));
        try {
            return store.read(name()).map(hex -> parse(hex, store.describe() + " " + SystemKeyStore.SERVICE + "/" + name()));
        } catch (SystemKeyStore.KeyStoreException e) {
            throw new UnreachableException(this, e.getMessage());
        }
    }

    /** The key, made and stored first if there is none yet. */
    public byte[] getOrCreate() {
        Optional<byte[]> k = existing();
        if (k.isPresent()) {
            return k.get();
        }
        synchronized (this) {
            if (key == null) {
                key = create();
            }
            return key;
        }
    }

    /**
     * A key for one purpose, derived from this data key (HMAC-SHA256 of the purpose's name), so keys for different
     * purposes (the phone seal, the database file) never coincide and none reveals the data key. Empty without a key.
     */
    public Optional<byte[]> derive(String purpose) {
        return existing().map(k -> derive(k, purpose));
    }

    static byte[] derive(byte[] key, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The key as the text a key file holds, for a backup ({@code data-key --export}); empty when there is none. */
    public Optional<String> exportText() {
        return existing().map(k -> HexFormat.of().formatHex(k) + "\n");
    }

    private String read() {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data key " + file, e);
        }
    }

    private static byte[] parse(String text, String where) {
        try {
            byte[] k = HexFormat.of().parseHex(text.strip());
            if (k.length == BYTES) {
                return k;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalStateException("the data key " + where + " is damaged (not " + BYTES * 2
                + " hexadecimal digits); restore it from a backup");
    }

    /**
     * Stored durably before anything is encrypted or sealed with it: in the system key store when there is one (the note
     * written first, so a start stopped in between finds no key and makes one again), else as the file
     * ({@link PrivateFiles#write}).
     */
    private byte[] create() {
        byte[] k = new byte[BYTES];
        new SecureRandom().nextBytes(k);
        String hex = HexFormat.of().formatHex(k);
        try {
            PrivateFiles.privateFolder(file.toAbsolutePath().getParent());
            Optional<SystemKeyStore> store = system.get();
            if (store.isPresent() && keptIn(store.get(), hex)) {
                return k;
            }
            PrivateFiles.write(file, (hex + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the data key " + file, e);
        }
        return k;
    }

    /** False when the store refuses it or does not give it back: the key then goes to the key folder. */
    private boolean keptIn(SystemKeyStore store, String hex) throws IOException {
        PrivateFiles.write(note(), ("The data key " + name() + " is kept in " + store.describe() + ", service "
                + SystemKeyStore.SERVICE + ", account " + name() + ". Back it up with: counterpoint data-key --export FILE\n")
                .getBytes(StandardCharsets.UTF_8));
        try {
            store.write(name(), hex);
            if (store.read(name()).filter(hex::equals).isPresent()) {
                return true;
            }
        } catch (SystemKeyStore.KeyStoreException e) {
            org.slf4j.LoggerFactory.getLogger(DataKey.class).warn("{}; the data key goes to the key folder", e.getMessage());
        }
        Files.deleteIfExists(note());
        return false;
    }

    /** The key is in the system key store, which this process cannot read now. */
    public static final class UnreachableException extends RuntimeException {
        private final transient DataKey key;

        UnreachableException(DataKey key, String why) {
            super("the data key " + key.name() + " is kept in the system key store (" + key.note() + "), which cannot be read: " + why);
            this.key = key;
        }

        public DataKey key() {
            return key;
        }
    }
}
