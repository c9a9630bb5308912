package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.main.Main;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real entry point: `office` in its own JVM serves /v1/health on loopback until it is stopped. */
class OfficeProcessTest {
    @TempDir
    Path tmp;

    @Test
    void officeCommandServesUntilStopped() throws Exception {
        Process office = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "office", "--data-dir", tmp.resolve("office").toString(), "--host", "127.0.0.1", "--port", "0"))
                .redirectError(tmp.resolve("office.err").toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(office.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).startsWith("head office listening on http://127.0.0.1:");
            int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"ok\"");
            HttpResponse<String> unauthorised = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/exceptions")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unauthorised.statusCode()).isEqualTo(401);
        } finally {
            office.destroy(); // SIGTERM: the shutdown hook stops the server
            assertThat(office.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
