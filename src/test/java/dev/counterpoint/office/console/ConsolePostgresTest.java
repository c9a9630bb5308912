package dev.counterpoint.office.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.testing.OfficePostgres;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's reads and writes on head office's PostgreSQL: every page, a search of each kind, an edit, a resolution, a
 * campaign.
 */
class ConsolePostgresTest {
    @Test
    void everyPageSearchEditAndResolutionWorksOnPostgresql() throws Exception {
        try (ConsoleFixture office = new ConsoleFixture(OfficePostgres.freshDatabase())) {
            ConsoleClient boss = new ConsoleClient(office.base()).signedIn(ConsoleFixture.OWNER);
            for (String path : List.of("/", "/today/tables", "/terminals", "/exceptions?state=ALL", "/exceptions/" + office.mergeS002,
                    "/members?q=" + ConsoleClient.enc("建国"), "/members?q=5678", "/members?q=" + ConsoleFixture.PHONE_S001,
                    "/members/" + ConsoleFixture.CARD_BOTH, "/rules", "/reports?from=2026-03-01&to=2026-03-10", "/export/exceptions.xlsx", "/export/member-coupons.csv?card="
                            + ConsoleFixture.CARD_S001)) {
                ConsoleClient.Reply r = boss.get(path);
                assertThat(r.status()).as(path + "\n" + r.body()).isEqualTo(200);
            }
            assertThat(boss.get("/").body()).contains("closed and confirmed").contains("closed, digest differs").contains("¥100.00");
            assertThat(boss.get("/reports?from=2026-03-01&to=2026-03-10").body()).contains("¥573.00");
            assertThat(boss.get("/members?q=5678").body()).contains("href=\"/members/" + ConsoleFixture.CARD_S001 + "\"");
            ConsoleClient li = new ConsoleClient(office.base()).signedIn(ConsoleFixture.MANAGER_S002);
            assertThat(li.get("/members/" + ConsoleFixture.CARD_S001).status()).isEqualTo(403);
            assertThat(li.get("/exceptions?state=ALL").body()).doesNotContain("HQ0000000001");

            String token = boss.get("/members/" + ConsoleFixture.CARD_S001).csrf();
            assertThat(boss.post("/members/" + ConsoleFixture.CARD_S001 + "/profile",
                    Map.of("_csrf", token, "name", "林雨桐", "birthday", "1992-05-06")).body()).contains("every store receives it");
            assertThat(boss.post("/exceptions/" + office.mergeS002 + "/resolve", Map.of("_csrf", token, "note", "checked with the member",
                    "outcome", "SAME_PERSON"))
                    .status()).isEqualTo(303);
            assertThat(boss.post("/terminals/add", Map.of("_csrf", token, "store", "S003", "terminal", "T1")).body())
                    .contains("registration-code");
            // A campaign counted, issued and read back.
            Map<String, String> campaign = Map.of("_csrf", token, "request_key", "pg-campaign", "name", "PG spring",
                    "title", "春季券", "amount", "10", "valid_days", "14", "stores_visited", "S001", "points_min", "100");
            assertThat(boss.post("/campaigns/preview", campaign).body()).contains(">1 members match.");
            ConsoleClient.Reply issued = boss.post("/campaigns/create", campaign);
            assertThat(issued.status()).as(issued.body()).isEqualTo(303);
            ConsoleClient.Reply results = boss.get(issued.header("Location"));
            assertThat(results.status()).isEqualTo(200);
            assertThat(results.body()).contains("Campaign: PG spring").contains("id=\"table-campaign\"");
            assertThat(boss.get("/campaigns").body()).contains("PG spring");
        }
    }
}
