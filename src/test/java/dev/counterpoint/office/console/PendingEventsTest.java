package dev.counterpoint.office.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.office.Registrations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A terminal says at each pull how many events it still has to send; head office keeps the latest for the console. */
class PendingEventsTest {
    @Test
    void thePendingCountOfTheLatestPullIsKeptAndAPullThatDoesNotSayLeavesIt() throws Exception {
        try (ConsoleFixture office = new ConsoleFixture()) {
            String code = office.server.registrations().addTerminal("S003", "T1");
            Registrations.Credential credential = office.server.registrations().register(code);
            HttpClient http = HttpClient.newHttpClient();
            for (String query : new String[] {"cursor=0&limit=10&pending=12", "cursor=0&limit=10"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(office.base() + "/v1/sync/pull?" + query))
                        .header("Authorization", "Bearer " + credential.credential()).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                long pending = office.jdbi().withHandle(h -> h.createQuery(
                        "SELECT events_pending FROM terminal WHERE store_id = 'S003' AND terminal_id = 'T1'").mapTo(Long.class).one());
                assertThat(pending).as(query).isEqualTo(12);
            }
            ConsoleClient boss = new ConsoleClient(office.base()).signedIn(ConsoleFixture.OWNER);
            assertThat(boss.get("/export/terminals.csv").body().lines().filter(l -> l.startsWith("S003,T1,")).findFirst()
                    .orElseThrow()).endsWith(",12");
        }
    }
}
