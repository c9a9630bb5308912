package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OfficeServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a keystore, head office speaks HTTPS only (loopback, a self-signed certificate made by keytool). */
class OfficeTlsTest {
    @TempDir
    Path tmp;

    @Test
    void servesHttpsOnlyWithTheGivenCertificate() throws Exception {
        Path keystore = tmp.resolve("office.p12");
        Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "office", "-keyalg", "RSA", "-keysize", "2048", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "secret12", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2")).redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();

        try (OfficeServer server = new OfficeServer(OfficeDatabase.of(OfficeHarness.h2DataSource()), Clock.systemUTC(),
                OfficeHarness.json(), 4, new OfficeServer.Tls(keystore, "secret12"))) {
            int port = server.start("127.0.0.1", 0);
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v1/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"ok\"");
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/health")).build(),
                    HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "secret12".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
