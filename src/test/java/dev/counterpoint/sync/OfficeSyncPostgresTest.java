package dev.counterpoint.sync;

import dev.counterpoint.office.OfficeDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The sync contract against head office on a real PostgreSQL (embedded binaries, loopback only); a fresh database per test. */
class OfficeSyncPostgresTest extends OfficeSyncContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Override
    OfficeHarness newOffice() {
        String name = "office" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
        // Through the URL, as `office --db jdbc:postgresql:…` opens it: pooled.
        return new OfficeHarness(OfficeDatabase.url(postgres.getJdbcUrl("postgres", name), "postgres", null), 8);
    }
}
