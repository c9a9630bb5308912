package dev.counterpoint.office.console;

import static dev.counterpoint.office.console.ConsoleFixture.MANAGER_S002;
import static dev.counterpoint.office.console.ConsoleFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The report page's sections over HTTP, on the console's small chain (ConsoleFixture): every member is Silver; S001
 * holds one, S002 three until one of them was merged into another on 10 March (14:00:02 in Shanghai); head office
 * issued one WELCOME coupon on 1 March; from 1 to 10 March S001 sold ¥218 and S002 ¥355.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportsPageHttpTest {
    private static final String MARCH = "from=2026-03-01&to=2026-03-10";
    private ConsoleFixture office;

    @BeforeAll
    void start() {
        office = new ConsoleFixture();
    }

    @AfterAll
    void stop() {
        office.close();
    }

    @Test
    void theTiersAreThoseAtThePeriodsEndWithTheirChartAndExport() throws Exception {
        ConsoleClient boss = office.as(OWNER);
        String page = boss.get("/reports?" + MARCH).body();
        assertThat(page).contains("Tiers at the end of 2026-03-10").contains("id=\"chart-tiers\"")
                .contains("id=\"table-report-tiers\"").contains("No member changed tier in the period.");
        // Store, Standard, Silver, Gold, Diamond, members, upgrades, downgrades: the merged member has left S002.
        assertThat(ConsoleFixture.rows(boss.get("/export/report-tiers.csv?" + MARCH)))
                .containsExactly("S001,0,1,0,0,1,0,0", "S002,0,2,0,0,2,0,0", "Chain,0,3,0,0,3,0,0");
        // On the 9th the merge had not happened: S002 still held three.
        assertThat(ConsoleFixture.rows(boss.get("/export/report-tiers.csv?from=2026-03-01&to=2026-03-09")))
                .containsExactly("S001,0,1,0,0,1,0,0", "S002,0,3,0,0,3,0,0", "Chain,0,4,0,0,4,0,0");
        assertThat(ConsoleFixture.rows(boss.get("/export/report-tier-moves.csv?" + MARCH))).isEmpty();
        JsonNode api = office.json.readTree(boss.get("/v1/reports/stores?from=2026-03-01&to=2026-03-09").body());
        assertThat(api.path("chain").path("tiers").path("SILVER").asLong()).isEqualTo(4);
        assertThat(api.path("chain").path("tier_upgrades").asLong()).isZero();
        assertThat(boss.get("/export/report-tiers.xlsx?" + MARCH).status()).isEqualTo(200);
        ConsoleClient zh = office.as(OWNER);
        zh.language = "zh-CN";
        assertThat(zh.get("/reports?" + MARCH).body()).contains("会员等级（截至 2026-03-10 日终）").contains("银卡");
    }

    @Test
    void couponsCountUnderTheReasonTheyWereIssuedFor() throws Exception {
        ConsoleClient boss = office.as(OWNER);
        String page = boss.get("/reports?" + MARCH).body();
        assertThat(page).contains("Coupons by reason").contains("Head office campaign").contains("id=\"chart-reasons\"")
                .contains("id=\"chart-templates\"").contains("Welcome ¥10 off");
        // Head office's coupon counts in the chain's figures only; its redemptions were stamped long before March.
        assertThat(ConsoleFixture.rows(boss.get("/export/report-coupon-reasons.csv?" + MARCH)))
                .containsExactly("Chain,Head office campaign,1,0,0.0000,0.00");
        assertThat(ConsoleFixture.rows(boss.get("/export/report-coupons.csv?" + MARCH))).containsExactly("Chain,Welcome ¥10 off,1,0,0.0000,0.00");
        assertThat(boss.get("/export/report-coupon-reasons.xlsx?" + MARCH).status()).isEqualTo(200);
        JsonNode chain = office.json.readTree(boss.get("/v1/reports/stores?" + MARCH).body()).path("chain");
        assertThat(chain.path("coupons_by_reason").get(0).path("reason").asText()).isEqualTo("CAMPAIGN");
        assertThat(chain.path("coupons_by_reason").get(0).path("issued").asLong()).isEqualTo(1);
        ConsoleClient zh = office.as(OWNER);
        zh.language = "zh-CN";
        assertThat(zh.get("/reports?" + MARCH).body()).contains("总部活动").contains("新会员礼 ¥10");
    }

    @Test
    void aTemplateIdThatLooksLikeAFormulaIsExportedAsText() throws Exception {
        office.jdbi().useHandle(h -> h.execute("INSERT INTO report_coupon_day(store_id, on_day, template_id, reason, issued, "
                + "redeemed, discount_fen) VALUES ('S001', DATE '2026-02-15', '=2+3', 'OTHER', 1, 0, 0)"));
        office.jdbi().useHandle(h -> h.execute("INSERT INTO report_coupon_month(store_id, month_start, template_id, reason, "
                + "issued, redeemed, discount_fen) VALUES ('S001', DATE '2026-02-01', '=2+3', 'OTHER', 1, 0, 0)"));
        ConsoleClient boss = office.as(OWNER);
        String csv = boss.get("/export/report-coupons.csv?from=2026-02-15&to=2026-02-15").body();
        assertThat(csv).contains("S001,'=2+3,1,0,0.0000").doesNotContain(",=2+3");
        String sheet = ConsoleHttpTest.sheetXml(boss.get("/export/report-coupons.xlsx?from=2026-02-15&to=2026-02-15").bytes());
        assertThat(sheet).contains("&apos;=2+3").doesNotContain("<f>");
    }

    @Test
    void theStoresSortByAnyColumnAndCompareByTheChosenKpi() throws Exception {
        ConsoleClient boss = office.as(OWNER);
        // The chain's row stays last whatever the order.
        assertThat(ConsoleFixture.rows(boss.get("/export/report-stores.csv?" + MARCH + "&sort=amount&dir=desc")))
                .extracting(r -> r.substring(0, r.indexOf(','))).containsExactly("S002", "S001", "Chain");
        assertThat(ConsoleFixture.rows(boss.get("/export/report-stores.csv?" + MARCH + "&sort=amount&dir=asc")))
                .extracting(r -> r.substring(0, r.indexOf(','))).containsExactly("S001", "S002", "Chain");
        assertThat(ConsoleFixture.rows(boss.get("/export/report-stores.csv?" + MARCH + "&sort=store&dir=desc")))
                .extracting(r -> r.substring(0, r.indexOf(','))).containsExactly("S002", "S001", "Chain");

        String byAmount = boss.get("/reports?" + MARCH + "&sort=amount&dir=desc").body();
        assertThat(byAmount.indexOf(">S002<")).isLessThan(byAmount.indexOf(">S001<"));
        // The column sorted by says so, and its link turns the order round; the export keeps the order.
        assertThat(byAmount).contains("aria-sort=\"descending\"")
                .contains("href=\"/reports?" + MARCH.replace("&", "&amp;") + "&amp;kpi=amount&amp;sort=amount&amp;dir=asc#table-report-stores\"")
                .contains("/export/report-stores.csv?" + MARCH.replace("&", "&amp;") + "&amp;sort=amount&amp;dir=desc");

        String byRate = boss.get("/reports?" + MARCH + "&kpi=repurchaseRate").body();
        assertThat(byRate).contains("id=\"chart-compare\"").contains("aria-current=\"true\">Repurchase rate</a>");
        // A rate is drawn beside the chain's.
        String chart = byRate.substring(byRate.indexOf("id=\"chart-compare\""));
        assertThat(chart.substring(0, chart.indexOf("</div>"))).contains("&#34;markLine&#34;").contains("Chain");

        ConsoleClient.Reply badSort = boss.get("/reports?" + MARCH + "&sort=%3Cscript%3E");
        assertThat(badSort.status()).isEqualTo(400);
        assertThat(badSort.body()).contains("There is no column &lt;script&gt; to sort by.").doesNotContain("<script>");
        assertThat(boss.get("/reports?" + MARCH + "&sort=amount&dir=sideways").body())
                .contains("The order is asc (lowest first) or desc (highest first).");
        ConsoleClient.Reply badKpi = boss.get("/reports?" + MARCH + "&kpi=profit");
        assertThat(badKpi.status()).isEqualTo(400);
        assertThat(badKpi.body()).contains("The stores cannot be compared by profit.");
        assertThat(boss.get("/export/report-stores.csv?" + MARCH + "&sort=profit").status()).isEqualTo(400);
    }

    @Test
    void aManagerSeesOnlyTheirStoreInEverySectionAndExport() throws Exception {
        ConsoleClient li = office.as(MANAGER_S002);
        String page = li.get("/reports?" + MARCH).body();
        assertThat(page).contains(">S002<").doesNotContain(">S001<").doesNotContain(">Chain<")
                .doesNotContain("id=\"chart-compare\"").contains("id=\"chart-tiers\"");
        for (String table : List.of("report-stores", "report-members", "report-balances", "report-tiers", "report-tier-moves",
                "report-coupon-reasons", "report-coupons")) {
            String csv = li.get("/export/" + table + ".csv?" + MARCH).body();
            assertThat(csv).as(table).doesNotContain("S001").doesNotContain("Chain");
            assertThat(li.get("/export/" + table + ".csv?" + MARCH + "&store=S001").status()).as(table).isEqualTo(403);
        }
        assertThat(ConsoleFixture.rows(li.get("/export/report-tiers.csv?" + MARCH))).containsExactly("S002,0,2,0,0,2,0,0");
        // Head office's coupon is the chain's: a manager's store shows none of it.
        assertThat(ConsoleFixture.rows(li.get("/export/report-coupon-reasons.csv?" + MARCH))).isEmpty();
        assertThat(li.get("/reports?" + MARCH + "&store=S001").status()).isEqualTo(403);
        assertThat(li.get("/v1/reports/stores?" + MARCH + "&store_id=S001").status()).isEqualTo(403);
        JsonNode own = office.json.readTree(li.get("/v1/reports/stores?" + MARCH).body());
        assertThat(own.path("stores")).hasSize(1);
        assertThat(own.path("stores").get(0).path("store_id").asText()).isEqualTo("S002");
        assertThat(own.path("stores").get(0).path("tiers").path("SILVER").asLong()).isEqualTo(2);
        assertThat(own.has("chain")).isFalse();
    }
}
