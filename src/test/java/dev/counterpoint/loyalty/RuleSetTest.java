package dev.counterpoint.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import dev.counterpoint.shared.UserMessage;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleSetTest {
    final RuleSetRepository repo = new RuleSetRepository(new ObjectMapper());

    @Test
    void pointsAreRoundedDownToWholePoints() {
        assertThat(TestRules.DEFAULT.pointsFor(1_234, Tier.SILVER)).isEqualTo(14); // ¥12.34 × 1.2 = 14.808
        assertThat(TestRules.DEFAULT.pointsFor(99, Tier.NORMAL)).isZero();
        assertThat(TestRules.DEFAULT.pointsFor(100_000, Tier.DIAMOND)).isEqualTo(2_000);
    }

    @Test
    void lotExpiryFollowsThePolicy() {
        assertThat(TestRules.DEFAULT.lotExpiresOn(LocalDate.of(2026, 3, 10))).isEqualTo(LocalDate.of(2027, 3, 10));
        RuleSet yearEnd = withExpiry(RuleSet.PointsExpiry.END_OF_FOLLOWING_YEAR);
        assertThat(yearEnd.lotExpiresOn(LocalDate.of(2026, 3, 10))).isEqualTo(LocalDate.of(2027, 12, 31));
    }

    @Test
    void theHighestTopUpBonusStepReachedApplies() {
        assertThat(TestRules.DEFAULT.topUpBonusFen(49_999)).isZero();
        assertThat(TestRules.DEFAULT.topUpBonusFen(50_000)).isEqualTo(5_000);
        assertThat(TestRules.DEFAULT.topUpBonusFen(150_000)).isEqualTo(12_000);
    }

    @Test
    void theBuiltInSetIsValidAndRoundTripsThroughJson() {
        assertThat(RuleSetValidator.problems(TestRules.DEFAULT)).isEmpty();
        RuleSetRepository.Parsed parsed = repo.parse(repo.toJson(TestRules.DEFAULT));
        assertThat(parsed.ruleSet()).isEqualTo(TestRules.DEFAULT);
    }

    @Test
    void theLaterOptionsMayBeLeftOutAndAreWrittenOnlyWhenTheyDifferFromTheirDefaults() {
        String written = repo.toJson(TestRules.DEFAULT);
        assertThat(written).doesNotContain("storedValueEarns", "refundCoupons", "refundClawbackBelowZero");
        RuleSet defaults = repo.parse(written).ruleSet();
        assertThat(defaults.storedValueEarnsPoints()).isTrue();
        assertThat(defaults.refundRestoresCoupon()).isTrue();
        assertThat(defaults.clawbackMayGoBelowZero()).isFalse();

        String chosen = written.replaceFirst("\\{", "{\"storedValueEarns\": false, \"refundCoupons\": \"FORFEIT\", "
                + "\"refundClawbackBelowZero\": true, ");
        RuleSet set = repo.parse(chosen).ruleSet();
        assertThat(set.storedValueEarnsPoints()).isFalse();
        assertThat(set.refundRestoresCoupon()).isFalse();
        assertThat(set.clawbackMayGoBelowZero()).isTrue();
        assertThat(repo.parse(repo.toJson(set)).ruleSet()).isEqualTo(set);

        assertThat(repo.parse(written.replaceFirst("\\{", "{\"refundCoupons\": \"KEEP\", ")).problems())
                .extracting(m -> m.format(Locale.ENGLISH))
                .containsExactly("refundCoupons: the value has the wrong type or is not allowed.");
        assertThat(repo.parse(written.replaceFirst("\\{", "{\"storedValueEarns\": \"sometimes\", ")).problems())
                .extracting(m -> m.format(Locale.ENGLISH))
                .containsExactly("storedValueEarns: the value has the wrong type or is not allowed.");
    }

    @Test
    void everyProblemNamesItsField() {
        RuleSet bad = new RuleSet(0, TierBasis.SPEND, Map.of(Tier.SILVER, 100L, Tier.GOLD, 50L), "13-40",
                Map.of(Tier.NORMAL, 1000), RuleSet.PointsExpiry.DAYS, 0, 100, 30, 7, 30, 14, 90, -1,
                List.of(new RuleSet.TopUpBonus(100, 500)));

        assertThat(RuleSetValidator.problems(bad)).extracting(m -> m.format(Locale.ENGLISH)).containsExactly(
                "version: must be above 0.",
                "tierThresholds.GOLD: each tier needs more than the tier below it.",
                "tierThresholds.DIAMOND: missing.",
                "tierReviewDate: must be a date of the year written MM-DD, e.g. 01-01.",
                "earnPermille.SILVER: missing.",
                "earnPermille.GOLD: missing.",
                "earnPermille.DIAMOND: missing.",
                "pointsLifetimeDays: must be between 1 and 3,660.",
                "offlineAllowanceFen: must not be negative.",
                "topUpBonuses[0]: the bonus must not exceed the top-up.");
    }

    @Test
    void unreadableJsonNamesTheFieldOrSaysWhereTheSyntaxBreaks() {
        String wrongType = repo.toJson(TestRules.DEFAULT).replace("\"winBackAfterDays\" : 30", "\"winBackAfterDays\" : \"soon\"");
        assertThat(messages(repo.parse(wrongType).problems()))
                .containsExactly("winBackAfterDays: the value has the wrong type or is not allowed.");
        String badBonus = repo.toJson(TestRules.DEFAULT).replace("\"bonusFen\" : 5000", "\"bonusFen\" : \"x\"");
        assertThat(messages(repo.parse(badBonus).problems()))
                .containsExactly("topUpBonuses[0].bonusFen: the value has the wrong type or is not allowed.");
        String missing = repo.toJson(TestRules.DEFAULT).replace("\"pointsReminderDays\" : 30,", "");
        assertThat(messages(repo.parse(missing).problems()))
                .containsExactly("pointsReminderDays: the value has the wrong type or is not allowed.");
        assertThat(repo.parse("{ not json").valid()).isFalse();
        assertThat(messages(repo.parse("{ not json").problems()).get(0)).startsWith("The rules are not valid JSON:");
    }

    private static List<String> messages(List<UserMessage> ms) {
        return ms.stream().map(m -> m.format(Locale.ENGLISH)).toList();
    }

    private static RuleSet withExpiry(RuleSet.PointsExpiry e) {
        RuleSet r = TestRules.DEFAULT;
        return new RuleSet(r.version(), r.tierBasis(), r.tierThresholds(), r.tierReviewDate(), r.earnPermille(), e,
                r.pointsLifetimeDays(), r.pointsPerYuanRedeemed(), r.pointsReminderDays(), r.birthdayWindowDays(),
                r.winBackAfterDays(), r.welcomeWithinDays(), r.historyDays(), r.offlineAllowanceFen(), r.topUpBonuses());
    }
}
