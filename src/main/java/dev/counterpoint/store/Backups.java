package dev.counterpoint.store;

import dev.counterpoint.shared.UserMessage;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.h2.store.fs.FilePath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups of the terminal's store, and restoring one (decision 0072).
 *
 * <p>A backup is H2's online backup ({@code BACKUP TO}) of the open database, written through the database's own
 * encryption: the file is the zip H2 writes, encrypted sector by sector under this data dir's data key as the database
 * is (H2 reads the database through the decrypting file system, so a backup to a plain path would hold it in the clear).
 * The data key is not in it: a backup restores only where this data dir's key is. Just before each backup the store's
 * identity (install, store and terminal ids) is written into the database, so the backup says whose it is.
 *
 * <p>The running terminal makes one backup a day and one at each close of day into the data dir's {@code backups/}:
 * {@value #DAILY_KEPT} daily ones and the last close of day's are kept.
 *
 * <p>Restore works on a copy: the backup is unpacked into a staging folder beside the database, opened there and its
 * identity compared with the data dir's, and only then moved over the database in one rename, the database it replaces
 * kept beside it. It holds the database file's lock throughout, the one H2 holds while the store is open: a terminal or
 * command that has the store open makes restore refuse, and none can open it while the file is being replaced.
 */
public final class Backups {
    private static final Logger LOG = LoggerFactory.getLogger(Backups.class);
    /** The data dir's folder of automatic backups. */
    public static final String FOLDER = "backups";
    /** Daily backups kept; the close of day's is kept besides. */
    public static final int DAILY_KEPT = 7;
    static final String SUFFIX = ".backup";
    private static final String DAILY = "daily-";
    private static final String CLOSE = "close-";
    private static final Pattern DATED = Pattern.compile("(daily|close)-\\d{4}-\\d{2}-\\d{2}" + Pattern.quote(SUFFIX));
    /** The one entry of H2's backup zip of the database ({@code counterpoint.mv.db}). */
    private static final String ENTRY = Database.file(Path.of("")).getFileName().toString();
    private static final String ASIDE = ".before-restore";

    private final Path dataDir;
    private final Database database;
    private final TerminalConfig config;
    private final Clock clock;

    public Backups(Path dataDir, Database database, TerminalConfig config, Clock clock) {
        this.dataDir = dataDir;
        this.database = database;
        this.config = config;
        this.clock = clock;
    }

    /** The data dir's folder of automatic backups. */
    public static Path folder(Path dataDir) {
        return dataDir.resolve(FOLDER);
    }

    /** The automatic backups there, newest first by their date (daily and close of day). */
    public static List<Path> kept(Path dataDir) {
        Path dir = folder(dataDir);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> DATED.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparing((Path f) -> date(f)).reversed()
                            .thenComparing(f -> f.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String date(Path f) {
        String name = f.getFileName().toString();
        return name.substring(name.indexOf('-') + 1, name.length() - SUFFIX.length());
    }

    /** True for a store in a data dir's file; one in memory or opened by URL is not backed up. */
    public boolean available() {
        return database.encryptedFile().isPresent();
    }

    /**
     * Writes a backup of the open store to {@code target} (replacing a file there only once the backup is complete).
     * Returns the file written.
     */
    public synchronized Path backupTo(Path target) {
        EncryptedH2 file = database.encryptedFile()
                .orElseThrow(() -> new IllegalStateException("the store is not a data dir's file: nothing to back up"));
        Path to = target.toAbsolutePath().normalize();
        if (to.startsWith(Database.folder(dataDir).toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("a backup is never written into the database's folder: " + to);
        }
        Path partial = to.resolveSibling(to.getFileName() + ".partial");
        try {
            Files.createDirectories(to.getParent());
            Files.deleteIfExists(partial);
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            database.jdbi().useHandle(h -> {
                h.createUpdate("""
                        MERGE INTO store_identity(id, install_id, store_id, terminal_id, backed_up_at) KEY(id)
                        VALUES (1, :install, :store, :terminal, :at)""")
                        .bind("install", config.installId()).bind("store", config.storeId())
                        .bind("terminal", config.terminalId()).bind("at", now).execute();
                // a quote in the path is doubled: nothing in it can end the literal
                h.execute("BACKUP TO '" + file.encryptedName(partial).replace("'", "''") + "'");
            });
            PrivateFiles.ownerOnlyFile(partial);
            try (FileChannel written = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                written.force(true);
            }
            Files.move(partial, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            PrivateFiles.forceFolder(to.getParent());
            return to;
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new UncheckedIOException("cannot write the backup " + to, e);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    /**
     * Today's backup (by the clock's zone) into the backups folder, unless it was made already; the daily ones beyond
     * the newest {@value #DAILY_KEPT} are removed. The backup made, or empty when none was due (or the store is not a
     * file).
     */
    public synchronized Optional<Path> dailyIfDue() {
        if (!available()) {
            return Optional.empty();
        }
        Path target = folder(dataDir).resolve(DAILY + LocalDate.now(clock) + SUFFIX);
        if (Files.exists(target)) {
            return Optional.empty();
        }
        privateFolder();
        Path made = backupTo(target);
        List<Path> daily = kept(dataDir).stream().filter(f -> f.getFileName().toString().startsWith(DAILY)).toList();
        daily.stream().skip(DAILY_KEPT).forEach(Backups::deleteQuietly);
        // what a backup cut off by a killed process left
        try (Stream<Path> files = Files.list(folder(dataDir))) {
            files.filter(f -> f.getFileName().toString().endsWith(SUFFIX + ".partial")).forEach(Backups::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", folder(dataDir), e.toString());
        }
        LOG.info("daily backup written to {}", made);
        return Optional.of(made);
    }

    /** The close of day's backup into the backups folder, replacing the one of the close before. */
    public synchronized Optional<Path> closeOfDay(LocalDate day) {
        if (!available()) {
            return Optional.empty();
        }
        privateFolder();
        Path made = backupTo(folder(dataDir).resolve(CLOSE + day + SUFFIX));
        kept(dataDir).stream().filter(f -> f.getFileName().toString().startsWith(CLOSE) && !f.equals(made))
                .forEach(Backups::deleteQuietly);
        LOG.info("close-of-day backup written to {}", made);
        return Optional.of(made);
    }

    private void privateFolder() {
        try {
            PrivateFiles.privateFolder(folder(dataDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder(dataDir), e);
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", f, e.toString());
        }
    }

    // ---- restore -------------------------------------------------------------------------------------------------

    /** True when a terminal or command has this data dir's store open (it holds the database file's lock). */
    public static boolean inUse(Path dataDir) {
        Path db = Database.file(dataDir);
        if (!Files.exists(db)) {
            return false;
        }
        try (Claim ignored = Claim.of(db)) {
            return false;
        } catch (RestoreRefused running) {
            return true;
        }
    }

    /** What a restore put in place. {@code replaced}: where the database it replaced is kept, if there was one. */
    public record Restored(Path backup, String storeId, String terminalId, OffsetDateTime backedUpAt,
                           Optional<Path> replaced) {
    }

    /**
     * Replaces the data dir's database with the one in {@code backup}, a backup of this data dir's store. Refused
     * ({@link RestoreRefused}, nothing changed) while the store is open, for a file that is not a whole backup, and for
     * another store's or terminal's backup; {@link EncryptedH2.KeyMissingException} when this data dir's key is not here.
     */
    public static Restored restore(Path dataDir, Path backup) {
        if (!Files.exists(dataDir.resolve(TerminalConfig.FILE_NAME))) {
            // a new settings file would name a new data key, under which no backup opens
            throw new RestoreRefused(RestoreRefused.Reason.OTHER_STORE, new UserMessage("restore.error.noSettings",
                    dataDir.toString(), TerminalConfig.FILE_NAME));
        }
        TerminalConfig config = TerminalConfig.loadOrCreate(dataDir);
        DataKey key = DataKey.of(config);
        try {
            if (key.existing().isEmpty()) {
                throw EncryptedH2.KeyMissingException.missing(key);
            }
        } catch (DataKey.UnreachableException e) {
            throw EncryptedH2.KeyMissingException.unreachable(key, e);
        }
        if (!Files.isRegularFile(backup) || !Files.isReadable(backup)) {
            throw new RestoreRefused(RestoreRefused.Reason.NOT_A_BACKUP, new UserMessage("restore.error.unreadable", backup.toString()));
        }
        Path db = Database.file(dataDir);
        Path staging = Database.folder(dataDir).resolve("counterpoint.restoring");
        try {
            Files.createDirectories(Database.folder(dataDir));
            try (Claim claim = Claim.of(db)) {
                if (!EncryptedH2.isEncrypted(backup)) {
                    throw new RestoreRefused(RestoreRefused.Reason.NOT_A_BACKUP, new UserMessage("restore.error.notBackup", backup.toString()));
                }
                discard(staging);
                PrivateFiles.privateFolder(staging);
                try {
                    EncryptedH2 staged = Database.encrypted(staging, key);
                    unpack(staged, backup);
                    Identity id = identity(staged, backup);
                    if (!id.installId().equals(config.installId()) || !id.storeId().equals(config.storeId())
                            || !id.terminalId().equals(config.terminalId())) {
                        throw new RestoreRefused(RestoreRefused.Reason.OTHER_STORE, new UserMessage("restore.error.otherStore",
                                backup.toString(), id.storeId(), id.terminalId(), config.storeId(), config.terminalId()));
                    }
                    Optional<Path> replaced = claim.swap(staged.file(), db.resolveSibling(db.getFileName() + ASIDE));
                    LOG.warn("the store was restored from {} (backed up {}); the database it replaced is kept as {}",
                            backup, id.backedUpAt(), replaced.map(Path::toString).orElse("(none)"));
                    return new Restored(backup, id.storeId(), id.terminalId(), id.backedUpAt(), replaced);
                } finally {
                    discard(staging);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + backup, e);
        }
    }

    private record Identity(String installId, String storeId, String terminalId, OffsetDateTime backedUpAt) {
    }

    /** The database out of the backup's zip into the staging folder, encrypted there as in place. */
    private static void unpack(EncryptedH2 staged, Path backup) throws IOException {
        // Past the key check the file is this data dir's encrypted file: whatever fails now, it is damaged.
        if ((Files.size(backup) - XtsFilePath.HEADER) % XtsFilePath.SECTOR != 0) {
            throw damaged(backup, "not a whole number of sectors");
        }
        try (InputStream raw = FilePath.get(staged.encryptedName(backup)).newInputStream();
             ZipInputStream zip = new ZipInputStream(new BufferedInputStream(raw, 1 << 16))) {
            ZipEntry entry = zip.getNextEntry();
            if (entry == null || !ENTRY.equals(entry.getName())) {
                throw damaged(backup, "no database in it");
            }
            try (OutputStream out = FilePath.get(staged.encryptedName(staged.file())).newOutputStream(false)) {
                zip.transferTo(out); // the entry's length and checksum are checked at its end
            }
            if (zip.getNextEntry() != null) {
                throw damaged(backup, "more than the database in it");
            }
        } catch (XtsFilePath.WrongKeyException e) {
            throw new RestoreRefused(RestoreRefused.Reason.OTHER_STORE, new UserMessage("restore.error.otherKey", backup.toString()));
        } catch (ZipException | EOFException e) {
            throw damaged(backup, String.valueOf(e.getMessage()));
        }
        try (FileChannel written = FileChannel.open(staged.file(), StandardOpenOption.WRITE)) {
            written.force(true);
        }
    }

    private static RestoreRefused damaged(Path backup, String why) {
        return new RestoreRefused(RestoreRefused.Reason.NOT_A_BACKUP, new UserMessage("restore.error.damaged", backup.toString(), why));
    }

    /** Opens the staged copy (a damaged one fails here) and reads whose store it is. */
    private static Identity identity(EncryptedH2 staged, Path backup) {
        try (Connection c = DriverManager.getConnection(staged.url(";IFEXISTS=TRUE"), staged.user(), staged.password());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT install_id, store_id, terminal_id, backed_up_at FROM store_identity WHERE id = 1")) {
                if (!rs.next()) {
                    throw new RestoreRefused(RestoreRefused.Reason.NOT_A_BACKUP, new UserMessage("restore.error.notBackup", backup.toString()));
                }
                return new Identity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class));
            } finally {
                s.execute("SHUTDOWN");
            }
        } catch (SQLException e) {
            LOG.warn("a restore's staged copy of {} cannot be read: {}", backup, e.toString());
            throw new RestoreRefused(RestoreRefused.Reason.NOT_A_BACKUP, new UserMessage("restore.error.damaged",
                    backup.toString(), String.valueOf(e.getMessage())));
        }
    }

    private static void discard(Path staging) throws IOException {
        if (!Files.exists(staging)) {
            return;
        }
        try (Stream<Path> all = Files.walk(staging)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException gone) {
                    // removed meanwhile
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The database file's lock, as H2 takes it while the store is open (a whole-file lock on {@code counterpoint.mv.db}):
     * held, nothing can open the store; not to be had, something has it open. No file, nothing to hold.
     */
    private static final class Claim implements AutoCloseable {
        private final Path db;
        private final FileChannel channel;
        private final FileLock lock;

        private Claim(Path db, FileChannel channel, FileLock lock) {
            this.db = db;
            this.channel = channel;
            this.lock = lock;
        }

        static Claim of(Path db) throws RestoreRefused {
            if (!Files.exists(db)) {
                return new Claim(db, null, null);
            }
            FileChannel channel = null;
            try {
                channel = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException sameProcess) {
                    lock = null;
                }
                if (lock == null) {
                    channel.close();
                    throw new RestoreRefused(RestoreRefused.Reason.IN_USE, new UserMessage("restore.error.running", db.toString()));
                }
                return new Claim(db, channel, lock);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new UncheckedIOException("cannot open " + db, e);
            }
        }

        /**
         * Puts {@code staged} in the database's place in one rename, the database there first kept as {@code aside}
         * (a second name for the same file where the file system allows, else a copy read through the held lock).
         * Until the rename the database is as it was; after it, the restored one.
         */
        Optional<Path> swap(Path staged, Path aside) throws IOException {
            Files.deleteIfExists(aside);
            boolean had = channel != null;
            if (had) {
                try {
                    Files.createLink(aside, db);
                } catch (IOException | UnsupportedOperationException noLinks) {
                    copyThroughLock(aside);
                }
            }
            try {
                Files.move(staged, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(aside);
                throw e;
            }
            PrivateFiles.forceFolder(db.getParent());
            return had ? Optional.of(aside) : Optional.empty();
        }

        /** On Windows another handle could not read the locked file. */
        private void copyThroughLock(Path aside) throws IOException {
            try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                for (long at = 0; channel.read(chunk.clear(), at) > 0; ) {
                    chunk.flip();
                    at += chunk.remaining();
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                }
                out.force(true);
            }
        }

        @Override
        public void close() {
            try {
                if (lock != null && lock.isValid()) {
                    lock.release();
                }
            } catch (IOException e) {
                LOG.warn("cannot release the lock on {}: {}", db, e.toString());
            }
            closeQuietly(channel);
        }

        private static void closeQuietly(FileChannel channel) {
            if (channel == null) {
                return;
            }
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing {}", channel, e);
            }
        }
    }

    /** A restore refused, with nothing changed; the message says why in the user's words. */
    public static final class RestoreRefused extends RuntimeException {
        /** Why: the store is open; the file is not a whole backup; it is another store's or terminal's. */
        public enum Reason { IN_USE, NOT_A_BACKUP, OTHER_STORE }

        private final Reason reason;
        private final transient UserMessage userMessage;

        RestoreRefused(Reason reason, UserMessage userMessage) {
            super(reason + ": " + userMessage.key());
            this.reason = reason;
            this.userMessage = userMessage;
        }

        public Reason reason() {
            return reason;
        }

        public UserMessage userMessage() {
            return userMessage;
        }

        /** In English, for logs. */
        public String describe() {
            return userMessage.format(Locale.ENGLISH);
        }
    }
}
