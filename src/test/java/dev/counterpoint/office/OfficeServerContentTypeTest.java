package dev.counterpoint.office;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.sync.OfficeClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bodies are taken as application/json only; the refusal comes before the body is read or the caller is checked. */
class OfficeServerContentTypeTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final ObjectMapper json = ProtocolJson.newMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private OfficeDatabase db;
    private OfficeServer server;
    private String ownerKey;
    private String credential;

    @BeforeEach
    void start() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:content-type-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("office");
        ds.setPassword("");
        db = OfficeDatabase.of(ds);
        server = new OfficeServer(db, Clock.systemUTC(), json, 4);
        server.start("127.0.0.1", 0);
        ownerKey = server.ownerKeys().create("owner", java.util.EnumSet.allOf(OwnerKeys.Scope.class), java.time.Duration.ofDays(30));
        credential = server.registrations().register(server.registrations().addTerminal("S001", "T1")).credential();
    }

    @AfterEach
    void stop() {
        server.close();
        db.close();
    }

    @ParameterizedTest
    @CsvSource({
            "/v1/terminals/register, text/plain",
            "/v1/sync/push, application/x-www-form-urlencoded",
            "/v1/sync/history, multipart/form-data; boundary=x",
            "/v1/coupons, text/json",
            "/v1/rule-sets, application/json-patch+json",
            "/v1/sync/push, application/json; charset=no-such-charset",
            "/v1/sync/push, application/json; boundary=x",
            "/v1/sync/push, 'application/json; charset=\"utf-8\"'"})
    void aBodyThatIsNotSentAsJsonIsRefused(String path, String contentType) throws Exception {
        HttpResponse<String> r = post(path, contentType, "{\"events\": []}");

        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(json.readTree(r.body()).path("error").asText()).isEqualTo("send the body as application/json");
    }

    @Test
    void aBodyWithoutAContentTypeIsRefused() throws Exception {
        HttpResponse<String> r = http.send(request("/v1/terminals/register")
                .POST(HttpRequest.BodyPublishers.ofString("{\"code\": \"AAAA\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(json.readTree(r.body()).path("error").asText()).isEqualTo("send the body as application/json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"})
    void jsonIsTakenWithOrWithoutACharset(String contentType) throws Exception {
        HttpResponse<String> r = post("/v1/sync/push", contentType, "{\"events\": []}");

        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void aPostWithoutABodyNeedsNoContentType() throws Exception {
        HttpResponse<String> r = http.send(request("/v1/coupons/HQ0000000000/void").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(404);
    }

    @Test
    void theTerminalSendsJson() {
        String code = server.registrations().addTerminal("S001", "T2");

        var reply = new OfficeClient(URI.create("http://127.0.0.1:" + server.port()), null, json, Duration.ofSeconds(10)).register(code);

        assertThat(reply.path("terminal_id").asText()).isEqualTo("T2");
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        String bearer = path.startsWith("/v1/sync/") ? credential : ownerKey;
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).header("Authorization", "Bearer " + bearer);
    }
}
