package dev.counterpoint.office;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.counterpoint.store.DataKey;
import dev.counterpoint.store.Database;
import dev.counterpoint.store.EncryptedH2;
import dev.counterpoint.store.PrivateFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
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

    /** Where H2's server sockets listen (h2.bindAddress, read once when H2 loads): set by {@code Main} first thing. */
    public static final String H2_BIND_PROPERTY = "h2.bindAddress";
    public static final String LOOPBACK = "127.0.0.1";
    /** The office's own settings in its data dir: only the install id, which names the office's key. */
    public static final String SETTINGS_FILE = "office.properties";

    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final SettingSeal settingSeal;
    /** Releases the pool this class made; nothing for a data source a caller gave. */
    private final Runnable release;

    private OfficeDatabase(DataSource dataSource, Runnable release, DataKey key) {
        try {
            Flyway.configure().dataSource(dataSource).locations(locations(dataSource)).load().migrate();
            this.jdbi = Database.quietStatements(Jdbi.create(dataSource));
            this.settingSeal = new SettingSeal(key);
            Registrations.sealPlainPhoneKey(jdbi, settingSeal);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        this.dataSource = dataSource;
        this.release = release;
    }

    /** The schema's migrations: the portable ones, and on PostgreSQL those only it runs (its feed's ordering). */
    private static String[] locations(DataSource dataSource) {
        try (java.sql.Connection c = dataSource.getConnection()) {
            return c.getMetaData().getURL().startsWith("jdbc:postgresql:")
                    ? new String[] {"classpath:db/office", "classpath:db/office-postgresql"}
                    : new String[] {"classpath:db/office"};
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot reach the office database: " + e.getMessage(), e);
        }
    }

    /**
     * The office's key (decision 0040): in the key folder of the user running head office, never in its data dir, named
     * by the install id in the data dir's {@code office.properties} (made on first start). It encrypts the H2 file and
     * seals the chain's phone key; every node serving one PostgreSQL database needs the same install id and key file.
     */
    public static DataKey dataKey(Path dataDir) {
        Path file = dataDir.resolve(SETTINGS_FILE);
        Properties p = new Properties();
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(file)) {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
            if (p.getProperty("install.id") == null) {
                p.setProperty("install.id", UUID.randomUUID().toString());
                StringWriter w = new StringWriter();
                p.store(w, "Counterpoint head office: the install id names this office's key in the key folder");
                PrivateFiles.write(file, w.toString().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
        String id = p.getProperty("install.id").strip();
        if (!id.matches("[A-Za-z0-9-]{8,64}")) { // part of a file name: it cannot lead out of the key folder
            throw new IllegalStateException(file + ": install.id must be 8-64 letters, digits or '-', not \"" + id + "\"");
        }
        return DataKey.named("office-" + id);
    }

    /**
     * The default store: an H2 file, encrypted under the office's key ({@link #dataKey}). AUTO_SERVER lets
     * {@code office add-terminal} open it while the server runs, through an H2 server socket that takes only the
     * file's and the user's passwords (both derived from the key); it is used only when H2 binds its sockets to
     * loopback, as {@code Main} has it do. The lock timeout covers waits on the feed lock. DB_CLOSE_DELAY=-1 and the
     * pool keep the database open between requests: without them H2 closed the file whenever the last request's
     * connection closed and reopened it on the next one, which took 15% of the CPU samples in the close-of-day rush
     * (docs/benchmarks.md). QUERY_CACHE_SIZE: a push runs some fifteen distinct statements; with H2's default of 8 it
     * re-parsed them. HikariCP, not H2's own pool, which rolls back every connection it hands out and so empties that
     * cache (decision 0032).
     */
    public static OfficeDatabase h2File(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dataDir, e);
        }
        DataKey key = dataKey(dataDir);
        EncryptedH2 file = new EncryptedH2(dataDir, "office", "office", key);
        file.prepare();
        String server = autoServerAllowed() ? ";AUTO_SERVER=TRUE" : "";
        return h2(file.url(server + H2_SETTINGS), "office", file.password(), key);
    }

    /** What head office's H2 URL sets besides its file (see {@link #h2File}). */
    private static final String H2_SETTINGS = ";LOCK_TIMEOUT=30000;DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=64";

    /** For benchmarks: an in-memory H2 opened as head office opens its file, pooled and with the same settings. */
    public static OfficeDatabase h2InMemory(String name) {
        return h2("jdbc:h2:mem:" + name + H2_SETTINGS, "office", "", DataKey.named("office-" + UUID.randomUUID()));
    }

    /** An H2 database the office pools and closes itself: its own file ({@link #h2File}), or a test's. */
    static OfficeDatabase h2(String url, String user, String password, DataKey key) {
        HikariDataSource pool = pooled(url, user, password, MAX_H2_CONNECTIONS);
        return new OfficeDatabase(pool, () -> shutDown(pool), key);
    }

    /** True when H2 listens on loopback only (H2 read the property when it loaded; this reads what it read). */
    static boolean autoServerAllowed() {
        return LOOPBACK.equals(org.h2.engine.SysProperties.BIND_ADDRESS);
    }

    /**
     * A JDBC URL given on the command line: jdbc:postgresql://… for a chain, or jdbc:h2:… The office's key, for its
     * sealed settings, is the one of {@code dataDir} ({@link #dataKey}).
     */
    public static OfficeDatabase url(String url, String user, String password, Path dataDir) {
        DataKey key = dataKey(dataDir);
        if (url.startsWith("jdbc:postgresql:")) {
            // Pooled: a new PostgreSQL connection is a server process and a handshake, and a push used to open two.
            HikariDataSource ds = pooled(url, user, password, MAX_POSTGRES_CONNECTIONS);
            return new OfficeDatabase(ds, ds::close, key);
        }
        if (url.startsWith("jdbc:h2:")) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(url);
            ds.setUser(user == null ? "office" : user);
            ds.setPassword(password == null ? "" : password);
            return new OfficeDatabase(ds, () -> { }, key);
        }
        throw new IllegalArgumentException("--db must be a jdbc:postgresql: or jdbc:h2: URL, not " + url);
    }

    /**
     * Closes the pool, then flushes and closes the H2 file through a connection of its own (the pool alone would leave
     * it open: DB_CLOSE_DELAY=-1). A SHUTDOWN through the pool closed the database under the pool's other connections,
     * which the pool then rolled back, checked and replaced: each use of the closed database failed ("Database is
     * already closed"), and a replacement could open the file again. The terminal's {@code Database.close} does the same.
     * The file is shut only when that connection is its last session: an {@code office} subcommand run while head office
     * serves the same file (in another process, through AUTO_SERVER, or in this one) must leave it open for the server.
     */
    private static void shutDown(HikariDataSource pool) {
        String url = pool.getJdbcUrl() + ";IFEXISTS=TRUE";
        pool.close();
        try (Connection c = DriverManager.getConnection(url, pool.getUsername(), pool.getPassword());
             Statement s = c.createStatement()) {
            if (othersUse(s)) {
                return;
            }
            s.execute("SHUTDOWN");
        } catch (SQLException alreadyClosed) {
            // nothing left to flush
        }
    }

    private static boolean othersUse(Statement s) throws SQLException {
        try (ResultSet sessions = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            return sessions.next() && sessions.getLong(1) > 1;
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

    /** For tests: any data source (an in-memory H2, an embedded PostgreSQL), with a key of its own. */
    public static OfficeDatabase of(DataSource dataSource) {
        return new OfficeDatabase(dataSource, () -> { }, DataKey.named("office-" + UUID.randomUUID()));
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Seals the office's secret settings under its key. */
    public SettingSeal settingSeal() {
        return settingSeal;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        release.run();
    }
}
