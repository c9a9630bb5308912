package dev.counterpoint.store;

import dev.counterpoint.shared.UserMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.h2.tools.ChangeFileEncryption;

/**
 * An H2 file database encrypted at rest (H2's {@code CIPHER=AES}; decision 0040). Its file password and its user's
 * password are derived from a {@link DataKey}, which is kept in the key folder (or the operating system's key store),
 * never in the data dir: a copy of the data dir alone opens nothing.
 *
 * <p>{@link #prepare()} runs before the file is opened: it makes the key for a new file, refuses an encrypted file whose
 * key is not here, and encrypts a plain file left by an earlier version. That conversion works on a copy in a staging
 * folder and moves the encrypted file over the plain one in one rename, so a process killed at any point leaves either
 * the plain file or the encrypted one, never neither; a staging folder left behind is discarded at the next start.
 */
public final class EncryptedH2 {
    /** What H2 writes at the start of a file it encrypts. */
    private static final byte[] HEADER = "H2encrypt\n".getBytes(StandardCharsets.US_ASCII);
    private static final String FILE_PURPOSE = "counterpoint database file v1";
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
     * The JDBC URL, then {@code options}. No trace file: H2 writes failing statements there with their values, in the
     * clear, beside the encrypted file.
     */
    public String url(String options) {
        return "jdbc:h2:file:" + dir.resolve(name) + ";CIPHER=AES;TRACE_LEVEL_FILE=0" + options;
    }

    /** H2's password for an encrypted file: the file password, a space, the user's password. Call after {@link #prepare}. */
    public String password() {
        return filePassword() + " " + userPassword();
    }

    private String filePassword() {
        return HexFormat.of().formatHex(key.derive(FILE_PURPOSE).orElseThrow());
    }

    private String userPassword() {
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

    /** True when the file starts as H2 starts the files it encrypts. */
    public static boolean isEncrypted(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(HEADER.length), HEADER);
        }
    }

    private Path staging() {
        return dir.resolve(name + ".encrypting");
    }

    /**
     * Copies the plain file into the staging folder under its lock (so no other process has it open), encrypts the copy
     * with H2's own tool, gives the user its derived password, and renames the copy over the plain file.
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
            try (FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long size = original.size();
                for (long at = 0; at < size; ) {
                    at += original.transferTo(at, size - at, out);
                }
            }
        }
        try {
            encryptStagedCopy(staging, copy);
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

    private void encryptStagedCopy(Path staging, Path copy) throws IOException {
        try {
            ChangeFileEncryption.execute(staging.toString(), name, "AES", null, filePassword().toCharArray(), true);
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + staging.resolve(name)
                    + ";CIPHER=AES;TRACE_LEVEL_FILE=0", user, filePassword() + " "); Statement s = c.createStatement()) {
                // the password is hexadecimal: nothing in it can end the literal
                s.execute("ALTER USER \"" + user.toUpperCase(java.util.Locale.ROOT) + "\" SET PASSWORD '" + userPassword() + "'");
                s.execute("SHUTDOWN");
            }
        } catch (SQLException e) {
            throw new Database.DatabaseUnavailableException(Database.explain(e), e);
        }
        try (FileChannel written = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            written.force(true);
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
