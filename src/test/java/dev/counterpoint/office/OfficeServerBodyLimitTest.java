package dev.counterpoint.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.ProtocolJson;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every request body is bounded as it streams: a chunked body declares no length, and was once read whole. */
class OfficeServerBodyLimitTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final long MB = 1024 * 1024;

    private final ObjectMapper json = ProtocolJson.newMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private OfficeDatabase db;
    private OfficeServer server;
    private String credential;

    @BeforeEach
    void start() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:body-limit-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("office");
        ds.setPassword("");
        db = OfficeDatabase.of(ds);
        server = new OfficeServer(db, Clock.systemUTC(), json, 4);
        server.start("127.0.0.1", 0);
        credential = server.registrations().register(server.registrations().addTerminal("S001", "T1")).credential();
    }

    @AfterEach
    void stop() {
        server.close();
        db.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/sync/push", "/v1/terminals/register"})
    void aChunkedBodyOverTheLimitIsRefused(String path) throws Exception {
        HttpResponse<String> r = post(path, HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(64 * MB)));

        assertThat(r.statusCode()).isEqualTo(413);
        // Registration, which anyone may call, takes far less than a push.
        assertThat(json.readTree(r.body()).path("error").asText()).isEqualTo("the request body is larger than "
                + (path.endsWith("register") ? "64 KB" : "16 MB"));
        assertThat(r.headers().firstValue("Connection")).hasValue("close");

        // Chunked bodies within the limit are read as before.
        HttpResponse<String> push = post("/v1/sync/push", chunked("{\"events\": []}"));
        assertThat(push.statusCode()).isEqualTo(200);
        assertThat(json.readTree(push.body()).path("verdicts").isArray()).isTrue();
        String code = server.registrations().addTerminal("S001", "T2");
        HttpResponse<String> registered = post("/v1/terminals/register", chunked("{\"code\": \"" + code + "\"}"));
        assertThat(registered.statusCode()).isEqualTo(200);
        assertThat(json.readTree(registered.body()).path("terminal_id").asText()).isEqualTo("T2");
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeAnythingIsRead() throws Exception {
        // 3 GB: beyond what an int Content-Length can say, which Javalin's own check reads as "unknown".
        RawHttp.Reply r = RawHttp.exchange(InetAddress.getLoopbackAddress(), server.port(),
                "POST /v1/terminals/register HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: " + 3 * 1024 * MB,
                "{\"code\": ".getBytes(StandardCharsets.UTF_8));

        assertThat(r.status()).isEqualTo(413);
        assertThat(json.readTree(r.body()).path("error").asText()).isEqualTo("the request body is larger than 16 MB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/login", "/v1/sync/push", "/campaigns/create"})
    void aMultipartBodyIsRefusedBeforeItIsRead(String path) throws Exception {
        // 300 MB declared, a few bytes sent: the answer comes without waiting for the rest, so nothing was read.
        String start = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\n";
        RawHttp.Reply declared = RawHttp.exchange(InetAddress.getLoopbackAddress(), server.port(),
                "POST " + path + " HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: " + 300 * MB,
                start.getBytes(StandardCharsets.UTF_8));

        assertThat(declared.status()).isEqualTo(415);
        assertThat(json.readTree(declared.body()).path("error").asText()).isEqualTo(path.startsWith("/v1/")
                ? "send the body as application/json" : "multipart bodies are not taken");
        assertThat(declared.header("Connection")).isEqualTo("close");
    }

    @Test
    void aChunkedMultipartSignInIsRefusedNotReadForItsFields() throws Exception {
        // Within the console's limit but over Jetty's 200,000-byte form field: once a 500 with a stack trace.
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\n" + "a".repeat(220_000)
                + "\r\n--XyZ--\r\n";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/login"))
                .header("Content-Type", "Multipart/Form-Data; boundary=XyZ").POST(chunked(body)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(415);
    }

    @Test
    void theStreamAsksForNoMoreThanOneBytePastTheLimit() {
        Generated source = new Generated(64 * MB);
        RequestBodyLimit.LimitedStream limited = new RequestBodyLimit.LimitedStream(servletStream(source), 16 * MB);

        assertThatThrownBy(limited::readAllBytes).isInstanceOf(RequestBodyLimit.TooLarge.class)
                .hasMessage("the request body is larger than 16 MB");
        assertThat(source.produced.get()).isEqualTo(16 * MB + 1);
    }

    @Test
    void aBodyOfExactlyTheLimitIsReadWhole() throws Exception {
        RequestBodyLimit.LimitedStream limited = new RequestBodyLimit.LimitedStream(servletStream(new Generated(1000)), 1000);

        assertThat(limited.readAllBytes()).hasSize(1000);
    }

    private HttpResponse<String> post(String path, HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + credential).header("Content-Type", "application/json")
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.BodyPublisher chunked(String body) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static ServletInputStream servletStream(InputStream in) {
        return new ServletInputStream() {
            @Override
            public int read() throws java.io.IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return false;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** A body made as it is sent, never held: a JSON object's opening and then spaces. */
    private static final class Generated extends InputStream {
        final AtomicLong produced = new AtomicLong();
        private final long size;

        Generated(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long at = produced.get();
            if (at >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - at);
            for (int i = 0; i < n; i++) {
                b[off + i] = at + i == 0 ? (byte) '{' : (byte) ' ';
            }
            produced.addAndGet(n);
            return n;
        }
    }
}
