package dev.counterpoint.coupon;

import static dev.counterpoint.coupon.CouponFixtures.TODAY;
import static dev.counterpoint.coupon.CouponFixtures.amountOff;
import static dev.counterpoint.coupon.CouponFixtures.facts;
import static dev.counterpoint.coupon.CouponFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

class CouponTriggersTest {
    static final CouponTemplate WELCOME = amountOff("WELCOME", CouponTemplate.Trigger.WELCOME, 1000, 0);
    static final CouponTemplate BIRTHDAY = amountOff("BIRTHDAY", CouponTemplate.Trigger.BIRTHDAY, 2000, 5000);
    static final CouponTemplate WIN_BACK = amountOff("WIN_BACK", CouponTemplate.Trigger.WIN_BACK, 1500, 8000);
    static final CouponTemplate GOLD_PERK = new CouponTemplate("GOLD_PERK", CouponTemplate.Trigger.TIER_PERK, Tier.GOLD,
            CouponTemplate.DiscountKind.PERCENT_OFF, 0, 10, 5000, 0, 30, "金卡", "Gold", null, null, null);
    static final CouponTemplate MANUAL = amountOff("BEANS", CouponTemplate.Trigger.MANUAL, 1000, 0);
    static final List<CouponTemplate> TEMPLATES = List.of(WELCOME, BIRTHDAY, WIN_BACK, GOLD_PERK, MANUAL);

    @Test
    void birthdayWithinTheWindowIsDueOncePerBirthday() {
        Member m = member(LocalDate.of(1988, 11, 30), EnrolmentSource.IMPORT, 400, Tier.NORMAL);
        assertThat(due(facts(m, Optional.of(TODAY.minusDays(3)), 10, List.of(), Map.of())))
                .containsExactly(new CouponTriggers.Due(ReasonCode.BIRTHDAY, BIRTHDAY));
        assertThat(due(facts(m, Optional.of(TODAY.minusDays(3)), 10, List.of(), Map.of("BIRTHDAY", TODAY.minusDays(1))))).isEmpty();
        assertThat(due(facts(m, Optional.of(TODAY.minusDays(3)), 10, List.of(), Map.of("BIRTHDAY", TODAY.minusDays(300)))))
                .extracting(CouponTriggers.Due::reason).containsExactly(ReasonCode.BIRTHDAY);
        Member eightDaysAway = member(LocalDate.of(1988, 12, 1), EnrolmentSource.IMPORT, 400, Tier.NORMAL);
        assertThat(due(facts(eightDaysAway, Optional.of(TODAY), 1, List.of(), Map.of()))).isEmpty();
    }

    @Test
    void leapDayBirthdayFallsOnTheTwentyEighthInCommonYears() {
        assertThat(CouponTriggers.nextBirthday(LocalDate.of(2000, 2, 29), LocalDate.of(2027, 2, 25)))
                .isEqualTo(LocalDate.of(2027, 2, 28));
        assertThat(CouponTriggers.nextBirthday(LocalDate.of(2000, 2, 29), LocalDate.of(2027, 3, 1)))
                .isEqualTo(LocalDate.of(2028, 2, 29));
        assertThat(CouponTriggers.nearestBirthday(LocalDate.of(1990, 1, 2), LocalDate.of(2026, 12, 30)))
                .isEqualTo(LocalDate.of(2027, 1, 2));
    }

    @Test
    void winBackFromThirtyDaysUnlessAlreadyIssuedSinceTheLastVisit() {
        Member m = member(null, EnrolmentSource.IMPORT, 400, Tier.NORMAL);
        assertThat(due(facts(m, Optional.of(TODAY.minusDays(29)), 5, List.of(), Map.of()))).isEmpty();
        assertThat(due(facts(m, Optional.of(TODAY.minusDays(30)), 5, List.of(), Map.of())))
                .containsExactly(new CouponTriggers.Due(ReasonCode.WIN_BACK, WIN_BACK));
        assertThat(due(facts(m, Optional.of(TODAY.minusDays(45)), 5, List.of(), Map.of("WIN_BACK", TODAY.minusDays(10))))).isEmpty();
    }

    @Test
    void aRegularPastTwiceTheirUsualIntervalGetsTheWinBackCouponAsChurnRisk() {
        Member m = member(null, EnrolmentSource.IMPORT, 400, Tier.NORMAL);
        MemberFacts f = new MemberFacts(m, Optional.of(TODAY.minusDays(15)), 20, List.of(), Map.of(), Optional.empty(), 0,
                Optional.empty(), Optional.of(new Segments.ChurnWarning(7, 15)), List.of(), 5_000);
        assertThat(due(f)).containsExactly(new CouponTriggers.Due(ReasonCode.CHURN_RISK, WIN_BACK));
    }

    @Test
    void welcomeOnlyForCounterEnrolmentsWithinTheWindowAndOnce() {
        assertThat(due(facts(member(null, EnrolmentSource.COUNTER, 2, Tier.NORMAL), Optional.empty(), 0, List.of(), Map.of())))
                .extracting(CouponTriggers.Due::reason).containsExactly(ReasonCode.WELCOME);
        assertThat(due(facts(member(null, EnrolmentSource.IMPORT, 2, Tier.NORMAL), Optional.empty(), 0, List.of(), Map.of()))).isEmpty();
        assertThat(due(facts(member(null, EnrolmentSource.COUNTER, 15, Tier.NORMAL), Optional.empty(), 0, List.of(), Map.of()))).isEmpty();
        assertThat(due(facts(member(null, EnrolmentSource.COUNTER, 2, Tier.NORMAL), Optional.empty(), 0, List.of(),
                Map.of("WELCOME", TODAY)))).isEmpty();
    }

    @Test
    void tierPerkOnceAfterEachUpgradeToTheTemplatesTierOrAbove() {
        Member gold = member(null, EnrolmentSource.IMPORT, 400, Tier.GOLD);
        MemberFacts upgradedLastWeek = new MemberFacts(gold, Optional.of(TODAY), 9, List.of(), Map.of("GOLD_PERK", TODAY.minusDays(200)),
                Optional.of(TODAY.minusDays(7)), 0, Optional.empty(), Optional.empty(), List.of(), 5_000);
        assertThat(due(upgradedLastWeek)).containsExactly(new CouponTriggers.Due(ReasonCode.TIER_PERK, GOLD_PERK));
        MemberFacts alreadyGiven = new MemberFacts(gold, Optional.of(TODAY), 9, List.of(), Map.of("GOLD_PERK", TODAY.minusDays(6)),
                Optional.of(TODAY.minusDays(7)), 0, Optional.empty(), Optional.empty(), List.of(), 5_000);
        assertThat(due(alreadyGiven)).isEmpty();
        Member silver = member(null, EnrolmentSource.IMPORT, 400, Tier.SILVER);
        assertThat(due(facts(silver, Optional.of(TODAY), 9, List.of(), Map.of()))).isEmpty();
    }

    @Test
    void aRaiseTodayMakesDueThePerksTheUpkeepWouldIssueAfterIt() {
        assertThat(CouponTriggers.perksOfUpgrade(TEMPLATES, Tier.GOLD, TODAY, Map.of("GOLD_PERK", TODAY.minusDays(200))))
                .containsExactly(GOLD_PERK);
        assertThat(CouponTriggers.perksOfUpgrade(TEMPLATES, Tier.DIAMOND, TODAY, Map.of())).containsExactly(GOLD_PERK);
        assertThat(CouponTriggers.perksOfUpgrade(TEMPLATES, Tier.SILVER, TODAY, Map.of())).isEmpty();
        assertThat(CouponTriggers.perksOfUpgrade(TEMPLATES, Tier.DIAMOND, TODAY, Map.of("GOLD_PERK", TODAY)))
                .as("given already today, with the raise before").isEmpty();
        // the same rule as the upkeep's, for a member upgraded today
        Member gold = member(null, EnrolmentSource.IMPORT, 400, Tier.GOLD);
        MemberFacts upgradedToday = new MemberFacts(gold, Optional.of(TODAY), 9, List.of(), Map.of(),
                Optional.of(TODAY), 0, Optional.empty(), Optional.empty(), List.of(), 5_000);
        assertThat(due(upgradedToday)).extracting(CouponTriggers.Due::template)
                .containsExactlyElementsOf(CouponTriggers.perksOfUpgrade(TEMPLATES, Tier.GOLD, TODAY, Map.of()));
    }

    @Test
    void aTemplateOutsideItsIssueWindowIsNeverDue() {
        CouponTemplate ended = new CouponTemplate("OLD_WELCOME", CouponTemplate.Trigger.WELCOME, null,
                CouponTemplate.DiscountKind.AMOUNT_OFF, 500, 0, 0, 0, 14, "旧", "old", null, null, TODAY.minusDays(1));
        assertThat(CouponTriggers.due(facts(member(null, EnrolmentSource.COUNTER, 1, Tier.NORMAL), Optional.empty(), 0,
                List.of(), Map.of()), List.of(ended), TestRules.DEFAULT, TODAY)).isEmpty();
    }

    private static List<CouponTriggers.Due> due(MemberFacts f) {
        return CouponTriggers.due(f, TEMPLATES, TestRules.DEFAULT, TODAY);
    }
}
