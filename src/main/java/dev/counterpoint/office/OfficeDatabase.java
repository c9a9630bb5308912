package dev.counterpoint.office;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;

/** Head office's database: an H2 file in its data dir (one franchise) or PostgreSQL (a chain), migrated by Flyway. */
public final class OfficeDatabase implements AutoCloseable {
    /** At least Jetty's request threads (250), so a request never waits for a connection. */
    private static final int MAX_H2_CONNECTIONS = 256;
    /**
     * PostgreSQL serves best with few connections (about twice its cores); requests beyond them wait for one.
     * Sync requests are capped by the server's 429 limiter (8 by default) anyway.
     */
    private static final int MAX_POSTGRES_CONNECTIONS = 16;

    private final DataSource dataSource;
    private final Jdbi jdbi;
    /** Releases the pool this class made; nothing for a data source a caller gave. */
    private final Runnable release;

    private OfficeDatabase(DataSource dataSource, Runnable release) {
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/office").load().migrate();
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.release = release;
    }

    /**
     * The default store: an H2 file. AUTO_SERVER lets {@code office add-terminal} open it while the server runs;
     * the lock timeout covers waits on the feed lock. DB_CLOSE_DELAY=-1 and the pool keep the database open
     * between requests: without them H2 closed the file whenever the last request's connection closed and reopened
     * it on the next one, which took 15% of the CPU samples in the close-of-day rush (docs/benchmarks.md).
     * QUERY_CACHE_SIZE: a push runs some fifteen distinct statements; with H2's default of 8 it re-parsed them.
     * HikariCP, not H2's own pool, which rolls back every connection it hands out and so empties that cache
     * (decision 0032).
     */
    public static OfficeDatabase h2File(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dataDir, e);
        }
        HikariDataSource pool = pooled("jdbc:h2:file:" + dataDir.resolve("office").toAbsolutePath()
                + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=30000;DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=64", "office", "",
                MAX_H2_CONNECTIONS);
        return new OfficeDatabase(pool, () -> shutDown(pool));
    }

    /** A JDBC URL given on the command line: jdbc:postgresql://… for a chain, or jdbc:h2:… */
    public static OfficeDatabase url(String url, String user, String password) {
        if (url.startsWith("jdbc:postgresql:")) {
            // Pooled: a new PostgreSQL connection is a server process and a handshake, and a push used to open two.
            HikariDataSource ds = pooled(url, user, password, MAX_POSTGRES_CONNECTIONS);
            return new OfficeDatabase(ds, ds::close);
        }
        if (url.startsWith("jdbc:h2:")) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(url);
            ds.setUser(user == null ? "office" : user);
            ds.setPassword(password == null ? "" : password);
            return new OfficeDatabase(ds, () -> { });
        }
        throw new IllegalArgumentException("--db must be a jdbc:postgresql: or jdbc:h2: URL, not " + url);
    }

    /** Flushes and closes the H2 file (the pool alone would leave it open: DB_CLOSE_DELAY=-1), then the pool. */
    private static void shutDown(HikariDataSource pool) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException closingTheConnectionOfAClosedDatabase) {
            // the file is closed either way
        } finally {
            pool.close();
        }
    }

    private static HikariDataSource pooled(String url, String user, String password, int size) {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("office");
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(size);
        pool.setMinimumIdle(2);
        return new HikariDataSource(pool);
    }

    /** For tests: any data source (an in-memory H2, an embedded PostgreSQL). */
    public static OfficeDatabase of(DataSource dataSource) {
        return new OfficeDatabase(dataSource, () -> { });
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        release.run();
    }
}
