package dev.counterpoint.sync;

import static dev.counterpoint.sync.OfficeSyncContract.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.checkout.CheckoutReceipt;
import dev.counterpoint.checkout.CheckoutRequest;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.member.Member;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OwnerKeys;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign from head office to three stores: its coupons reach each store that keeps the member, once, and no other;
 * they are used at any of them and the campaign's figures count every redemption; templates the terminals could not
 * use are refused before anything is published.
 */
abstract class CampaignContract {
    @TempDir
    Path tmp;
    OfficeHarness office;
    TestClock clock;
    TerminalWiring s1;
    TerminalWiring s2;
    TerminalWiring s3;
    Staff li;
    Staff zhang;
    Member m1;
    Member m2;
    Member m3;
    Member m4;
    String owner;

    abstract OfficeDatabase newDatabase();

    @BeforeEach
    void threeStores() {
        clock = OfficeHarness.clockAt(OfficeHarness.START);
        office = new OfficeHarness(newDatabase(), 8, clock);
        s1 = office.terminal(tmp.resolve("s1"), "S1", "T1", clock);
        s2 = office.terminal(tmp.resolve("s2"), "S2", "T1", clock);
        s3 = office.terminal(tmp.resolve("s3"), "S3", "T1", clock);
        li = s1.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
        zhang = s2.staffAccounts().addFirst("zhang", "张店长", StaffRole.MANAGER, "135790");
        s3.staffAccounts().addFirst("wu", "吴店长", StaffRole.MANAGER, "975310");
        m1 = s1.memberService().enrol("林雨桐", "13800000001", null);
        m2 = s2.memberService().enrol("王建国", "13800000002", null);
        m3 = s1.memberService().enrol("张欣怡", "13800000003", null);
        m4 = s3.memberService().enrol("陈思远", "13800000004", null);
        sync(s1, s2, s3);
        checkout(s2, m1, 3_000, null, zhang); // m1 is now kept by S1 and S2
        sync(s2, s1, s3);
        clock.advance(Duration.ofHours(1)); // the purchase above is before any campaign
        owner = office.server.ownerKeys().create("crm", EnumSet.of(OwnerKeys.Scope.COUPONS, OwnerKeys.Scope.READ),
                Duration.ofDays(30));
    }

    @AfterEach
    void stop() {
        office.close();
    }

    private static final String CAMPAIGN = """
            {"name": "春季回馈", "coupon": {"title": "满¥20减¥5", "title_en": "¥5 off ¥20", "amount_off_fen": 500,
             "min_spend_fen": 2000, "valid_days": 14}, "segment": {"home_stores": ["S1", "S2"]}}""";

    @Test
    void aSegmentsTagsSelectMembersByTheirOwnTagsBesideTheAutomaticOnes() throws Exception {
        s1.memberTags().set(m3.id(), "VIP", true, li);
        s2.memberTags().set(m1.id(), "vip", true, zhang); // another tag: names are compared exactly
        sync(s1, s2);
        HttpResponse<String> preview = post("/v1/segments/preview", "{\"tags\": [\"VIP\", \"dormant\", \"无人\"]}", owner, null);
        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        JsonNode counted = office.json.readTree(preview.body());
        assertThat(counted.path("members").asLong()).isEqualTo(1);
        assertThat(counted.path("tags_held_by_none").toString()).isEqualTo("[\"无人\"]");
        HttpResponse<String> created = post("/v1/campaigns", CAMPAIGN.replace("{\"home_stores\": [\"S1\", \"S2\"]}",
                "{\"tags\": [\"VIP\", \"new\"], \"home_stores\": [\"S1\"]}"), owner, "tags-1");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        // m3 holds VIP; m1 (home S1) is new: every member enrolled within 30 days is.
        assertThat(office.json.readTree(created.body()).path("members").asLong()).isEqualTo(2);
    }

    @Test
    void aCampaignReachesEachStoreThatKeepsTheMemberOnceAndItsFiguresCountEveryStore() throws Exception {
        HttpResponse<String> created = post("/v1/campaigns", CAMPAIGN, owner, "spring-1");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = office.json.readTree(created.body());
        UUID campaign = UUID.fromString(body.path("campaign_id").asText());
        assertThat(body.path("members").asLong()).isEqualTo(3); // m1, m2, m3; m4's home is S3

        // Sent again with the same key: the same answer, nothing issued twice.
        HttpResponse<String> again = post("/v1/campaigns", CAMPAIGN, owner, "spring-1");
        assertThat(office.json.readTree(again.body()).path("campaign_id").asText()).isEqualTo(campaign.toString());
        assertThat(office.officeLong("SELECT COUNT(*) FROM coupon WHERE campaign_id = ?", campaign)).isEqualTo(3);
        // The same key with another request is refused.
        assertThat(post("/v1/campaigns", CAMPAIGN.replace("春季回馈", "夏季"), owner, "spring-1").statusCode()).isEqualTo(409);

        // One row per store that keeps the member: m1 at S1 and S2, m2 at S2, m3 at S1; none for S3.
        assertThat(office.officeLong("SELECT COUNT(*) FROM change_log WHERE kind = 'coupon.issued'")).isEqualTo(4);
        assertThat(office.officeLong("SELECT COUNT(*) FROM change_log WHERE kind = 'coupon.issued' AND target_store = 'S3'"))
                .isZero();
        assertThat(office.officeLong("SELECT COUNT(*) FROM change_log WHERE kind = 'coupon.issued' AND target_store IS NULL"))
                .isZero();

        sync(s1, s2, s3);
        sync(s1, s2, s3); // a second pull brings nothing twice
        String template = office.json.readTree(get("/v1/campaigns/" + campaign, owner).body()).path("coupon")
                .path("template_id").asText();
        for (TerminalWiring s : List.of(s1, s2, s3)) {
            assertThat(count(s, "SELECT COUNT(*) FROM coupon_template WHERE id = '" + template + "'")).isEqualTo(1);
        }
        assertThat(campaignCoupons(s1, m1)).hasSize(1);
        assertThat(campaignCoupons(s2, m1)).hasSize(1);
        assertThat(campaignCoupons(s2, m2)).hasSize(1);
        assertThat(campaignCoupons(s1, m3)).hasSize(1);
        assertThat(campaignCoupons(s1, m2)).isEmpty();
        assertThat(campaignCoupons(s3, m1)).isEmpty();
        assertThat(campaignCoupons(s3, m4)).isEmpty();
        assertThat(count(s1, "SELECT COUNT(*) FROM coupon WHERE template_id = '" + template + "'")).isEqualTo(2);
        assertThat(count(s3, "SELECT COUNT(*) FROM coupon WHERE template_id = '" + template + "'")).isZero();

        // Below the minimum spend the counter refuses it, as it does its own.
        String m1Code = campaignCoupons(s2, m1).get(0).code();
        assertThatThrownBy(() -> checkout(s2, m1, 1_000, m1Code, zhang)).isInstanceOf(BusinessRuleException.class)
                .extracting(e -> ((BusinessRuleException) e).userMessage().key()).isEqualTo("redeem.error.minSpend");
        // Used at S2 (m1, m2) and at S1 (m3).
        checkout(s2, m1, 4_000, m1Code, zhang);
        checkout(s2, m2, 2_500, campaignCoupons(s2, m2).get(0).code(), zhang);
        checkout(s1, m3, 6_000, campaignCoupons(s1, m3).get(0).code(), li);
        clock.advance(Duration.ofDays(2));
        checkout(s1, m1, 1_200, null, li); // m1 comes back, no coupon: return sales
        checkout(s3, m4, 9_900, null, s3.staffAccounts().authenticate("wu", "975310")); // not in the campaign
        sync(s1, s2, s3, s1);
        // S1 learns that m1's coupon was used at S2.
        assertThat(campaignCoupons(s1, m1)).isEmpty();

        JsonNode figures = office.json.readTree(get("/v1/campaigns/" + campaign, owner).body());
        assertThat(figures.path("issued").asLong()).isEqualTo(3);
        assertThat(figures.path("redeemed").asLong()).isEqualTo(3);
        assertThat(figures.path("redeemers").asLong()).isEqualTo(3);
        assertThat(figures.path("discount_fen").asLong()).isEqualTo(1_500);
        // The baskets the coupons were used on: 4,000 + 2,500 + 6,000.
        assertThat(figures.path("redeemed_sales_fen").asLong()).isEqualTo(12_500);
        // Everything the three redeemers bought in the window (purchase amounts, as the KPIs count them), m1's purchase
        // before the campaign not: 4,000 + 2,500 + 6,000 + 1,200.
        assertThat(figures.path("return_sales_fen").asLong()).isEqualTo(13_700);
        assertThat(figures.path("by_store").get(0).path("store_id").asText()).isEqualTo("S1");
        assertThat(figures.path("by_store").get(0).path("redeemed").asLong()).isEqualTo(1);
        assertThat(figures.path("by_store").get(1).path("redeemed").asLong()).isEqualTo(2);
        JsonNode list = office.json.readTree(get("/v1/campaigns", owner).body());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("redeemed").asLong()).isEqualTo(3);
    }

    @Test
    void aStoreThatLaterServesTheMemberGetsTheCouponStillToBeUsed() throws Exception {
        assertThat(post("/v1/campaigns", CAMPAIGN, owner, null).statusCode()).isEqualTo(201);
        sync(s1, s2, s3);
        assertThat(campaignCoupons(s3, m3)).isEmpty();
        checkout(s3, m3, 800, null, s3.staffAccounts().authenticate("wu", "975310")); // S3 now keeps m3
        sync(s3, s3);
        assertThat(campaignCoupons(s3, m3)).hasSize(1);
        checkout(s3, m3, 2_000, campaignCoupons(s3, m3).get(0).code(), s3.staffAccounts().authenticate("wu", "975310"));
    }

    @Test
    void aPerMemberLimitHoldsAtTheCounter() throws Exception {
        HttpResponse<String> t = post("/v1/coupon-templates", """
                {"template_id": "ONCE_8", "name_zh": "八折 最多减¥30", "name_en": "20% off, up to ¥30", "percent_off": 20,
                 "max_off_fen": 3000, "valid_days": 30, "per_member_limit": 1}""", owner, null);
        assertThat(t.statusCode()).as(t.body()).isEqualTo(201);
        for (int i = 0; i < 2; i++) {
            assertThat(post("/v1/coupons", "{\"card_code\": \"" + m1.cardCode() + "\", \"template_id\": \"ONCE_8\", "
                    + "\"valid_from\": \"2026-03-10\", \"valid_until\": \"2026-04-01\"}", owner, null).statusCode()).isEqualTo(201);
        }
        sync(s1, s2);
        List<Coupon> wallet = s1.database().jdbi().withHandle(h -> s1.couponRepository().wallet(h, m1.id()));
        assertThat(wallet).hasSize(2).allMatch(c -> c.template().perMemberLimit() == 1);
        // 20 % of 20,000 is 4,000, capped at 3,000.
        CheckoutReceipt first = checkout(s1, m1, 20_000, wallet.get(0).code(), li);
        assertThat(first.discountFen()).isEqualTo(3_000);
        assertThatThrownBy(() -> checkout(s1, m1, 20_000, wallet.get(1).code(), li)).isInstanceOf(BusinessRuleException.class)
                .extracting(e -> ((BusinessRuleException) e).userMessage().key()).isEqualTo("redeem.error.perMemberLimit");
        // Another store, once it has heard of the first use, refuses it too.
        sync(s1, s2);
        assertThatThrownBy(() -> checkout(s2, m1, 20_000, wallet.get(1).code(), zhang))
                .isInstanceOf(BusinessRuleException.class)
                .extracting(e -> ((BusinessRuleException) e).userMessage().key()).isEqualTo("redeem.error.perMemberLimit");
    }

    @Test
    void templatesTheTerminalsCouldNotUseAreRefused() throws Exception {
        String[][] bad = {
                {"{\"template_id\": \"X\", \"name_zh\": \"x\", \"name_en\": \"x\", \"percent_off\": 0, \"max_off_fen\": 100, \"valid_days\": 5}", "percent_off must be from 1 to 99"},
                {"{\"template_id\": \"X\", \"name_zh\": \"x\", \"name_en\": \"x\", \"percent_off\": 10, \"valid_days\": 5}", "percent_off needs max_off_fen"},
                {"{\"template_id\": \"X\", \"name_zh\": \"x\", \"name_en\": \"x\", \"amount_off_fen\": 100, \"percent_off\": 10, \"valid_days\": 5}", "either amount_off_fen"},
                {"{\"template_id\": \"WELCOME\", \"name_zh\": \"x\", \"name_en\": \"x\", \"amount_off_fen\": 100, \"valid_days\": 5}", "built into every terminal"},
                {"{\"template_id\": \"lower\", \"name_zh\": \"x\", \"name_en\": \"x\", \"amount_off_fen\": 100, \"valid_days\": 5}", "capital letters"},
                {"{\"template_id\": \"X\", \"name_zh\": \"x\", \"name_en\": \"x\", \"amount_off_fen\": 100, \"valid_days\": 400}", "valid_days must be from 1 to 366"},
                {"{\"template_id\": \"X\", \"name_zh\": \"x\", \"name_en\": \"x\", \"amount_off_fen\": 100, \"valid_until\": \"2020-01-01\"}", "has passed"},
                {"{\"template_id\": \"X\", \"name_zh\": \"x\", \"name_en\": \"x\", \"amount_off_fen\": 100, \"valid_days\": 5, \"per_member_limit\": -1}", "per_member_limit"},
                {"{\"template_id\": \"X\", \"name_zh\": \"x\", \"name_en\": \"x\", \"amount_off_fen\": 100, \"valid_days\": 5, \"colour\": \"red\"}", "colour is not a field"},
                {"{\"template_id\": \"X\", \"name_zh\": \"x\", \"name_en\": \"x\", \"amount_off_fen\": \"100\", \"valid_days\": 5}", "amount_off_fen must be a whole number"},
                {"{\"template_id\": \"X\", \"name_zh\": \"x\", \"name_en\": \"x\", \"amount_off_fen\": 100, \"valid_days\": 5, \"tier\": \"platinum\"}", "not a tier"},
                {"[1]", "must be a JSON object"},
        };
        long feed = office.officeLong("SELECT COUNT(*) FROM change_log");
        for (String[] b : bad) {
            HttpResponse<String> r = post("/v1/coupon-templates", b[0], owner, null);
            assertThat(r.statusCode()).as(b[0]).isEqualTo(400);
            assertThat(office.json.readTree(r.body()).path("error").asText()).as(b[0]).contains(b[1]);
        }
        String[][] badCampaigns = {
                {CAMPAIGN.replace("\"home_stores\"", "\"home_shops\""), "segment.home_shops is not a segment field"},
                {CAMPAIGN.replace("\"valid_days\": 14", "\"valid_days\": 0"), "valid_days must be from 1"},
                {CAMPAIGN.replace("\"amount_off_fen\": 500,", "\"percent_off\": 150, \"max_off_fen\": 100,"), "percent_off must be from 1 to 99"},
                {CAMPAIGN.replace("{\"home_stores\": [\"S1\", \"S2\"]}", "{\"tags\": [\"v/ip\"]}"),
                        "v/ip is not an automatic tag"},
                {CAMPAIGN.replace("{\"home_stores\": [\"S1\", \"S2\"]}", "{\"birthday_month\": 13}"), "birthday_month"},
        };
        for (String[] b : badCampaigns) {
            HttpResponse<String> r = post("/v1/campaigns", b[0], owner, null);
            assertThat(r.statusCode()).as(b[0]).isEqualTo(400);
            assertThat(office.json.readTree(r.body()).path("error").asText()).as(b[0]).contains(b[1]);
        }
        assertThat(office.officeLong("SELECT COUNT(*) FROM change_log")).isEqualTo(feed);
        assertThat(office.officeLong("SELECT COUNT(*) FROM campaign")).isZero();
        // Without a key, or with one that may not issue coupons.
        assertThat(post("/v1/campaigns", CAMPAIGN, null, null).statusCode()).isEqualTo(401);
        String reader = office.server.ownerKeys().create("bi", EnumSet.of(OwnerKeys.Scope.READ), Duration.ofDays(30));
        assertThat(post("/v1/campaigns", CAMPAIGN, reader, null).statusCode()).isEqualTo(403);
        assertThat(post("/v1/coupon-templates", "{}", reader, null).statusCode()).isEqualTo(403);
        // The preview counts before anything is issued.
        HttpResponse<String> preview = post("/v1/segments/preview", "{\"home_stores\": [\"S1\"]}", reader, null);
        assertThat(office.json.readTree(preview.body()).path("members").asLong()).isEqualTo(2);
        assertThat(post("/v1/segments/preview", "{\"stores_visited\": [\"S2\"]}", reader, null).body()).contains("\"members\":1");
    }

    private List<Coupon> campaignCoupons(TerminalWiring s, Member m) {
        return s.database().jdbi().withHandle(h -> s.couponRepository().wallet(h, m.id())).stream()
                .filter(c -> c.template().id().startsWith("CMP_")).toList();
    }

    private static long count(TerminalWiring s, String sql) {
        return s.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static CheckoutReceipt checkout(TerminalWiring t, Member m, long amount, String coupon, Staff staff) {
        return t.checkouts().complete(new CheckoutRequest(m.id(), amount, List.of(),
                coupon == null ? CheckoutRequest.CouponChoice.NONE : new CheckoutRequest.CouponChoice.Code(coupon), 0, 0), staff);
    }

    private static void sync(TerminalWiring... terminals) {
        for (TerminalWiring t : terminals) {
            engine(t).syncOnce();
        }
    }

    private HttpResponse<String> post(String path, String body, String key, String idempotencyKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(office.url() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(office.url() + path)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
