package dev.counterpoint.testing;

import dev.counterpoint.office.OfficeDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL (embedded binaries, loopback only) for every head-office test of the run, started on first use
 * and stopped when the JVM ends; each test gets a database of its own.
 */
public final class OfficePostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private OfficePostgres() {}

    /** A fresh, empty database, opened through its URL as {@code office --db jdbc:postgresql:…} opens it: pooled. */
    public static synchronized OfficeDatabase freshDatabase() {
        return freshDatabaseNodes(1).get(0);
    }

    /**
     * One fresh database opened {@code nodes} times, each with a pool of its own and the same data dir (so the same
     * office key): head-office nodes that share nothing but the database.
     */
    public static synchronized java.util.List<OfficeDatabase> freshDatabaseNodes(int nodes) {
        String name = createDatabase();
        java.nio.file.Path dir = officeDir(name);
        java.util.List<OfficeDatabase> opened = new java.util.ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            opened.add(OfficeDatabase.url(postgres.getJdbcUrl("postgres", name), "postgres", null, dir));
        }
        return opened;
    }

    /**
     * A fresh database with no schema yet, for a test that migrates it step by step: its JDBC URL (user postgres, no
     * password). {@link #opened} opens it as head office does.
     */
    public static synchronized String freshEmptyDatabaseUrl() {
        String name = createDatabase(); // starts the server on first use
        return postgres.getJdbcUrl("postgres", name);
    }

    /** A new, empty database on the embedded server; its name. */
    private static String createDatabase() {
        String name = "office" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
        return name;
    }

    /** The database at {@code url} opened as head office opens it, which migrates it to the latest schema. */
    public static OfficeDatabase opened(String url) {
        return OfficeDatabase.url(url, "postgres", null, officeDir("migrated"));
    }

    /** Head office's data dir for that database: its install id names the office key in the tests' key folder. */
    private static java.nio.file.Path officeDir(String name) {
        return java.nio.file.Path.of("target", "test-office", name + "-" + java.util.UUID.randomUUID());
    }

    private static EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    // the JVM is ending; the embedded server's directory is temporary
                }
            }));
        }
        return postgres;
    }
}
