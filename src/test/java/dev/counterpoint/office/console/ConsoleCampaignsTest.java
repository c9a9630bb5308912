package dev.counterpoint.office.console;

import static dev.counterpoint.office.console.ConsoleFixture.MANAGER_S001;
import static dev.counterpoint.office.console.ConsoleFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The campaigns page over HTTP: a segment's members counted before anything is issued, a campaign issued through the
 * form (its CSRF token, a second click harmless), its results once a store redeems a coupon, a form refused with its
 * reason in the page, and a store's manager refused. The fixture's chain: 林雨桐 (home S001, 128 points), 王建国 (home
 * S002, bought at S001 and S002) and a member of S002 who never bought.
 */
class ConsoleCampaignsTest {
    private ConsoleFixture office;

    @BeforeEach
    void start() {
        office = new ConsoleFixture();
    }

    @AfterEach
    void stop() {
        office.close();
    }

    /** A campaign form as typed: ¥10 off on ¥50, for 14 days, to the members of S002, with the page's token and key. */
    private static Map<String, String> form(ConsoleClient.Reply page) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("_csrf", page.csrf());
        f.put("request_key", requestKey(page));
        f.put("name", "Spring comeback");
        f.put("title", "春季回馈券");
        f.put("title_en", "Spring thanks");
        f.put("kind", "amount");
        f.put("amount", "10");
        f.put("min_spend", "50.00");
        f.put("valid_days", "14");
        f.put("home_stores", "S002");
        return f;
    }

    private static Map<String, String> with(Map<String, String> form, String... namesAndValues) {
        Map<String, String> f = new LinkedHashMap<>(form);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            f.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return f;
    }

    private static String requestKey(ConsoleClient.Reply page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"request_key\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    @Test
    void theOwnerCountsASegmentsMembersThenIssuesOneCouponToEachThroughTheForm() throws Exception {
        ConsoleClient boss = office.as(OWNER);
        ConsoleClient.Reply page = boss.get("/campaigns");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("New campaign").contains("Count members").doesNotContain("Issue coupons");
        Map<String, String> form = form(page);

        ConsoleClient.Reply counted = boss.post("/campaigns/preview", form);
        assertThat(counted.status()).as(counted.body()).isEqualTo(200);
        assertThat(counted.body()).contains("id=\"preview-count\">2 members match.").contains("Issue coupons")
                .as("the form comes back as typed").contains("value=\"Spring comeback\"").contains("value=\"S002\"")
                .contains("value=\"" + form.get("request_key") + "\"");
        // Each condition narrows: S002's members who bought at S001, then members holding 100 points or more.
        assertThat(boss.post("/campaigns/preview", with(form, "stores_visited", "S001")).body())
                .contains(">1 members match.");
        assertThat(boss.post("/campaigns/preview", with(form, "home_stores", "", "points_min", "100")).body())
                .contains(">1 members match.");
        assertThat(boss.post("/campaigns/preview", with(form, "home_stores", "S001, S002", "tiers", "silver")).body())
                .contains(">3 members match.");
        assertThat(boss.post("/campaigns/preview", with(form, "home_stores", "", "birthday_month", "4")).body())
                .contains("class=\"caution\" role=\"status\" id=\"preview-count\">0 members match.")
                .as("no one to issue to").doesNotContain("Issue coupons")
                .contains("id=\"none-to-issue\">No member is in this segment");
        assertThat(campaignCount()).as("counting issues nothing").isZero();
        ConsoleClient.Reply toNoOne = boss.post("/campaigns/create", with(form, "home_stores", "", "birthday_month", "4"));
        assertThat(toNoOne.status()).as("a segment of no one sent to be issued anyway").isEqualTo(422);
        assertThat(toNoOne.body()).contains("Not issued: No member is in this segment");
        assertThat(campaignCount()).isZero();

        assertThat(boss.post("/campaigns/create", with(form, "_csrf", "forged")).status()).isEqualTo(403);
        assertThat(campaignCount()).isZero();

        ConsoleClient.Reply issued = boss.post("/campaigns/create", form);
        assertThat(issued.status()).as(issued.body()).isEqualTo(303);
        assertThat(issued.header("Location")).startsWith("/campaigns/");
        UUID id = UUID.fromString(issued.header("Location").substring("/campaigns/".length()));
        assertThat(holders(id)).containsExactlyInAnyOrder(office.memberBoth, office.memberFormula);
        String createdBy = office.jdbi().withHandle(h -> h.createQuery("SELECT created_by FROM campaign WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
        assertThat(createdBy).isEqualTo("console:" + OWNER);
        assertThat(auditCount("CAMPAIGN_CREATED", id.toString())).isEqualTo(1);
        // A second click (or the page sent again) is the same campaign, not a second one.
        ConsoleClient.Reply again = boss.post("/campaigns/create", form);
        assertThat(again.header("Location")).isEqualTo(issued.header("Location"));
        assertThat(campaignCount()).isEqualTo(1);
        assertThat(holders(id)).hasSize(2);
        assertThat(auditCount("CAMPAIGN_CREATED", id.toString())).isEqualTo(1);

        String results = boss.get("/campaigns/" + id).body();
        assertThat(cell(results, "Issued")).isEqualTo("2");
        assertThat(cell(results, "Redeemed")).isEqualTo("0");
        assertThat(results).contains("Campaign: Spring comeback").contains("Spring thanks")
                .contains("¥10.00 off, on ¥50.00 or more, valid for 14 days").contains("2026-03-10 to 2026-03-23")
                .doesNotContain("id=\"chart-campaign\"");

        // 王建国 uses his coupon at S001 on an ¥88 basket (¥78 paid), and comes back to S002 for ¥20 more.
        purchase(office.memberBoth, "S001", "S001-T1-000005", 7_800, 1);
        redeem(id, office.memberBoth, "S001", 1_000, 8_800);
        purchase(office.memberBoth, "S002", "S002-T1-000011", 2_000, 3);
        ConsoleClient.Reply after = boss.get("/campaigns/" + id);
        assertThat(cell(after.body(), "Issued")).isEqualTo("2");
        assertThat(cell(after.body(), "Redeemed")).isEqualTo("1");
        assertThat(cell(after.body(), "Redemption rate")).isEqualTo("50.0 %");
        assertThat(cell(after.body(), "Members who used it")).isEqualTo("1");
        assertThat(cell(after.body(), "Discount")).isEqualTo("¥10.00");
        assertThat(cell(after.body(), "Sales with the coupon")).isEqualTo("¥88.00");
        assertThat(cell(after.body(), "Return sales")).isEqualTo("¥98.00");
        assertThat(after.body()).contains("id=\"chart-campaign\"").contains("id=\"table-campaign-stores\"");
        assertThat(boss.get("/export/campaign-stores.csv?id=" + id).body()).contains("S001,1,10.00,88.00");
        assertThat(boss.get("/export/campaign.csv?id=" + id).body()).contains("Redeemed,1");
        // The page and the API say the same.
        assertThat(boss.get("/v1/campaigns/" + id).body()).contains("\"issued\":2").contains("\"redeemed\":1")
                .contains("\"redeemed_sales_fen\":8800").contains("\"return_sales_fen\":9800");

        String list = boss.get("/campaigns").body();
        assertThat(list).contains("href=\"/campaigns/" + id + "\">Spring comeback</a>").contains("50.0 %");
        assertThat(boss.get("/export/campaigns.csv").body()).contains("Spring comeback");
        ConsoleClient zh = office.as(OWNER);
        zh.language = "zh-CN";
        assertThat(zh.get("/campaigns/" + id).body()).contains("春季回馈券").contains("立减 ¥10.00").contains("核销");
    }

    @Test
    void aFormTheCampaignsRefuseComesBackWith400ItsReasonAndWhatWasTyped() throws Exception {
        ConsoleClient boss = office.as(OWNER);
        Map<String, String> form = form(boss.get("/campaigns"));

        ConsoleClient.Reply notYuan = boss.post("/campaigns/create", with(form, "amount", "ten", "name", "<b>Spring</b>"));
        assertThat(notYuan.status()).isEqualTo(400);
        assertThat(text(notYuan.body())).contains("Not issued: Amount off: \"ten\" is not an amount in yuan");
        assertThat(notYuan.body()).contains("role=\"alert\"").contains("value=\"ten\"").doesNotContain("<b>Spring</b>")
                .contains("value=\"&lt;b>Spring&lt;/b>\"");

        ConsoleClient.Reply backwards = boss.post("/campaigns/preview", with(form, "days_min", "30", "days_max", "10"));
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.body()).contains("segment.last_visit_days_max is below last_visit_days_min")
                .as("counting issues nothing, so its refusal says nothing was counted").contains("Not counted: ")
                .doesNotContain("Not issued")
                .doesNotContain("id=\"preview-count\"").doesNotContain("Issue coupons");
        assertThat(boss.post("/campaigns/preview", with(form, "birthday_month", "13")).body())
                .contains("segment.birthday_month must be a whole number from 1 to 12");
        assertThat(boss.post("/campaigns/preview", with(form, "home_stores", "S0 01;x")).body()).contains("is not a store id");
        ConsoleClient.Reply percentWithoutCap = boss.post("/campaigns/create", with(form, "kind", "percent", "percent", "20"));
        assertThat(percentWithoutCap.status()).isEqualTo(400);
        assertThat(percentWithoutCap.body()).contains("Cap on the discount: fill this in.");
        ConsoleClient.Reply free = boss.post("/campaigns/create", with(form, "amount", "0"));
        assertThat(free.status()).isEqualTo(400);
        assertThat(free.body()).contains("not a coupon template the terminals can use");
        ConsoleClient.Reply noName = boss.post("/campaigns/create", with(form, "name", ""));
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.body()).contains("Campaign name: fill this in.");
        ConsoleClient.Reply twoLines = boss.post("/campaigns/create", with(form, "title", "a\u202Eb"));
        assertThat(twoLines.status()).isEqualTo(400);
        assertThat(twoLines.body()).contains("title must be text of 1 to 60 characters on one line");

        ConsoleClient zh = office.as(OWNER);
        zh.language = "zh-CN";
        ConsoleClient.Reply chinese = zh.post("/campaigns/create", with(form(zh.get("/campaigns")), "valid_days", "两周"));
        assertThat(chinese.status()).isEqualTo(400);
        assertThat(text(chinese.body())).contains("未发券：有效天数：“两周”不是整数。");
        assertThat(campaignCount()).isZero();
        int campaignCoupons = office.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM coupon WHERE campaign_id IS NOT NULL").mapTo(Integer.class).one());
        assertThat(campaignCoupons).isZero();

        // Put right, the same form issues: a percentage off, with its cap.
        ConsoleClient.Reply issued = boss.post("/campaigns/create", with(form, "kind", "percent", "percent", "20", "max_off", "30"));
        assertThat(issued.status()).as(issued.body()).isEqualTo(303);
        assertThat(boss.get(issued.header("Location")).body()).contains("20% off, at most ¥30.00, on ¥50.00 or more");
    }

    @Test
    void aStoresManagerIsRefusedCampaignsWhichAreTheChains() throws Exception {
        ConsoleClient boss = office.as(OWNER);
        ConsoleClient.Reply issued = boss.post("/campaigns/create", form(boss.get("/campaigns")));
        String results = issued.header("Location");
        assertThat(boss.get("/").body()).contains("href=\"/campaigns\"");

        ConsoleClient wang = office.as(MANAGER_S001);
        assertThat(wang.get("/").body()).as("not in a manager's menu").doesNotContain("href=\"/campaigns\"");
        ConsoleClient.Reply page = wang.get("/campaigns");
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).contains("only an owner sees and starts them");
        String token = wang.get("/").csrf();
        Map<String, String> form = with(form(boss.get("/campaigns")), "_csrf", token, "home_stores", "S001");
        assertThat(wang.post("/campaigns/preview", form).status()).isEqualTo(403);
        assertThat(wang.post("/campaigns/create", form).status()).isEqualTo(403);
        assertThat(campaignCount()).isEqualTo(1);
        assertThat(wang.get(results).status()).isEqualTo(403);
        assertThat(wang.get("/export/campaigns.csv").status()).isEqualTo(403);
        assertThat(wang.get("/export/campaign-stores.csv?id=" + results.substring("/campaigns/".length())).status())
                .isEqualTo(403);
        assertThat(wang.get("/v1/campaigns").status()).isEqualTo(403);
    }

    @Test
    void aCampaignThatIsNotThereIsTheConsolesNotFoundPage() throws Exception {
        ConsoleClient boss = office.as(OWNER);
        for (String path : List.of("/campaigns/" + UUID.randomUUID(), "/campaigns/not-a-campaign")) {
            ConsoleClient.Reply r = boss.get(path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.body()).contains("There is no such page.");
        }
    }

    /** The figure in the row whose first cell is {@code label}, in the campaign's figures table. */
    private static String cell(String body, String label) {
        int table = body.indexOf("id=\"table-campaign\"");
        assertThat(table).as(body).isNotNegative();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<td>" + java.util.regex.Pattern.quote(label)
                + "</td>\\s*<td class=\"num\">([^<]*)</td>").matcher(body.substring(table));
        assertThat(m.find()).as(label + " in\n" + body).isTrue();
        return m.group(1);
    }

    /** The page's text as a reader sees it: the entities the templates write turned back into characters. */
    private static String text(String html) {
        return html.replace("&#34;", "\"").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&");
    }

    private long campaignCount() {
        return office.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM campaign").mapTo(Long.class).one());
    }

    private List<UUID> holders(UUID campaign) {
        return office.jdbi().withHandle(h -> h.createQuery("SELECT member_id FROM coupon WHERE campaign_id = :c")
                .bind("c", campaign).mapTo(UUID.class).list());
    }

    /** A store's redemption of the member's coupon of the campaign, held by head office as the one that counts. */
    private void redeem(UUID campaign, UUID member, String store, long discountFen, long basketFen) {
        office.jdbi().useTransaction(h -> {
            String code = h.createQuery("SELECT code FROM coupon WHERE campaign_id = :c AND member_id = :m")
                    .bind("c", campaign).bind("m", member).mapTo(String.class).one();
            UUID redemption = UUID.randomUUID();
            h.execute("INSERT INTO coupon_redemption(id, coupon_code, member_id, store_id, terminal_id, discount_fen, hlc, "
                    + "event_id, basket_fen) VALUES (?, ?, ?, ?, 'T1', ?, 10, ?, ?)", redemption, code, member, store,
                    discountFen, UUID.randomUUID(), basketFen);
            h.execute("INSERT INTO coupon_claim(coupon_code, redemption_id, hlc, event_id) VALUES (?, ?, 10, ?)", code,
                    redemption, UUID.randomUUID());
        });
    }

    /** A purchase {@code hours} after now (the session stays live: the clock is not moved). */
    private void purchase(UUID member, String store, String receipt, long totalFen, int hours) {
        office.jdbi().useHandle(h -> h.execute("INSERT INTO purchase(id, member_id, store_id, terminal_id, receipt_no, "
                + "purchased_at, total_fen, source) VALUES (?, ?, ?, 'T1', ?, ?, ?, 'SALE')", UUID.randomUUID(), member, store,
                receipt, OffsetDateTime.now(office.clock).withOffsetSameInstant(ZoneOffset.UTC).plusHours(hours), totalFen));
    }

    private int auditCount(String action, String subject) {
        return office.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM console_audit WHERE action = :a AND subject = :s").bind("a", action).bind("s", subject)
                .mapTo(Integer.class).one());
    }
}
