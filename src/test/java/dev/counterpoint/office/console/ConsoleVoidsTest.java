package dev.counterpoint.office.console;

import static dev.counterpoint.office.console.ConsoleFixture.MANAGER_S001;
import static dev.counterpoint.office.console.ConsoleFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.office.report.Backfill;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sales voided the same day they were rung up: on the console's small chain (ConsoleFixture: today S001 sold ¥26 + ¥19,
 * S002 ¥55; yesterday S001 ¥128), S001 also rang up ¥10,000,000 and ¥1,000,000 by mistake this morning and voided
 * both. The Today page's and the Reports page's sales are after the voids and refunds made that day, which show beside.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleVoidsTest {
    private ConsoleFixture office;

    @BeforeAll
    void start() {
        office = new ConsoleFixture();
        OffsetDateTime now = OffsetDateTime.ofInstant(ConsoleFixture.NOW, ZoneOffset.UTC);
        office.jdbi().useTransaction(h -> {
            voided(h, "S001-T1-000011", 1_000_000_000L, now.minusHours(4));
            voided(h, "S001-T1-000012", 100_000_000L, now.minusHours(3).minusMinutes(30));
        });
        Backfill.rebuild(office.jdbi(), office.json, dev.counterpoint.office.ChainLocks::exclusive);
    }

    /** A sale at S001/T1 and its void ten minutes later, as head office holds them. */
    private void voided(org.jdbi.v3.core.Handle h, String receipt, long totalFen, OffsetDateTime at) {
        UUID purchase = UUID.randomUUID();
        h.execute("INSERT INTO purchase(id, member_id, store_id, terminal_id, receipt_no, purchased_at, total_fen, source, "
                + "refunded_fen) VALUES (?, ?, 'S001', 'T1', ?, ?, ?, 'SALE', ?)", purchase, office.memberS001, receipt, at,
                totalFen, totalFen);
        h.execute("INSERT INTO refund(id, checkout_id, refund_no, store_id, terminal_id, kind, refunded_at, payload, event_id) "
                + "VALUES (?, ?, ?, 'S001', 'T1', 'VOID', ?, ?, ?)", UUID.randomUUID(), UUID.randomUUID(), "V" + receipt,
                at.plusMinutes(10), "{\"gross_fen\":" + totalFen + "}", UUID.randomUUID());
    }

    @AfterAll
    void stop() {
        office.close();
    }

    private static String row(String csv, String first) {
        return csv.lines().filter(l -> l.startsWith(first + ",")).findFirst().orElseThrow(() -> new AssertionError(csv));
    }

    @Test
    void todaysSalesAreAfterTheVoidsWhichShowBeside() throws Exception {
        ConsoleClient boss = office.as(OWNER);
        String page = boss.get("/").body();
        // The chain sold ¥45 + ¥55 that stands, and ¥11,000,000 voided.
        assertThat(page).contains("Sales today, after refunds").contains("¥100.00").contains("Voids and refunds today")
                .contains("2, ¥11,000,000.00").doesNotContain("¥11,000,100.00").doesNotContain("¥11,000,045.00");
        // Store, sales, sales after refunds, voids and refunds, refunded, members served ...: the sales stay counted.
        String csv = boss.get("/export/today-sales.csv").body();
        assertThat(csv.lines().findFirst().orElseThrow())
                .startsWith("\uFEFFStore,Sales,Sales after refunds,Voids and refunds,Refunded,Members served");
        assertThat(row(csv, "S001")).startsWith("S001,4,45.00,2,11000000.00,");
        assertThat(row(csv, "S002")).startsWith("S002,1,55.00,0,0.00,");
        assertThat(row(csv, "Chain")).startsWith("Chain,5,100.00,2,11000000.00,");
        // The store chart draws the same figures.
        assertThat(page).doesNotContain("11000045");
        // The API keeps its fields as they were: gross sales, and the refunds apart.
        JsonNode s001 = office.json.readTree(boss.get("/v1/reports/today?store_id=S001").body()).path("stores").get(0);
        assertThat(s001.path("sales_fen").asLong()).isEqualTo(1_100_004_500L);
        assertThat(s001.path("refunded_fen").asLong()).isEqualTo(1_100_000_000L);

        ConsoleClient zh = office.as(OWNER);
        zh.language = "zh-CN";
        assertThat(zh.get("/").body()).contains("今日销售额（扣除退款）").contains("今日作废与退款").contains("2 笔，¥11,000,000.00");
    }

    @Test
    void aManagerSeesTheirStoresSalesAfterTheVoids() throws Exception {
        String page = office.as(MANAGER_S001).get("/").body();
        assertThat(page).contains("¥45.00").contains("2, ¥11,000,000.00").doesNotContain("¥11,000,045.00");
    }

    @Test
    void theReportsDailyChartIsAfterRefundsAsItsAmounts() throws Exception {
        String page = office.as(OWNER).get("/reports?from=2026-03-09&to=2026-03-10").body();
        String chart = page.substring(page.indexOf("id=\"chart-daily\""));
        chart = chart.substring(0, chart.indexOf("</div>"));
        // Yesterday ¥128, today ¥100 after the voids (¥11,000,100 before them).
        assertThat(chart).contains("Sales after refunds").contains("128.00").contains("100.00").doesNotContain("11000100");
    }
}
