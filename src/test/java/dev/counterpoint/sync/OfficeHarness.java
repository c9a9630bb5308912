package dev.counterpoint.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OfficeServer;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.store.Database;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;

/** A head office on loopback (in-memory H2 or a given data source) and terminals registered with it. */
final class OfficeHarness implements AutoCloseable {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final Instant START = Instant.parse("2026-03-10T02:00:00Z");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    final OfficeDatabase db;
    final OfficeServer server;
    final int port;
    final ObjectMapper json = json();
    private final List<TerminalWiring> terminals = new ArrayList<>();

    OfficeHarness(DataSource dataSource, int maxConcurrentSync) {
        this(OfficeDatabase.of(dataSource), maxConcurrentSync);
    }

    OfficeHarness(OfficeDatabase db, int maxConcurrentSync) {
        this(db, maxConcurrentSync, Clock.systemUTC());
    }

    /** A head office whose time is {@code clock} (a test moving through a year moves head office with it). */
    OfficeHarness(OfficeDatabase db, int maxConcurrentSync, Clock clock) {
        this.db = db;
        this.server = new OfficeServer(db, clock, json, maxConcurrentSync);
        this.port = server.start("127.0.0.1", 0);
    }

    static OfficeHarness h2() {
        return new OfficeHarness(h2DataSource(), 8);
    }

    static DataSource h2DataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:office-" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000");
        ds.setUser("office");
        ds.setPassword("");
        return ds;
    }

    static ObjectMapper json() {
        return ProtocolJson.newMapper();
    }

    Jdbi jdbi() {
        return db.jdbi();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Registers a fresh terminal directly, then points its sync at {@code syncUrl} (e.g. a proxy), and opens it. */
    TerminalWiring terminal(Path dir, String store, String terminal, Clock clock, URI officeUrl, URI syncUrl) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(TerminalConfig.FILE_NAME), "store.name=Test " + store + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String code = server.registrations().addTerminal(store, terminal);
        TerminalConfig config = TerminalConfig.loadOrCreate(dir);
        try (Database empty = Database.inMemory("reg-" + COUNTER.incrementAndGet())) {
            Registration.register(dir, empty.jdbi(), config, officeUrl, code, json, false);
        }
        new SyncSettings(syncUrl, SyncSettings.load(dir).orElseThrow().credential()).save(dir);
        TerminalWiring ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock);
        // What registration leaves in a terminal's own database: head office's phone-box key.
        ctx.database().jdbi().useHandle(h -> new dev.counterpoint.member.PhoneBoxKeys().insert(h,
                server.phoneBoxes().publicKey(), java.time.OffsetDateTime.now(clock)));
        terminals.add(ctx);
        return ctx;
    }

    TerminalWiring terminal(Path dir, String store, String terminal, Clock clock) {
        return terminal(dir, store, terminal, clock, url(), url());
    }

    /** As {@link #terminal(Path, String, String, Clock)}, with the terminal's database in its data dir as shipped. */
    TerminalWiring terminalOnDisk(Path dir, String store, String terminal, Clock clock) {
        terminal(dir, store, terminal, clock).close();
        terminals.removeIf(t -> t.dataDir().equals(dir));
        TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, clock);
        terminals.add(ctx);
        return ctx;
    }

    static TestClock clockAt(Instant start) {
        return new TestClock(start, ZONE);
    }

    long officeLong(String sql, Object... args) {
        return db.jdbi().withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                q.bind(i, args[i]);
            }
            return q.mapTo(Long.class).one();
        });
    }

    @Override
    public void close() {
        terminals.forEach(TerminalWiring::close);
        server.close();
        db.close();
    }
}
