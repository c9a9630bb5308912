package dev.counterpoint.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.testing.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Owner keys are named, scoped, expiring and revocable, every use is recorded, and wrong keys are rate-limited. */
class OfficeServerOwnerKeysTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final ObjectMapper json = ProtocolJson.newMapper();
    private final TestClock clock = new TestClock(Instant.parse("2026-03-10T02:00:00Z"), ZoneOffset.UTC);
    private final InetAddress here = InetAddress.getLoopbackAddress();
    private OfficeDatabase db;
    private OfficeServer server;

    @BeforeEach
    void start() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:owner-keys-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("office");
        ds.setPassword("");
        db = OfficeDatabase.of(ds);
        server = new OfficeServer(db, clock, json, 4);
        server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        db.close();
    }

    @Test
    void aKeyDoesOnlyWhatItsScopesAllowAndEveryUseIsRecorded() throws IOException {
        String reader = server.ownerKeys().create("kpi-dashboard", EnumSet.of(OwnerKeys.Scope.READ), Duration.ofDays(30));
        String marketing = server.ownerKeys().create("marketing", EnumSet.of(OwnerKeys.Scope.COUPONS), Duration.ofDays(30));

        assertThat(get(reader, "/v1/terminals").status()).isEqualTo(200);
        RawHttp.Reply refused = post(reader, "/v1/rule-sets", "{}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("'kpi-dashboard' may not rules").contains("its scopes: read");
        assertThat(get(marketing, "/v1/exceptions?state=OPEN").status()).isEqualTo(403);
        assertThat(post(marketing, "/v1/coupons/NOPE/void", "{}").status()).isEqualTo(404); // allowed, no such coupon

        List<Map<String, Object>> uses = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT k.name, u.method, u.path, u.status FROM owner_key_use u JOIN owner_key k ON k.id = u.key_id
                ORDER BY u.id""").mapToMap().list());
        assertThat(uses).extracting(u -> u.get("name") + " " + u.get("method") + " " + u.get("path") + " " + u.get("status"))
                .containsExactly("kpi-dashboard GET /v1/terminals 200", "kpi-dashboard POST /v1/rule-sets 403",
                        "marketing GET /v1/exceptions 403", "marketing POST /v1/coupons/NOPE/void 404");
        assertThat(server.ownerKeys().list()).filteredOn(k -> k.name().equals("kpi-dashboard")).singleElement()
                .satisfies(k -> {
                    assertThat(k.uses()).isEqualTo(2);
                    assertThat(k.lastUsedAt()).isNotNull();
                });
    }

    @Test
    void aKeyStopsWorkingWhenItExpiresIsRevokedOrIsMadeAgainUnderItsName() throws IOException {
        String week = server.ownerKeys().create("auditor", EnumSet.of(OwnerKeys.Scope.READ), Duration.ofDays(7));
        String other = server.ownerKeys().create("bookkeeper", EnumSet.of(OwnerKeys.Scope.READ), Duration.ofDays(30));
        assertThat(get(week, "/v1/terminals").status()).isEqualTo(200);
        clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertThat(get(week, "/v1/terminals").status()).isEqualTo(401);

        assertThat(server.ownerKeys().revoke("bookkeeper")).isTrue();
        assertThat(get(other, "/v1/terminals").status()).isEqualTo(401);
        assertThat(server.ownerKeys().revoke("bookkeeper")).isFalse();

        String first = server.ownerKeys().create("owner", EnumSet.allOf(OwnerKeys.Scope.class), Duration.ofDays(30));
        String second = server.ownerKeys().create("owner", EnumSet.allOf(OwnerKeys.Scope.class), Duration.ofDays(30));
        assertThat(get(first, "/v1/terminals").status()).isEqualTo(401);
        assertThat(get(second, "/v1/terminals").status()).isEqualTo(200);

        assertThatThrownBy(() -> server.ownerKeys().create("a b", EnumSet.of(OwnerKeys.Scope.READ), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.ownerKeys().create("ok", EnumSet.of(OwnerKeys.Scope.READ), Duration.ofDays(5000)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OwnerKeys.Scope.parse("read,everything")).hasMessageContaining("unknown scope 'everything'");
    }

    @Test
    void theEleventhWrongKeyOrCredentialInAMinuteIsTurnedAwayEvenWithARightOne() throws IOException {
        String key = server.ownerKeys().create("owner", EnumSet.allOf(OwnerKeys.Scope.class), Duration.ofDays(30));
        for (int i = 0; i < 5; i++) {
            assertThat(get("cpo1.wrong" + i, "/v1/terminals").status()).isEqualTo(401);
            assertThat(get("cpt1.wrong" + i, "/v1/sync/pull?cursor=0").status()).isEqualTo(401);
        }
        RawHttp.Reply turnedAway = get(key, "/v1/terminals");
        assertThat(turnedAway.status()).isEqualTo(429);
        assertThat(turnedAway.header("Retry-After")).isNotNull();
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(get(key, "/v1/terminals").status()).isEqualTo(200);
    }

    @Test
    void staffAccountsAreAddedWithTheStaffScopeAndKeptOnlyAsAHash() throws IOException {
        String reader = server.ownerKeys().create("kpi-dashboard", EnumSet.of(OwnerKeys.Scope.READ), Duration.ofDays(30));
        String hr = server.ownerKeys().create("hr", EnumSet.of(OwnerKeys.Scope.STAFF), Duration.ofDays(30));
        String body = "{\"staff_id\": \"li\", \"name\": \"李店长\", \"role\": \"manager\", \"store_id\": \"S001\", "
                + "\"pin\": \"246810\"}";

        assertThat(post(reader, "/v1/staff", body).status()).isEqualTo(403);
        RawHttp.Reply added = post(hr, "/v1/staff", body);
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.body()).contains("\"staff_id\":\"li\"", "\"role\":\"manager\"").doesNotContain("246810");
        assertThat(post(hr, "/v1/staff", body.replace("246810", "1234")).body()).contains("pin must be 6 to 12 digits");
        assertThat(post(hr, "/v1/staff", body.replace("manager", "boss")).body()).contains("role must be one of");

        String hash = db.jdbi().withHandle(h -> h.createQuery("SELECT pin_hash FROM staff WHERE id = 'li'").mapTo(String.class).one());
        assertThat(hash).startsWith("pbkdf2-sha256:600000:").doesNotContain("246810");
        int sent = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM change_log WHERE kind = 'staff.account' AND target_store = 'S001'").mapTo(Integer.class).one());
        assertThat(sent).isEqualTo(1);
    }

    private RawHttp.Reply get(String key, String path) throws IOException {
        return RawHttp.exchange(here, server.port(), "GET " + path + " HTTP/1.1\r\nAuthorization: Bearer " + key, new byte[0]);
    }

    private RawHttp.Reply post(String key, String path, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange(here, server.port(), "POST " + path + " HTTP/1.1\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length, bytes);
    }
}
