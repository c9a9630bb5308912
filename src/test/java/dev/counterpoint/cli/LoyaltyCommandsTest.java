package dev.counterpoint.cli;

import static dev.counterpoint.cli.LookupCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoyaltyCommandsTest {
    @TempDir
    Path dir;

    @Test
    void lookupJsonTellsWhatExpiresNextAndWhatTheNextTierNeeds() throws Exception {
        Member m;
        LocalDate expires = LocalDate.now().plusDays(10);
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            m = ctx.memberService().enrol("孙丽", "13500001111", null);
            ctx.database().jdbi().useTransaction(h -> ctx.pointsLedger().append(h, m.id(), 320, PointsKind.OPENING,
                    expires, null, OffsetDateTime.now(), ctx.hlc().now()));
            ctx.checkoutService().recordSale(m.id(), 12_345L, List.of());
        }

        LookupCommandTest.Run run = run("--data-dir", dir.toString(), "--lang", "en", "lookup", m.cardCode(), "--json");

        assertThat(run.exit()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("points_expiring").get("points").asLong()).isEqualTo(320);
        assertThat(doc.get("points_expiring").get("expires_on").asText()).isEqualTo(expires.toString());
        JsonNode progress = doc.get("tier_progress");
        assertThat(progress.get("tier").asText()).isEqualTo("NORMAL");
        assertThat(progress.get("next_tier").asText()).isEqualTo("SILVER");
        assertThat(progress.get("basis").asText()).isEqualTo("SPEND");
        assertThat(progress.get("figure").asLong()).isEqualTo(12_345);
        assertThat(progress.get("needed").asLong()).isEqualTo(100_000 - 12_345);
        assertThat(doc.get("rfm").get("recency").asInt()).isEqualTo(5);
        assertThat(doc.get("suggestions")).anySatisfy(s -> {
            assertThat(s.get("reason").asText()).isEqualTo("POINTS_EXPIRING");
            assertThat(s.get("points").asLong()).isEqualTo(320);
            assertThat(s.get("coupon").isNull()).isTrue();
        });

        LookupCommandTest.Run text = run("--data-dir", dir.toString(), "--lang", "en", "lookup", m.cardCode());
        assertThat(text.out()).contains("¥876.55 more spend to Silver", "320 points expire on " + expires);
    }

    @Test
    void aManagerGuardsCouponActionsWithTheirPinFromStandardInput() throws Exception {
        Member m;
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            m = ctx.memberService().enrol("周杰", "13700003333", null);
        }
        String d = dir.toString();
        assertThat(LookupCommandTest.runWithInput("246810\n", "--data-dir", d, "--lang", "en", "coupon", "issue", m.cardCode(),
                "BEANS_10", "--manager", "li").err()).contains("There is no active staff account li.");
        assertThat(LookupCommandTest.runWithInput("12\n", "--data-dir", d, "--lang", "en", "staff", "add", "li", "--name", "李",
                "--role", "manager").exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(LookupCommandTest.runWithInput("246810\n", "--data-dir", d, "--lang", "en", "staff", "add", "li", "--name",
                "李", "--role", "manager").out()).contains("Staff account li (李, manager) added.");

        LookupCommandTest.Run wrong = LookupCommandTest.runWithInput("111111\n", "--data-dir", d, "--lang", "en", "coupon",
                "issue", m.cardCode(), "BEANS_10", "--manager", "li");
        assertThat(wrong.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        LookupCommandTest.Run issued = LookupCommandTest.runWithInput("246810\n", "--data-dir", d, "--lang", "en", "coupon",
                "issue", m.cardCode(), "BEANS_10", "--manager", "li");
        assertThat(issued.exit()).as(issued.err()).isZero();
        String code = issued.out().split(" ")[1];
        assertThat(issued.out()).contains("issued to 周杰");

        LookupCommandTest.Run voided = LookupCommandTest.runWithInput("246810\n", "--data-dir", d, "--lang", "en", "coupon",
                "void", code, "--reason", "typo", "--manager", "li");
        assertThat(voided.out()).contains("Coupon " + code + " cancelled.");
        assertThat(LookupCommandTest.runWithInput("246810\n", "--data-dir", d, "--lang", "en", "coupon", "void", code,
                "--reason", "typo", "--manager", "li").exit()).isEqualTo(ExitCodes.REFUSED);
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM audit_log WHERE staff_id = 'li' AND action IN "
                    + "('COUPON_ISSUED_BY_MANAGER', 'COUPON_VOIDED')")).isEqualTo(2);
        }
    }

    @Test
    void rulesCheckNamesTheFieldAndTheDailyPassReports() throws Exception {
        Path bad = dir.resolve("bad-rules.json");
        Files.writeString(bad, "{\"version\": 3, \"tierBasis\": \"VISITS\"}", StandardCharsets.UTF_8);
        LookupCommandTest.Run check = run("--data-dir", dir.resolve("data").toString(), "--lang", "en", "rules", "--check", bad.toString());
        assertThat(check.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(check.err()).contains("tierBasis: the value has the wrong type or is not allowed.");

        LookupCommandTest.Run show = run("--data-dir", dir.resolve("data").toString(), "--lang", "en", "rules");
        assertThat(show.exit()).isZero();
        assertThat(new ObjectMapper().readTree(show.out()).get("version").asInt()).isEqualTo(2);
        assertThat(dir.resolve("data").resolve("rules.json")).exists();

        LookupCommandTest.Run daily = run("--data-dir", dir.resolve("data").toString(), "--lang", "en", "daily");
        assertThat(daily.out()).contains("0 members checked");
    }
}
