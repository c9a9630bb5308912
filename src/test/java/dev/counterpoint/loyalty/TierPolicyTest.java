package dev.counterpoint.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TierPolicyTest {
    final RuleSet rules = TestRules.DEFAULT;

    @Test
    void upgradeAsSoonAsAThresholdIsReachedNeverDownAtASale() {
        assertThat(TierPolicy.upgrade(rules, Tier.NORMAL, 99_999)).isEmpty();
        assertThat(TierPolicy.upgrade(rules, Tier.NORMAL, 100_000)).contains(Tier.SILVER);
        assertThat(TierPolicy.upgrade(rules, Tier.SILVER, 850_000)).contains(Tier.DIAMOND);
        assertThat(TierPolicy.upgrade(rules, Tier.GOLD, 10)).isEmpty();
    }

    @Test
    void theReviewIsDueOnceAfterEachReviewDate() {
        LocalDate jan2 = LocalDate.of(2027, 1, 2);
        assertThat(TierPolicy.lastReviewDate(rules, jan2)).isEqualTo(LocalDate.of(2027, 1, 1));
        assertThat(TierPolicy.lastReviewDate(rules, LocalDate.of(2026, 12, 31))).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(TierPolicy.reviewDue(rules, Optional.empty(), LocalDate.of(2026, 5, 1), jan2)).isTrue();
        assertThat(TierPolicy.reviewDue(rules, Optional.of(LocalDate.of(2027, 1, 1)), LocalDate.of(2026, 5, 1), jan2)).isFalse();
        assertThat(TierPolicy.reviewDue(rules, Optional.empty(), LocalDate.of(2027, 1, 1), jan2)).as("joined on the day").isFalse();
    }

    @Test
    void progressSaysWhatTheNextTierNeeds() {
        assertThat(TierPolicy.progress(rules, Tier.SILVER, 120_000))
                .isEqualTo(new TierPolicy.TierProgress(Tier.SILVER, Tier.GOLD, TierBasis.SPEND, 120_000, 300_000, 180_000));
        assertThat(TierPolicy.progress(rules, Tier.DIAMOND, 1).next()).isNull();
    }
}
