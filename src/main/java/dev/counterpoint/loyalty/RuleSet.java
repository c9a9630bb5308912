package dev.counterpoint.loyalty;

import dev.counterpoint.member.Tier;
import java.util.Map;

/**
 * The loyalty rules in force: data, versioned, synced from head office later. Rates are integers
 * (per mille) so points never pass through floating point.
 *
 * @param earnPermille          points per ¥1 of spend ×1000, per tier (1200 = 1.2 points per ¥)
 * @param pointsPerYuanRedeemed how many points buy ¥1 off
 */
public record RuleSet(int version, Map<Tier, Integer> earnPermille, int pointsLifetimeDays, int pointsPerYuanRedeemed,
                      int birthdayWindowDays, int winBackAfterDays, int welcomeWithinDays, int historyDays) {

    /** Points earned for a spend: rounded down, so a refund can never take back more than was given. */
    public long pointsFor(long amountFen, Tier tier) {
        return amountFen * earnPermille.getOrDefault(tier, 1000) / 100_000;
    }

    /** Discount in fen bought by the given points; only whole fen are allowed. */
    public boolean isWholeFen(long points) {
        return points * 100 % pointsPerYuanRedeemed == 0;
    }

    public long fenForPoints(long points) {
        return points * 100 / pointsPerYuanRedeemed;
    }
}
