package dev.counterpoint.store;

import dev.counterpoint.shared.UserMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.h2.store.fs.FilePath;

/**
 * An H2 file database encrypted at rest (AES-256-XTS in 512-byte sectors through {@link XtsFilePath}; decision 0040).
 * Its keys and its user's password are derived from a {@link DataKey}, which is kept in the operating system's key
 * store or the key folder, never in the data dir: a copy of the data dir alone opens nothing.
 *
 * <p>{@link #prepare()} runs before the file is opened: it makes the key for a new file, refuses an encrypted file whose
 * key is not here, and encrypts a plain file left by an earlier version. That conversion works on a copy in a staging
 * folder and moves the encrypted file over the plain one in one rename, so a process killed at any point leaves either
 * the plain file or the encrypted one, never neither; a staging folder left behind is discarded at the next start.
 */
public final class EncryptedH2 {
    private static final String USER_PURPOSE = "counterpoint database user v1";

    private final Path dir;
    private final String name;
    private final String user;
    private final DataKey key;

    /**
     * @param dir  the folder of the database files
     * @param name the database's name ({@code name.mv.db})
     * @param user the database user, whose password is set from the key when a plain file is encrypted
     */
    public EncryptedH2(Path dir, String name, String user, DataKey key) {
        this.dir = dir.toAbsolutePath();
        this.name = name;
        this.user = user;
        this.key = key;
    }

    public Path file() {
        return dir.resolve(name + ".mv.db");
    }

    public DataKey key() {
        return key;
    }

    public String user() {
        return user;
    }

    /**
     * The JDBC URL, then {@code options}; after {@link #prepare}. No trace file: H2 writes failing statements there with
     * their values, in the clear, beside the encrypted file.
     */
    public String url(String options) {
        return url(dir.resolve(name)) + options;
    }

    private String url(Path database) {
        return "jdbc:h2:" + XtsFilePath.register(key) + database.toAbsolutePath() + ";TRACE_LEVEL_FILE=0";
    }

    /**
     * H2's name for {@code other} as a file encrypted under this key ({@code cpxts:HANDLE:/path}): what H2 writes there
     * (a backup) is encrypted as the database is, and read back through the same name.
     */
    public String encryptedName(Path other) {
        return XtsFilePath.register(key) + other.toAbsolutePath();
    }

    /** The database user's password, derived from the key. Call after {@link #prepare}. */
    public String password() {
        return HexFormat.of().formatHex(key.derive(USER_PURPOSE).orElseThrow());
    }

    /**
     * Makes the file ready to open with {@link #url} and {@link #password}: a new file gets a key (made now if there is
     * none), an encrypted file needs its key ({@link KeyMissingException} otherwise), a plain file is encrypted first.
     */
    public void prepare() {
        Path file = file();
        try {
            Files.createDirectories(dir);
            if (!Files.exists(file)) {
                discardStaging();
                key.getOrCreate();
            } else if (isEncrypted(file)) {
                discardStaging();
                if (key.existing().isEmpty()) {
                    throw Files.exists(key.note()) ? KeyMissingException.unreachable(key, null) : KeyMissingException.missing(key);
                }
            } else {
                key.getOrCreate();
                encryptPlainFile();
            }
        } catch (IOException e) {
            throw new Database.DatabaseUnavailableException(new UserMessage("db.error.other", e.toString()), e);
        } catch (DataKey.UnreachableException e) {
            throw KeyMissingException.unreachable(key, e);
        }
    }

    /** True when the file is encrypted as this class encrypts (its header). */
    public static boolean isEncrypted(Path file) throws IOException {
        return XtsFilePath.isEncrypted(file);
    }

    private Path staging() {
        return dir.resolve(name + ".encrypting");
    }

    /**
     * Copies the plain file, under its lock (so no other process has it open), through the encryption into the staging
     * folder, gives the user its derived password there, and renames the copy over the plain file.
     */
    private void encryptPlainFile() throws IOException {
        Path staging = staging();
        Path copy = staging.resolve(name + ".mv.db");
        try (FileChannel original = FileChannel.open(file(), StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = original.tryLock()) {
            if (lock == null) {
                throw new Database.DatabaseUnavailableException(new UserMessage("db.error.alreadyOpen"), null);
            }
            discardStaging();
            PrivateFiles.privateFolder(staging);
            // through the locked channel: on Windows another handle could not read a locked file
            try (FileChannel out = FilePath.get(XtsFilePath.register(key) + copy.toAbsolutePath()).open("rw")) {
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                for (long at = 0; original.read(chunk.clear(), at) > 0; ) {
                    chunk.flip();
                    int n = chunk.remaining();
                    while (chunk.hasRemaining()) {
                        out.write(chunk, at + chunk.position());
                    }
                    at += n;
                }
            }
        }
        try {
            setUserPassword(staging);
            try (FileChannel written = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                written.force(true);
            }
        } catch (RuntimeException | IOException e) {
            discardStaging(); // the plain file is untouched: the next start tries again
            throw e;
        }
        Files.move(copy, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        PrivateFiles.forceFolder(dir);
        discardStaging();
        // an earlier version's trace file holds failed statements with their values
        Files.deleteIfExists(dir.resolve(name + ".trace.db"));
    }

    /** Earlier versions left the user's password empty; it is the derived one from now on. */
    private void setUserPassword(Path staging) {
        try (Connection c = DriverManager.getConnection(url(staging.resolve(name)), user, "");
             Statement s = c.createStatement()) {
            // the password is hexadecimal: nothing in it can end the literal
            s.execute("ALTER USER \"" + user.toUpperCase(java.util.Locale.ROOT) + "\" SET PASSWORD '" + password() + "'");
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new Database.DatabaseUnavailableException(Database.explain(e), e);
        }
    }

    private void discardStaging() throws IOException {
        Path staging = staging();
        if (!Files.exists(staging)) {
            return;
        }
        try (Stream<Path> all = Files.walk(staging)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException gone) {
                    // another start cleaning up at the same moment
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The database is encrypted and its key is not to be had: not in this account's key folder (the data dir was copied
     * to another PC or opened by another user, or the key folder was lost), or in a system key store this process cannot
     * read. The message names where the key should be and what to do.
     */
    public static final class KeyMissingException extends Database.DatabaseUnavailableException {
        private KeyMissingException(UserMessage message, Throwable cause) {
            super(message, cause);
        }

        static KeyMissingException missing(DataKey key) {
            return new KeyMissingException(new UserMessage("db.error.keyMissing", key.file().toString(),
                    String.valueOf(key.file().toAbsolutePath().getParent())), null);
        }

        static KeyMissingException unreachable(DataKey key, RuntimeException why) {
            return new KeyMissingException(new UserMessage("db.error.keyUnreachable", key.where(),
                    why == null ? "no entry " + SystemKeyStore.SERVICE + "/" + key.name() : why.getMessage(),
                    key.file().toString()), why);
        }
    }
}
