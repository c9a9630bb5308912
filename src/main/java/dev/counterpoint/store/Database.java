package dev.counterpoint.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.counterpoint.shared.UserMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal's embedded H2 database: opened, migrated, and exposed through Jdbi.
 *
 * <p>The database stays open (and its file locked) from {@link #open} to {@link #close}: pooled
 * connections and {@code DB_CLOSE_DELAY=-1} stop H2 from closing the file whenever no statement runs,
 * which would let a second process write to the same file in between and cost a reopen per query.
 *
 * <p>The pool is HikariCP, not H2's own {@code JdbcConnectionPool}: H2's pool rolls back every connection it
 * hands out, and in H2 a rollback empties the session's parsed-statement cache even with no transaction open,
 * so every statement was parsed again at every use (about a fifth of a scan's database time; decision 0032).
 */
public final class Database implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 8;
    /** The terminal's Flyway migrations, on the class path. */
    static final String MIGRATIONS = "db/terminal";
    private static final int CACHE_KB = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final String USER = "counterpoint";
    private static final String NAME = "counterpoint";

    private final HikariDataSource pool;
    private final Jdbi jdbi;
    /** The encrypted file, for a database in a data dir; null otherwise (in memory, or opened by URL). */
    private final EncryptedH2 file;
    private volatile boolean compactWhenClosed;

    private Database(HikariDataSource pool, EncryptedH2 file) {
        this.pool = pool;
        this.jdbi = quietStatements(Jdbi.create(pool));
        this.file = file;
    }

    /**
     * Opens (creating if needed) the database in the data dir and applies pending migrations. The file is encrypted
     * under the data dir's data key, which is kept outside it (decision 0040); a plain file from an earlier version is
     * encrypted first.
     */
    public static Database open(Path dataDir) {
        return open(dataDir, DataKey.of(TerminalConfig.loadOrCreate(dataDir)));
    }

    /** As {@link #open(Path)}, with the data key given. */
    public static Database open(Path dataDir, DataKey key) {
        try {
            Files.createDirectories(dataDir.resolve("db"));
        } catch (java.io.IOException e) {
            throw new DatabaseUnavailableException(new UserMessage("db.error.cannotCreate", dataDir.resolve("db").toString()), e);
        }
        EncryptedH2 file = encrypted(folder(dataDir), key);
        file.prepare();
        // WRITE_DELAY=0: a commit reaches the file before it returns, so a sale the cashier saw confirmed
        // survives a killed process (H2 otherwise writes commits up to half a second later).
        // QUERY_CACHE_SIZE: a counter action runs a handful of distinct statements; H2's default of 8 thrashes.
        // CACHE_SIZE (KB): H2's page cache lives in the Java heap, and its default (64 MB) would fill the terminal's
        // bounded heap (installer/java-options); a scan touches a few dozen pages, and the OS caches the file anyway.
        return openUrl(file.url(";DB_CLOSE_ON_EXIT=FALSE;DB_CLOSE_DELAY=-1;WRITE_DELAY=0;QUERY_CACHE_SIZE=64"
                + ";CACHE_SIZE=" + CACHE_KB), file.password(), file);
    }

    /**
     * For benchmarks: the same pool and settings over any H2 URL and password, such as a plain copy of a store to
     * measure what encryption costs against.
     */
    public static Database atUrl(String url, String password) {
        return openUrl(url, password, null);
    }

    /** For tests: a private in-memory database. */
    public static Database inMemory(String name) {
        return openUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "", null);
    }

    private static Database openUrl(String url, String password, EncryptedH2 file) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("counterpoint");
        config.setJdbcUrl(url);
        config.setUsername(USER);
        config.setPassword(password);
        config.setMaximumPoolSize(MAX_CONNECTIONS);
        config.setMinimumIdle(2);
        // an embedded database has no server that drops connections: keep each session and its statement cache
        config.setMaxLifetime(0);
        HikariDataSource pool = null;
        try {
            pool = new HikariDataSource(config); // opens the file: a locked or damaged one fails here
            if (!upToDate(pool)) {
                Flyway.configure().dataSource(pool).locations("classpath:" + MIGRATIONS).load().migrate();
            }
        } catch (SQLException | RuntimeException e) { // Flyway's own, or H2's when the pool opens the file
            if (pool != null) {
                pool.close();
            }
            throw new DatabaseUnavailableException(explain(e), e);
        }
        return new Database(pool, file);
    }

    /**
     * A failed statement's exception carries the database's message (which names the statement) but not Jdbi's list of
     * bound values: they are members' names, phone hashes and birthdays, and such exceptions reach the log, which is to
     * show no more than the screen does.
     */
    public static Jdbi quietStatements(Jdbi jdbi) {
        jdbi.getConfig(org.jdbi.v3.core.statement.StatementExceptions.class)
                .setMessageRendering(org.jdbi.v3.core.statement.StatementExceptions.MessageRendering.NONE);
        return jdbi;
    }

    /** Opens the file (so a locked or damaged one fails here as it would in Flyway) and compares its history. */
    private static boolean upToDate(HikariDataSource pool) throws SQLException {
        try (var c = pool.getConnection()) {
            return MigrationCheck.upToDate(c, MigrationCheck.bundled(MIGRATIONS));
        }
    }

    /** H2's own words are cryptic at the counter; these are the causes a store actually meets. */
    static UserMessage explain(Throwable e) {
        boolean damaged = false;
        boolean denied = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == 90020) { // DATABASE_ALREADY_OPEN_1
                return new UserMessage("db.error.alreadyOpen");
            }
            damaged |= t instanceof SQLException sql && (sql.getErrorCode() == 90030 // FILE_CORRUPTED_1
                    || sql.getErrorCode() == 90049) // FILE_ENCRYPTION_ERROR_1: another key than the file's
                    || t instanceof org.h2.mvstore.MVStoreException || t instanceof XtsFilePath.WrongKeyException;
            denied |= t instanceof java.nio.file.AccessDeniedException
                    || t instanceof SQLException sql && (sql.getErrorCode() == 90096 || sql.getErrorCode() == 90097);
        }
        if (denied) {
            return new UserMessage("db.error.denied");
        }
        if (damaged) {
            return new UserMessage("db.error.damaged");
        }
        return new UserMessage("db.error.other", e.getMessage());
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** The data dir's encrypted file this database is, if it is one (not in memory, not opened by URL). */
    public java.util.Optional<EncryptedH2> encryptedFile() {
        return java.util.Optional.ofNullable(file);
    }

    /** The folder of a data dir's database file. */
    public static Path folder(Path dataDir) {
        return dataDir.resolve("db");
    }

    /** A data dir's database file ({@code db/counterpoint.mv.db}). */
    public static Path file(Path dataDir) {
        return folder(dataDir).resolve(NAME + ".mv.db");
    }

    /** The encrypted file of a data dir's database, opened under {@code key} (nothing is read or made here). */
    static EncryptedH2 encrypted(Path dir, DataKey key) {
        return new EncryptedH2(dir, NAME, USER, key);
    }

    /**
     * A single number by plain JDBC, for the start: Jdbi's first statement costs 0.1–0.2 s (its statement machinery,
     * and registering its event with the JVM's flight recorder), which the counter then pays on its database
     * thread while the window is shown instead of before.
     */
    public long queryLong(String sql) {
        try (var c = pool.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("no row from " + sql);
            }
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /**
     * Makes {@link #close} also compact the file: H2 keeps writing changed pages to new places and leaves the old ones
     * as free space, so a bulk write (an import of a member list) leaves a file many times its data. Compacting
     * copies what is live into a new file and swaps it in, a copy's time; for a command that holds the store alone.
     */
    public void compactWhenClosed() {
        compactWhenClosed = true;
    }

    /** Flushes and closes the file (releasing its lock), compacting it if asked to; the pool is unusable afterwards. */
    @Override
    public void close() {
        // The pool goes first: a SHUTDOWN through it raced with the pool replacing the connections it broke, and a
        // replacement opened the file again, left open and locked (DB_CLOSE_DELAY=-1) until the JVM ended.
        String url = pool.getJdbcUrl() + ";IFEXISTS=TRUE";
        pool.close();
        try (var c = java.sql.DriverManager.getConnection(url, pool.getUsername(), pool.getPassword());
             var s = c.createStatement()) {
            s.execute(compactWhenClosed ? "SHUTDOWN COMPACT" : "SHUTDOWN");
        } catch (SQLException alreadyClosed) {
            if (compactWhenClosed) {
                // The file is as the import left it (H2 swaps the compacted copy in only once it is whole).
                LOG.warn("the database file could not be compacted; it is left as it was", alreadyClosed);
            }
            // else nothing left to flush
        }
    }

    /** The database cannot be used; the message says why in words a store manager can act on. */
    public static class DatabaseUnavailableException extends RuntimeException {
        private final transient UserMessage userMessage;

        public DatabaseUnavailableException(UserMessage userMessage, Throwable cause) {
            super(userMessage.format(Locale.ENGLISH), cause);
            this.userMessage = userMessage;
        }

        public UserMessage userMessage() {
            return userMessage;
        }
    }
}
