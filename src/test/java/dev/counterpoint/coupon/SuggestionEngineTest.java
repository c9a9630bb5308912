package dev.counterpoint.coupon;

import static dev.counterpoint.coupon.CouponFixtures.TODAY;
import static dev.counterpoint.coupon.CouponFixtures.amountOff;
import static dev.counterpoint.coupon.CouponFixtures.coupon;
import static dev.counterpoint.coupon.CouponFixtures.facts;
import static dev.counterpoint.coupon.CouponFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.Segments;
import dev.counterpoint.loyalty.TestRules;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.ReasonCode;
import dev.counterpoint.protocol.Tier;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SuggestionEngineTest {
    static final CouponTemplate TEN_OFF = amountOff("TEN", CouponTemplate.Trigger.MANUAL, 1000, 0);
    static final CouponTemplate BIRTHDAY = amountOff("BIRTHDAY", CouponTemplate.Trigger.BIRTHDAY, 2000, 5000);
    static final CouponTemplate BEANS = new CouponTemplate("BEANS", CouponTemplate.Trigger.MANUAL, null,
            CouponTemplate.DiscountKind.AMOUNT_OFF, 1000, 0, 0, 6000, 30, "豆", "beans", "咖啡豆", null, null);
    static final CouponTemplate GOLD_PERK = new CouponTemplate("GOLD_PERK", CouponTemplate.Trigger.TIER_PERK, Tier.GOLD,
            CouponTemplate.DiscountKind.PERCENT_OFF, 0, 10, 5000, 0, 30, "金卡", "Gold", null, null, null);

    final SuggestionEngine engine = new SuggestionEngine();
    final Member member = member(LocalDate.of(1990, 11, 25), EnrolmentSource.IMPORT, 400, Tier.NORMAL);

    @Test
    void onlyCouponsUsableTodayAreOffered() {
        List<Coupon> wallet = List.of(
                coupon("CPOK", TEN_OFF, TODAY.minusDays(1), TODAY.plusDays(20), Coupon.Status.ISSUED, "manager:li"),
                coupon("CPGONE", TEN_OFF, TODAY.minusDays(20), TODAY.minusDays(1), Coupon.Status.ISSUED, "manager:li"),
                coupon("CPNEXT", TEN_OFF, TODAY.plusDays(1), TODAY.plusDays(10), Coupon.Status.ISSUED, "manager:li"),
                coupon("CPUSED", TEN_OFF, TODAY.minusDays(1), TODAY.plusDays(10), Coupon.Status.REDEEMED, "manager:li"),
                coupon("CPVOID", TEN_OFF, TODAY.minusDays(1), TODAY.plusDays(10), Coupon.Status.VOID, "manager:li"),
                coupon("CPGOLD", GOLD_PERK, TODAY.minusDays(1), TODAY.plusDays(10), Coupon.Status.ISSUED, "trigger:TIER_PERK"));

        List<Suggestion> s = engine.suggest(facts(member, Optional.of(TODAY), 3, wallet, Map.of()), Basket.UNKNOWN,
                TestRules.DEFAULT, TODAY);

        assertThat(s).extracting(Suggestion::couponCode).containsExactly("CPOK");
        assertThat(s.get(0).reason()).isEqualTo(ReasonCode.WALLET);
        assertThat(s.get(0).valueFen()).isEqualTo(1000);
        assertThat(s.get(0).daysLeft()).isEqualTo(20);
    }

    @Test
    void aTriggeredCouponCarriesItsTriggersReasonWithTheFactsItRefersTo() {
        Coupon birthday = coupon("CPBDAY", BIRTHDAY, TODAY.minusDays(3), TODAY.plusDays(10), Coupon.Status.ISSUED, "trigger:BIRTHDAY");
        Coupon churn = coupon("CPBACK", amountOff("WIN_BACK", CouponTemplate.Trigger.WIN_BACK, 1500, 8000),
                TODAY, TODAY.plusDays(29), Coupon.Status.ISSUED, "trigger:CHURN_RISK");
        MemberFacts f = new MemberFacts(member, Optional.of(TODAY.minusDays(16)), 12, List.of(birthday, churn), Map.of(),
                Optional.empty(), 0, Optional.empty(), Optional.of(new Segments.ChurnWarning(7, 16)), List.of(), 9_000);

        List<Suggestion> s = engine.suggest(f, Basket.UNKNOWN, TestRules.DEFAULT, TODAY);

        assertThat(s).extracting(Suggestion::reason).containsExactly(ReasonCode.BIRTHDAY, ReasonCode.CHURN_RISK);
        assertThat(s.get(0).reasonDate()).isEqualTo(LocalDate.of(2026, 11, 25));
        assertThat(s.get(0).reasonDays()).isEqualTo(2);
        assertThat(s.get(1).reasonDays()).isEqualTo(16);
        assertThat(s.get(1).usualDays()).isEqualTo(7);
    }

    @Test
    void aCategoryCouponForWhatTheMemberOftenBuysIsAnAffinitySuggestionAndNeedsThatCategoryInTheBasket() {
        Coupon beans = coupon("CPBEAN", BEANS, TODAY, TODAY.plusDays(29), Coupon.Status.ISSUED, "manager:li");
        MemberFacts f = new MemberFacts(member, Optional.of(TODAY.minusDays(3)), 12, List.of(beans), Map.of(),
                Optional.empty(), 0, Optional.empty(), Optional.empty(), List.of("咖啡豆"), 9_000);

        assertThat(engine.suggest(f, Basket.UNKNOWN, TestRules.DEFAULT, TODAY)).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo(ReasonCode.AFFINITY);
            assertThat(x.category()).isEqualTo("咖啡豆");
        });
        assertThat(engine.suggest(f, new Basket(9_000L, Set.of("饮品")), TestRules.DEFAULT, TODAY)).isEmpty();
        assertThat(engine.suggest(f, new Basket(5_000L, Set.of("咖啡豆")), TestRules.DEFAULT, TODAY)).isEmpty();
        assertThat(engine.suggest(f, new Basket(6_000L, Set.of("咖啡豆")), TestRules.DEFAULT, TODAY)).hasSize(1);
    }

    @Test
    void expiringPointsInTheReminderWindowAreARemindInWholeFenSteps() {
        MemberFacts f = new MemberFacts(member, Optional.of(TODAY), 3, List.of(), Map.of(), Optional.empty(), 1_000,
                Optional.of(new PointLots.Expiring(250, TODAY.plusDays(30))), Optional.empty(), List.of(), 5_000);
        assertThat(engine.suggest(f, Basket.UNKNOWN, TestRules.DEFAULT, TODAY)).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo(ReasonCode.POINTS_EXPIRING);
            assertThat(x.points()).isEqualTo(250);
            assertThat(x.valueFen()).isEqualTo(250);
            assertThat(x.isPoints()).isTrue();
        });
        MemberFacts later = new MemberFacts(member, Optional.of(TODAY), 3, List.of(), Map.of(), Optional.empty(), 1_000,
                Optional.of(new PointLots.Expiring(250, TODAY.plusDays(31))), Optional.empty(), List.of(), 5_000);
        assertThat(engine.suggest(later, Basket.UNKNOWN, TestRules.DEFAULT, TODAY)).isEmpty();
    }

    @Test
    void rankingPutsWhatIsLostThisWeekFirstThenValueThenRelevance() {
        Coupon bigLater = coupon("CPBIG", amountOff("BIG", CouponTemplate.Trigger.MANUAL, 5000, 0),
                TODAY, TODAY.plusDays(25), Coupon.Status.ISSUED, "manager:li");
        Coupon smallSoon = coupon("CPSOON", TEN_OFF, TODAY, TODAY.plusDays(3), Coupon.Status.ISSUED, "manager:li");
        Coupon welcome = coupon("CPWELC", amountOff("WELCOME", CouponTemplate.Trigger.WELCOME, 1000, 0),
                TODAY, TODAY.plusDays(13), Coupon.Status.ISSUED, "trigger:WELCOME");
        Coupon manualSame = coupon("CPSAME", TEN_OFF, TODAY, TODAY.plusDays(13), Coupon.Status.ISSUED, "manager:li");
        MemberFacts f = facts(member, Optional.empty(), 0, List.of(manualSame, welcome, bigLater, smallSoon), Map.of());

        List<Suggestion> s = engine.suggest(f, Basket.UNKNOWN, TestRules.DEFAULT, TODAY);

        assertThat(s).extracting(Suggestion::couponCode).containsExactly("CPSOON", "CPBIG", "CPWELC", "CPSAME");
    }

    @Test
    void urgencyOnlyCountsForWhatIsWorthFiveYuanOrMore() {
        Coupon winBack = coupon("CPBACK", amountOff("WIN_BACK", CouponTemplate.Trigger.WIN_BACK, 1500, 0),
                TODAY, TODAY.plusDays(25), Coupon.Status.ISSUED, "trigger:WIN_BACK");
        MemberFacts fewPoints = new MemberFacts(member, Optional.of(TODAY.minusDays(45)), 3, List.of(winBack), Map.of(),
                Optional.empty(), 1_000, Optional.of(new PointLots.Expiring(51, TODAY.plusDays(5))), Optional.empty(),
                List.of(), 5_000);
        MemberFacts manyPoints = new MemberFacts(member, Optional.of(TODAY.minusDays(45)), 3, List.of(winBack), Map.of(),
                Optional.empty(), 1_000, Optional.of(new PointLots.Expiring(600, TODAY.plusDays(5))), Optional.empty(),
                List.of(), 5_000);

        assertThat(engine.suggest(fewPoints, Basket.UNKNOWN, TestRules.DEFAULT, TODAY)).extracting(Suggestion::reason)
                .containsExactly(ReasonCode.WIN_BACK, ReasonCode.POINTS_EXPIRING);
        assertThat(engine.suggest(manyPoints, Basket.UNKNOWN, TestRules.DEFAULT, TODAY)).extracting(Suggestion::reason)
                .containsExactly(ReasonCode.POINTS_EXPIRING, ReasonCode.WIN_BACK);
    }

    @Test
    void percentageCouponsAreValuedOnTheBasketOrTheAverageTicket() {
        Member gold = member(null, EnrolmentSource.IMPORT, 400, Tier.GOLD);
        Coupon perk = coupon("CPGOLD", GOLD_PERK, TODAY, TODAY.plusDays(29), Coupon.Status.ISSUED, "trigger:TIER_PERK");
        MemberFacts f = facts(gold, Optional.of(TODAY), 9, List.of(perk), Map.of());
        assertThat(engine.suggest(f, Basket.UNKNOWN, TestRules.DEFAULT, TODAY).get(0).valueFen()).isEqualTo(500);
        assertThat(engine.suggest(f, new Basket(100_000L, null), TestRules.DEFAULT, TODAY).get(0).valueFen()).isEqualTo(5000);
    }
}
