package dev.counterpoint.loyalty;

import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import java.util.List;
import java.util.Map;

/** The built-in rule set (migration V3) as a value, for pure tests. */
public final class TestRules {
    private TestRules() {}

    public static final RuleSet DEFAULT = new RuleSet(2, TierBasis.SPEND,
            Map.of(Tier.SILVER, 100_000L, Tier.GOLD, 300_000L, Tier.DIAMOND, 800_000L), "01-01",
            Map.of(Tier.NORMAL, 1000, Tier.SILVER, 1200, Tier.GOLD, 1500, Tier.DIAMOND, 2000),
            RuleSet.PointsExpiry.DAYS, 365, 100, 30, 7, 30, 14, 90, 20_000,
            List.of(new RuleSet.TopUpBonus(50_000, 5_000), new RuleSet.TopUpBonus(100_000, 12_000)));
}
