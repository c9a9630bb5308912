package dev.counterpoint.sync;

import static dev.counterpoint.sync.OfficeSyncContract.engine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.checkout.CheckoutReceipt;
import dev.counterpoint.checkout.CheckoutRequest;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.Member;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OwnerKeys;
import dev.counterpoint.office.ChainLocks;
import dev.counterpoint.office.report.Backfill;
import dev.counterpoint.office.report.Reports;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain's KPIs on a fixed data set made at real counters over two business days at three stores, every expected
 * figure worked out by hand below. Points: 1 per ¥1 of what is left after the coupon and points (built-in rules,
 * Standard tier), so a base of 8,000 fen earns 80; a refund takes back the refunded lines' share of them.
 */
abstract class KpiContract {
    static final LocalDate DAY1 = LocalDate.of(2026, 3, 10); // OfficeHarness.START is 10:00 in Shanghai that day
    static final LocalDate DAY2 = DAY1.plusDays(1);

    @TempDir
    Path tmp;
    OfficeHarness office;
    TestClock clock;
    TerminalWiring s1;
    TerminalWiring s2;
    Staff li;
    Staff zhang;
    Member m1;
    Member m2;
    Member m3;
    Member m4;

    abstract OfficeDatabase newDatabase();

    @BeforeEach
    void twoDaysAtThreeStores() {
        clock = OfficeHarness.clockAt(OfficeHarness.START);
        office = new OfficeHarness(newDatabase(), 8, clock);
        s1 = office.terminal(tmp.resolve("s1"), "S1", "T1", clock);
        s2 = office.terminal(tmp.resolve("s2"), "S2", "T1", clock);
        office.terminal(tmp.resolve("s3"), "S3", "T1", clock); // registered, sells nothing: all zeros
        li = s1.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
        zhang = s2.staffAccounts().addFirst("zhang", "张店长", StaffRole.MANAGER, "135790");

        // ---- day 1 ----
        m1 = s1.memberService().enrol("林雨桐", "13800000001", null);
        m2 = s1.memberService().enrol("王建国", "13800000002", null);
        m3 = s2.memberService().enrol("张欣怡", "13800000003", null);
        s1.checkoutService().topUp(m1.id(), 10_000);                                  // S1 in 10,000
        Coupon welcome = s1.database().jdbi().inTransaction(h -> s1.couponService().issue(h, m2.id(),
                s1.couponRepository().template(h, "WELCOME").orElseThrow(), "trigger:WELCOME"));
        checkout(s1, m1, 8_000, List.of(), null, 0, 2_000, li);                       // C1: S1 out 2,000, 80 points
        checkout(s1, m2, 5_000, List.of(), welcome.code(), 0, 0, li);                  // C2: ¥10 off, base 4,000: 40
        CheckoutReceipt c3 = checkout(s1, m2, 1_500, List.of(), null, 0, 0, li);      // C3: 15 points ...
        s1.refunds().voidCheckout(c3.receiptNo(), li, li);                              // ... voided: 15 back
        CheckoutReceipt c4 = checkout(s2, m3, null, List.of(new PurchaseLine("BEAN", "咖啡豆", 1, 2_000),
                new PurchaseLine("LATTE", "饮品", 1, 1_000)), null, 0, 0, zhang);        // C4: 3,000, 30 points
        sync(s1, s2);
        checkout(s2, m1, 2_000, List.of(), null, 0, 0, zhang);                         // C5: M1 at S2, 20 points
        sync(s1, s2, s1);

        // ---- day 2 ----
        clock.advance(Duration.ofDays(1));
        checkout(s1, m1, 4_080, List.of(), null, 80, 0, li);                           // C6: 80 points = 80 fen, base 4,000: 40
        checkout(s1, m2, 2_000, List.of(), null, 0, 0, li);                            // C7: 20 points
        m4 = s2.memberService().enrol("陈思远", "13800000004", null);
        s2.checkoutService().topUp(m4.id(), 50_000);                                  // S2 in 50,000, bonus 5,000
        checkout(s2, m4, 6_000, List.of(), null, 0, 6_000, zhang);                     // C8: S2 out 6,000, 60 points
        s2.refunds().refund(c4.receiptNo(), List.of(1), zhang, zhang);                  // BEAN 2,000 back, 20 points back
        sync(s1, s2, s1);
    }

    @AfterEach
    void stop() {
        office.close();
    }

    private static CheckoutReceipt checkout(TerminalWiring t, Member m, Integer amount, List<PurchaseLine> lines, String coupon,
                                            long points, long sv, Staff staff) {
        return t.checkouts().complete(new CheckoutRequest(m.id(), amount == null ? null : amount.longValue(), lines,
                coupon == null ? CheckoutRequest.CouponChoice.NONE : new CheckoutRequest.CouponChoice.Code(coupon),
                points, sv), staff);
    }

    private static void sync(TerminalWiring... terminals) {
        for (TerminalWiring t : terminals) {
            engine(t).syncOnce();
        }
    }

    private Reports reports(Reports.Counting counting) {
        return new Reports(office.jdbi(), clock, counting);
    }

    private static Reports.Figures store(Reports.Report r, String id) {
        return r.stores().stream().filter(f -> f.storeId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theTwoDaysFiguresAreTheHandWorkedOnes() {
        Reports.Report r = office.server.reports().stores(DAY1, DAY2, Optional.empty());
        assertThat(r.stores()).extracting(Reports.Figures::storeId).containsExactly("S1", "S2", "S3");

        Reports.Figures s1f = store(r, "S1");
        // C1 8,000 + C2 5,000 + C3 1,500 (voided) on day 1, C6 4,080 + C7 2,000 on day 2: five purchases, amount
        // 8,000 + 5,000 + 1,500 - 1,500 + 4,080 + 2,000 = 19,080.
        assertThat(s1f.purchases()).isEqualTo(5);
        assertThat(s1f.amountFen()).isEqualTo(19_080);
        assertThat(s1f.sales()).isEqualTo(5);
        assertThat(s1f.refunds()).isEqualTo(1);
        assertThat(s1f.refundedFen()).isEqualTo(1_500);
        // M1 (C1, C6) and M2 (C2, C3, C7): two members, both with two purchases or more.
        assertThat(s1f.members()).isEqualTo(2);
        assertThat(s1f.repeatMembers()).isEqualTo(2);
        assertThat(s1f.repurchaseRate()).isEqualTo(1.0);
        assertThat(s1f.newMembers()).isEqualTo(2);
        assertThat(s1f.couponsRedeemed()).isEqualTo(1);
        assertThat(s1f.discountFen()).isEqualTo(1_000);
        // Earned 80 + 40 + 15 - 15 (void) + 40 + 20 = 180; spent 80 (C6).
        assertThat(s1f.pointsIssued()).isEqualTo(180);
        assertThat(s1f.pointsRedeemed()).isEqualTo(80);
        assertThat(s1f.storedValueInFen()).isEqualTo(10_000);
        assertThat(s1f.storedValueOutFen()).isEqualTo(2_000);
        // 19,080 / 5 = 3,816.
        assertThat(s1f.averageTicketFen()).isEqualTo(3_816);
        assertThat(s1f.firstTimeBuyers()).isEqualTo(2);
        assertThat(s1f.returningMembers()).isZero();
        assertThat(s1f.activeMembers30d()).isEqualTo(2);
        assertThat(s1f.activeMembers90d()).isEqualTo(2);
        assertThat(s1f.churnRiskMembers()).isZero();
        assertThat(s1f.dormantMembers()).isZero();
        // Home members M1 (80 + 20 - 80 + 40 = 60 points; 10,000 - 2,000 stored value) and M2 (40 + 15 - 15 + 20 = 60).
        assertThat(s1f.pointsLiability()).isEqualTo(120);
        assertThat(s1f.storedValueLiabilityFen()).isEqualTo(8_000);
        assertThat(s1f.tiers()).containsEntry(Tier.NORMAL, 2L);
        assertThat(s1f.couponTemplates()).containsExactly(new Reports.CouponLine("WELCOME", 1, 1, 1_000));
        assertThat(s1f.couponTemplates().get(0).redemptionRate()).isEqualTo(1.0);
        assertThat(s1f.couponsIssued()).isEqualTo(1);
        // Issued for the WELCOME trigger, and redeemed for the reason the counter gives it: welcome again.
        assertThat(s1f.couponReasons()).containsExactly(new Reports.CouponLine("WELCOME", 1, 1, 1_000));

        Reports.Figures s2f = store(r, "S2");
        // C4 3,000 and C5 2,000 on day 1; C8 6,000 and the refund of C4's 2,000 line on day 2: 3 purchases, 9,000.
        assertThat(s2f.purchases()).isEqualTo(3);
        assertThat(s2f.amountFen()).isEqualTo(9_000);
        assertThat(s2f.refunds()).isEqualTo(1);
        assertThat(s2f.refundedFen()).isEqualTo(2_000);
        // M3, M1 and M4, one purchase each here.
        assertThat(s2f.members()).isEqualTo(3);
        assertThat(s2f.repeatMembers()).isZero();
        assertThat(s2f.newMembers()).isEqualTo(2);
        // Earned 30 + 20 + 60 - 20 (the refunded line's share of C4's 30) = 90.
        assertThat(s2f.pointsIssued()).isEqualTo(90);
        assertThat(s2f.pointsRedeemed()).isZero();
        assertThat(s2f.storedValueInFen()).isEqualTo(50_000);
        assertThat(s2f.storedValueBonusFen()).isEqualTo(5_000);
        assertThat(s2f.storedValueOutFen()).isEqualTo(6_000);
        // M3 30 - 20 = 10 points; M4 60 points and 50,000 + 5,000 - 6,000 = 49,000.
        assertThat(s2f.pointsLiability()).isEqualTo(70);
        assertThat(s2f.storedValueLiabilityFen()).isEqualTo(49_000);

        Reports.Figures s3f = store(r, "S3");
        assertThat(List.of(s3f.purchases(), s3f.amountFen(), s3f.members(), s3f.newMembers(), s3f.pointsLiability()))
                .containsOnly(0L);

        Reports.Figures chain = r.chain().orElseThrow();
        assertThat(chain.purchases()).isEqualTo(8);                  // 5 + 3
        assertThat(chain.amountFen()).isEqualTo(28_080);             // 19,080 + 9,000
        // M1 (3 purchases at two stores), M2 (3), M3 (1), M4 (1): 4 members, 2 repeat.
        assertThat(chain.members()).isEqualTo(4);
        assertThat(chain.repeatMembers()).isEqualTo(2);
        assertThat(chain.repurchaseRate()).isEqualTo(0.5);
        assertThat(chain.newMembers()).isEqualTo(4);
        assertThat(chain.pointsIssued()).isEqualTo(270);             // 180 + 90
        assertThat(chain.pointsRedeemed()).isEqualTo(80);
        assertThat(chain.storedValueInFen()).isEqualTo(60_000);
        assertThat(chain.storedValueOutFen()).isEqualTo(8_000);
        assertThat(chain.pointsLiability()).isEqualTo(190);          // 120 + 70
        assertThat(chain.pointsLiabilityFen()).isEqualTo(190);       // 100 points make ¥1
        assertThat(chain.storedValueLiabilityFen()).isEqualTo(57_000);
        assertThat(chain.tiers()).containsEntry(Tier.NORMAL, 4L);
        // What head office holds agrees: the balances summed from the ledgers.
        assertThat(office.officeLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry")).isEqualTo(190);
        assertThat(office.officeLong("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry")).isEqualTo(57_000);
    }

    @Test
    void eachDayAloneCountsItsOwnMembers() {
        Reports.Report day1 = office.server.reports().stores(DAY1, DAY1, Optional.empty());
        // Day 1 at S1: M1 (C1) and M2 (C2 and C3 the same day): 2 members, M2 a repeat one.
        assertThat(store(day1, "S1").members()).isEqualTo(2);
        assertThat(store(day1, "S1").repeatMembers()).isEqualTo(1);
        // Chain: M1 (S1 and S2), M2 (two at S1), M3: 3 members, 2 repeat.
        assertThat(day1.chain().orElseThrow().members()).isEqualTo(3);
        assertThat(day1.chain().orElseThrow().repeatMembers()).isEqualTo(2);

        Reports.Report day2 = office.server.reports().stores(DAY2, DAY2, Optional.empty());
        // Day 2 at S1: M1 (C6), M2 (C7), both had bought here on day 1.
        assertThat(store(day2, "S1").members()).isEqualTo(2);
        assertThat(store(day2, "S1").repeatMembers()).isZero();
        assertThat(store(day2, "S1").returningMembers()).isEqualTo(2);
        assertThat(store(day2, "S1").firstTimeBuyers()).isZero();
        // Chain: M1, M2 returning, M4 buying for the first time.
        assertThat(day2.chain().orElseThrow().members()).isEqualTo(3);
        assertThat(day2.chain().orElseThrow().returningMembers()).isEqualTo(2);
        assertThat(day2.chain().orElseThrow().firstTimeBuyers()).isEqualTo(1);
        // S2 on day 2: C8 6,000 less the 2,000 refunded of day 1's C4.
        assertThat(store(day2, "S2").amountFen()).isEqualTo(4_000);
    }

    @Test
    void todayIsDayTwoSoFar() {
        Reports.Today today = office.server.reports().today(Optional.empty());
        assertThat(today.day()).isEqualTo(DAY2);
        Reports.DayFigures s1f = today.stores().stream().filter(f -> f.storeId().equals("S1")).findFirst().orElseThrow();
        Reports.DayFigures s2f = today.stores().stream().filter(f -> f.storeId().equals("S2")).findFirst().orElseThrow();
        // S1: C6 4,080 + C7 2,000; M1 and M2; 40 + 20 points earned, 80 spent.
        assertThat(s1f).isEqualTo(new Reports.DayFigures("S1", 2, 6_080, 0, 0, 2, 0, 0, 0, 60, 80, 0, 0));
        // S2: C8 6,000; the refund of 2,000; M4 enrolled and served; 60 - 20 points; 50,000 in, 6,000 out.
        assertThat(s2f).isEqualTo(new Reports.DayFigures("S2", 1, 6_000, 1, 2_000, 1, 1, 0, 0, 40, 0, 50_000, 6_000));
        // Chain: M1, M2, M4 served.
        assertThat(today.chain().orElseThrow()).isEqualTo(new Reports.DayFigures("*", 3, 12_080, 1, 2_000, 3, 1, 0, 0,
                100, 80, 50_000, 6_000));
        Reports.Today own = office.server.reports().today(Optional.of("S2"));
        assertThat(own.stores()).containsExactly(s2f);
        assertThat(own.chain()).isEmpty();
    }

    @Test
    void bothWaysOfCountingMembersAndARebuildFromTheTablesGiveTheSameReport() {
        Reports.Report live = office.server.reports().stores(DAY1, DAY2, Optional.empty());
        assertThat(reports(Reports.Counting.DIRECT).stores(DAY1, DAY2, Optional.empty())).isEqualTo(live);
        assertThat(reports(Reports.Counting.CUMULATIVE).stores(DAY1, DAY2, Optional.empty())).isEqualTo(live);
        Backfill.rebuild(office.jdbi(), office.json, ChainLocks::exclusive);
        assertThat(office.server.reports().stores(DAY1, DAY2, Optional.empty())).isEqualTo(live);
        Backfill.rebuild(office.jdbi(), office.json, ChainLocks::exclusive);
        assertThat(office.server.reports().stores(DAY1, DAY2, Optional.empty())).isEqualTo(live);
        assertThat(Backfill.ensure(office.jdbi(), office.json, ChainLocks::exclusive)).as("built once, not again at the next start").isFalse();
    }

    /**
     * Day 3: M2 spends ¥1,000 at S1 and reaches Silver (built-in rules: ¥1,000 in 12 months); head office issues M3 a
     * WELCOME coupon (a campaign), which M3 redeems at S2, offered there from the wallet. Then, on 5 January 2028, head
     * office's yearly review of 2027 (no purchases) takes M2 back to Standard, the only member whose tier changes.
     */
    @Test
    void tiersAreThoseAtThePeriodsEndAndCouponsCountUnderTheReasonTheyWereIssuedFor() throws Exception {
        LocalDate day3 = DAY2.plusDays(1);
        clock.advance(Duration.ofDays(1));
        checkout(s1, m2, 100_000, List.of(), null, 0, 0, li);
        String coupons = office.server.ownerKeys().create("crm", EnumSet.of(OwnerKeys.Scope.COUPONS), Duration.ofDays(30));
        HttpResponse<String> issued = post("/v1/coupons", coupons, "{\"card_code\": \"" + m3.cardCode()
                + "\", \"template_id\": \"WELCOME\", \"valid_from\": \"2026-03-12\", \"valid_until\": \"2026-03-31\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String code = office.json.readTree(issued.body()).path("code").asText();
        sync(s1, s2);
        checkout(s2, m3, 3_000, List.of(), code, 0, 0, zhang);
        sync(s2, s1);

        Reports.Report third = office.server.reports().stores(day3, day3, Optional.empty());
        // M2 went from Standard to Silver at S1, their home store: S1 ends day 3 with M1 Standard and M2 Silver.
        assertThat(store(third, "S1").tierMoves()).containsExactly(new Reports.TierMove(Tier.NORMAL, Tier.SILVER, 1));
        assertThat(store(third, "S1").tierUpgrades()).isEqualTo(1);
        assertThat(store(third, "S1").tierDowngrades()).isZero();
        assertThat(store(third, "S1").tiers()).containsEntry(Tier.NORMAL, 1L).containsEntry(Tier.SILVER, 1L);
        assertThat(store(third, "S2").tiers()).containsEntry(Tier.NORMAL, 2L).containsEntry(Tier.SILVER, 0L);
        assertThat(third.chain().orElseThrow().tierMoves()).containsExactly(new Reports.TierMove(Tier.NORMAL, Tier.SILVER, 1));
        // The campaign's coupon was issued by head office (the chain's only) and redeemed at S2, under CAMPAIGN
        // although the counter offered it from the wallet: S2 redeemed 1 of 0 issued there, the chain 1 of 1.
        assertThat(store(third, "S2").couponReasons()).containsExactly(new Reports.CouponLine("CAMPAIGN", 0, 1, 1_000));
        assertThat(store(third, "S2").couponTemplates()).containsExactly(new Reports.CouponLine("WELCOME", 0, 1, 1_000));
        assertThat(store(third, "S2").redemptionRate()).isZero();
        Reports.Figures chain3 = third.chain().orElseThrow();
        assertThat(chain3.couponReasons()).containsExactly(new Reports.CouponLine("CAMPAIGN", 1, 1, 1_000));
        assertThat(chain3.couponReasons().get(0).redemptionRate()).isEqualTo(1.0);
        assertThat(chain3.couponsIssued()).isEqualTo(1);
        assertThat(chain3.redemptionRate()).isEqualTo(1.0);

        // Days 1 to 3: S1's welcome coupon (issued for WELCOME, redeemed on day 1) beside the campaign's.
        Reports.Report three = office.server.reports().stores(DAY1, day3, Optional.empty());
        assertThat(three.chain().orElseThrow().couponReasons()).containsExactly(
                new Reports.CouponLine("CAMPAIGN", 1, 1, 1_000), new Reports.CouponLine("WELCOME", 1, 1, 1_000));
        assertThat(three.chain().orElseThrow().couponTemplates()).containsExactly(new Reports.CouponLine("WELCOME", 2, 2, 2_000));
        assertThat(store(three, "S1").redemptionRate()).isEqualTo(1.0); // 1 redeemed of 1 issued there

        // The review of 2027, run on 5 January 2028.
        clock.advance(Duration.between(clock.instant(), java.time.Instant.parse("2028-01-05T02:00:00Z")));
        assertThat(office.server.tierReviews().run().lowered()).isEqualTo(1);
        LocalDate reviewed = LocalDate.of(2028, 1, 5);
        Reports.Report review = office.server.reports().stores(reviewed.minusDays(4), reviewed, Optional.empty());
        assertThat(store(review, "S1").tierMoves()).containsExactly(new Reports.TierMove(Tier.SILVER, Tier.NORMAL, 1));
        assertThat(store(review, "S1").tierDowngrades()).isEqualTo(1);
        assertThat(store(review, "S1").tiers()).containsEntry(Tier.NORMAL, 2L).containsEntry(Tier.SILVER, 0L);
        // Earlier periods keep the tiers of their own last day, not today's.
        Reports.Report again = office.server.reports().stores(DAY1, day3, Optional.empty());
        assertThat(store(again, "S1").tiers()).containsEntry(Tier.NORMAL, 1L).containsEntry(Tier.SILVER, 1L);
        assertThat(again.chain().orElseThrow().tiers()).containsEntry(Tier.NORMAL, 3L).containsEntry(Tier.SILVER, 1L)
                .containsEntry(Tier.GOLD, 0L).containsEntry(Tier.DIAMOND, 0L);
        assertThat(store(office.server.reports().stores(DAY1, DAY2, Optional.empty()), "S1").tiers())
                .containsEntry(Tier.NORMAL, 2L).containsEntry(Tier.SILVER, 0L);

        // The report API says the same.
        String key = office.server.ownerKeys().create("bi", EnumSet.of(OwnerKeys.Scope.READ), Duration.ofDays(30));
        JsonNode body = office.json.readTree(get("/v1/reports/stores?from=2026-03-10&to=2026-03-12", key).body());
        JsonNode s1json = body.path("stores").get(0);
        assertThat(s1json.path("tiers").path("SILVER").asLong()).isEqualTo(1);
        assertThat(s1json.path("tier_moves").get(0).path("from").asText()).isEqualTo("NORMAL");
        assertThat(s1json.path("tier_moves").get(0).path("to").asText()).isEqualTo("SILVER");
        assertThat(s1json.path("tier_moves").get(0).path("upgrade").asBoolean()).isTrue();
        assertThat(s1json.path("tier_upgrades").asLong()).isEqualTo(1);
        assertThat(s1json.path("redemption_rate").decimalValue()).isEqualByComparingTo("1.0000");
        JsonNode byReason = body.path("chain").path("coupons_by_reason");
        assertThat(byReason.get(0).path("reason").asText()).isEqualTo("CAMPAIGN");
        assertThat(byReason.get(0).path("redemption_rate").decimalValue()).isEqualByComparingTo("1.0000");

        // Built again from the tables: the coupons agree; a store's upgrade at a sale, kept in no table, is not a
        // move there, and M2 holds Silver from enrolment to the review that shows it (docs/kpis.md).
        Reports.Report liveReview = office.server.reports().stores(reviewed.minusDays(4), reviewed, Optional.empty());
        Backfill.rebuild(office.jdbi(), office.json, ChainLocks::exclusive);
        assertThat(office.server.reports().stores(reviewed.minusDays(4), reviewed, Optional.empty())).isEqualTo(liveReview);
        Reports.Report rebuilt = office.server.reports().stores(DAY1, day3, Optional.empty());
        assertThat(rebuilt.chain().orElseThrow().couponReasons()).isEqualTo(three.chain().orElseThrow().couponReasons());
        assertThat(rebuilt.chain().orElseThrow().couponTemplates()).isEqualTo(three.chain().orElseThrow().couponTemplates());
        assertThat(store(rebuilt, "S1").tierMoves()).isEmpty();
        assertThat(store(rebuilt, "S1").tiers()).containsEntry(Tier.NORMAL, 1L).containsEntry(Tier.SILVER, 1L);
        assertThat(store(office.server.reports().stores(DAY1, DAY2, Optional.empty()), "S1").tiers())
                .containsEntry(Tier.NORMAL, 1L).containsEntry(Tier.SILVER, 1L);
    }

    @Test
    void aManagersOwnStoreComesAloneWithoutTheChain() {
        Reports.Report own = office.server.reports().stores(DAY1, DAY2, Optional.of("S2"));
        assertThat(own.stores()).containsExactly(store(office.server.reports().stores(DAY1, DAY2, Optional.empty()), "S2"));
        assertThat(own.chain()).isEmpty();
    }

    @Test
    void theReportApiGivesTheSameNumbersAndRefusesBadPeriods() throws Exception {
        String key = office.server.ownerKeys().create("bi", EnumSet.of(OwnerKeys.Scope.READ), Duration.ofDays(30));
        String coupons = office.server.ownerKeys().create("crm", EnumSet.of(OwnerKeys.Scope.COUPONS), Duration.ofDays(30));

        HttpResponse<String> ok = get("/v1/reports/stores?from=2026-03-10&to=2026-03-11", key);
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode body = office.json.readTree(ok.body());
        assertThat(body.path("from").asText()).isEqualTo("2026-03-10");
        assertThat(body.path("to").asText()).isEqualTo("2026-03-11");
        JsonNode s1f = body.path("stores").get(0);
        assertThat(s1f.path("store_id").asText()).isEqualTo("S1");
        Map<String, Long> expected = Map.ofEntries(Map.entry("purchases", 5L), Map.entry("amount_fen", 19_080L),
                Map.entry("members", 2L), Map.entry("repeat_members", 2L), Map.entry("new_members", 2L),
                Map.entry("coupons_redeemed", 1L), Map.entry("discount_fen", 1_000L), Map.entry("points_issued", 180L),
                Map.entry("points_redeemed", 80L), Map.entry("stored_value_in_fen", 10_000L),
                Map.entry("stored_value_out_fen", 2_000L));
        expected.forEach((field, value) -> assertThat(s1f.path(field).asLong(-1)).as(field).isEqualTo(value));
        assertThat(body.path("chain").path("members").asLong()).isEqualTo(4);
        assertThat(body.path("chain").path("repeat_members").asLong()).isEqualTo(2);
        assertThat(body.path("chain").has("store_id")).isFalse();

        assertThat(error(get("/v1/reports/stores?from=2026-3-10&to=2026-03-11", key)))
                .isEqualTo("400 from must be a date as YYYY-MM-DD");
        assertThat(error(get("/v1/reports/stores?from=2026-02-30&to=2026-03-11", key)))
                .isEqualTo("400 from 2026-02-30 is not a date");
        assertThat(error(get("/v1/reports/stores?from=2026-03-11&to=2026-03-10", key)))
                .isEqualTo("400 to (2026-03-10) is before from (2026-03-11)");
        assertThat(error(get("/v1/reports/stores?from=2025-03-10&to=2026-03-11", key)))
                .isEqualTo("400 the period has 367 days; a report covers at most 366");
        assertThat(error(get("/v1/reports/stores?to=2026-03-11", key))).isEqualTo("400 from is required (YYYY-MM-DD)");
        assertThat(error(get("/v1/reports/stores?from=2026-03-10&to=2026-03-11&store_id=S1%27--", key)))
                .isEqualTo("400 store_id is not a store id");
        assertThat(get("/v1/reports/stores?from=2026-03-10&to=2026-03-11", null).statusCode()).isEqualTo(401);
        assertThat(get("/v1/reports/stores?from=2026-03-10&to=2026-03-11", coupons).statusCode()).isEqualTo(403);
        assertThat(office.json.readTree(get("/v1/reports/today", key).body()).path("chain").path("members_served").asLong())
                .isEqualTo(3);
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(office.url() + path)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String key, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(office.url() + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String error(HttpResponse<String> r) throws Exception {
        return r.statusCode() + " " + office.json.readTree(r.body()).path("error").asText();
    }
}
