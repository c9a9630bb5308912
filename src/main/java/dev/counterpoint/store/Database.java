package dev.counterpoint.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.ConnectionException;

/** The terminal's embedded H2 database: opened, migrated, and exposed through Jdbi. */
public final class Database implements AutoCloseable {
    private final JdbcDataSource dataSource;
    private final Jdbi jdbi;

    private Database(JdbcDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens (creating if needed) the database in the data dir and applies pending migrations. */
    public static Database open(Path dataDir) {
        try {
            Files.createDirectories(dataDir.resolve("db"));
        } catch (java.io.IOException e) {
            throw new DatabaseUnavailableException("cannot create " + dataDir.resolve("db") + ": " + e.getMessage(), e);
        }
        String file = dataDir.resolve("db").resolve("counterpoint").toAbsolutePath().toString();
        // A counter action runs a handful of distinct statements; H2's default cache of 8 parsed statements thrashes.
        return openUrl("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64");
    }

    /** For tests: a private in-memory database. */
    public static Database inMemory(String name) {
        return openUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    }

    private static Database openUrl(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("counterpoint");
        ds.setPassword("");
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/terminal").load().migrate();
        } catch (FlywayException e) {
            throw new DatabaseUnavailableException(explain(e), e);
        }
        return new Database(ds);
    }

    /** H2's own words are cryptic at the counter; these are the causes a store actually meets. */
    static String explain(Throwable e) {
        boolean damaged = false;
        boolean denied = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == 90020) { // DATABASE_ALREADY_OPEN_1
                return "the database is already open in another Counterpoint window or process; close it first";
            }
            damaged |= t instanceof SQLException sql && sql.getErrorCode() == 90030 // FILE_CORRUPTED_1
                    || t instanceof org.h2.mvstore.MVStoreException;
            denied |= t instanceof java.nio.file.AccessDeniedException
                    || t instanceof SQLException sql && (sql.getErrorCode() == 90096 || sql.getErrorCode() == 90097);
        }
        if (denied) {
            return "the database file is read-only or not accessible: check the data dir's permissions";
        }
        if (damaged) {
            return "the database file is damaged or encrypted with another key; restore it from a backup";
        }
        return e.getMessage();
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException | ConnectionException ignored) {
            // already closed: nothing to flush
        }
    }

    /** The database cannot be used; the message says why in words a store manager can act on. */
    public static final class DatabaseUnavailableException extends RuntimeException {
        public DatabaseUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
