package dev.counterpoint.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.testing.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Registration codes cannot be guessed from one address: wrong or spent codes are counted per address and minute. */
class OfficeServerRegistrationLimitTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final ObjectMapper json = ProtocolJson.newMapper();
    private final TestClock clock = new TestClock(Instant.parse("2026-03-10T02:00:00Z"), ZoneOffset.UTC);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger serverLog = (Logger) LoggerFactory.getLogger(OfficeServer.class);
    private InetAddress here;
    private InetAddress other;
    private OfficeDatabase db;
    private OfficeServer server;

    @BeforeEach
    void start() throws IOException {
        here = InetAddress.getByName("127.0.0.1");
        other = InetAddress.getByName("127.0.0.2");
        assumeTrue(canSendFrom(other), "127.0.0.2 is not usable as a source address here");
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:registration-limit-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("office");
        ds.setPassword("");
        db = OfficeDatabase.of(ds);
        server = new OfficeServer(db, clock, json, 4);
        server.start("127.0.0.1", 0);
        log.start();
        serverLog.addAppender(log);
    }

    @AfterEach
    void stop() {
        serverLog.detachAppender(log);
        if (server != null) {
            server.close();
            db.close();
        }
    }

    @Test
    void theEleventhWrongCodeInAMinuteIsTurnedAwayAndOnlyThatAddressWaits() throws Exception {
        String first = server.registrations().addTerminal("S001", "T1");
        String second = server.registrations().addTerminal("S001", "T2");
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            wrong.add("WRNG-CODE-" + (2000 + i));
            assertThat(register(here, wrong.get(i)).status()).isEqualTo(403);
        }

        // Turned away before its code is looked at: even the right one, which stays unspent.
        RawHttp.Reply refused = register(here, first);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("60");
        assertThat(json.readTree(refused.body()).path("error").asText())
                .isEqualTo("too many wrong or spent registration codes; try again in 60 s");
        assertThat(register(here, "WRNG-CODE-3000").status()).isEqualTo(429);

        RawHttp.Reply elsewhere = register(other, first);
        assertThat(elsewhere.status()).isEqualTo(200);
        assertThat(json.readTree(elsewhere.body()).path("terminal_id").asText()).isEqualTo("T1");

        clock.advance(Duration.ofSeconds(59));
        assertThat(register(here, second).header("Retry-After")).isEqualTo("1");
        clock.advance(Duration.ofSeconds(1));
        RawHttp.Reply later = register(here, second);
        assertThat(later.status()).isEqualTo(200);
        assertThat(json.readTree(later.body()).path("terminal_id").asText()).isEqualTo("T2");

        List<ILoggingEvent> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warnings).hasSize(1);
        String line = warnings.get(0).getFormattedMessage();
        assertThat(line).contains("127.0.0.1").doesNotContain(first).doesNotContain(second).doesNotContain("WRNG");
    }

    @Test
    void aSpentCodeCountsAsAFailureAndASuccessDoesNot() throws Exception {
        for (int i = 0; i < 12; i++) {
            assertThat(register(here, server.registrations().addTerminal("S001", "T" + i)).status()).isEqualTo(200);
        }
        String spent = server.registrations().addTerminal("S002", "T1");
        assertThat(register(here, spent).status()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            assertThat(register(here, spent).status()).isEqualTo(403);
        }
        assertThat(register(here, spent).status()).isEqualTo(429);
    }

    private RawHttp.Reply register(InetAddress from, String code) throws IOException {
        byte[] body = ("{\"code\": \"" + code + "\"}").getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange(from, server.port(), "POST /v1/terminals/register HTTP/1.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length, body);
    }

    private static boolean canSendFrom(InetAddress address) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(address, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
