package dev.counterpoint.loyalty;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The loyalty rules in force: data, versioned, read from the data dir's rules file or edited by a manager
 * (and later pushed by head office). Rates are integers (per mille) so points never pass through floating
 * point. {@link RuleSetValidator} says whether a set may be put in force.
 *
 * @param tierBasis             what the tier thresholds measure over the rolling 12 months
 * @param tierThresholds        the figure (fen or points) that reaches each tier above NORMAL
 * @param tierReviewDate        "MM-DD": the yearly date on which a tier may go down
 * @param earnPermille          points per ¥1 of spend ×1000, per tier (1200 = 1.2 points per ¥)
 * @param pointsExpiry          how a lot's expiry date is worked out from the day it is earned
 * @param pointsPerYuanRedeemed how many points buy ¥1 off
 * @param pointsReminderDays    expiring points are shown this many days ahead
 * @param offlineAllowanceFen   how far a member may spend beyond the last known balance while offline
 * @param topUpBonuses          stored-value bonus steps; the highest step reached applies
 * @param storedValueEarns      whether the part of a checkout paid from stored value earns points (null: yes; it was
 *                              bought with money that earned nothing when it was topped up)
 * @param refundCoupons         what a refund of a whole checkout does with its coupon (null: {@code RESTORE})
 * @param refundClawbackBelowZero whether taking back a refund's earned points may take the balance below zero (null:
 *                              no; what the member already spent is forgiven, and the refund says how much)
 */
public record RuleSet(int version, TierBasis tierBasis, Map<Tier, Long> tierThresholds, String tierReviewDate,
                      Map<Tier, Integer> earnPermille, PointsExpiry pointsExpiry, int pointsLifetimeDays,
                      int pointsPerYuanRedeemed, int pointsReminderDays, int birthdayWindowDays, int winBackAfterDays,
                      int welcomeWithinDays, int historyDays, long offlineAllowanceFen, List<TopUpBonus> topUpBonuses,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean storedValueEarns,
                      @JsonInclude(JsonInclude.Include.NON_NULL) RefundCoupons refundCoupons,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean refundClawbackBelowZero) {

    /**
     * The options added after the first sets were written: a set may leave them out (read as null, the default) and is
     * then written without them, so sets written before them, and terminals that do not know them, read it as before.
     */
    public static final List<String> OPTIONAL_FIELDS = List.of("storedValueEarns", "refundCoupons", "refundClawbackBelowZero");

    @JsonCreator
    public RuleSet {
    }

    /** A set that leaves the later options at their defaults. */
    public RuleSet(int version, TierBasis tierBasis, Map<Tier, Long> tierThresholds, String tierReviewDate,
                   Map<Tier, Integer> earnPermille, PointsExpiry pointsExpiry, int pointsLifetimeDays,
                   int pointsPerYuanRedeemed, int pointsReminderDays, int birthdayWindowDays, int winBackAfterDays,
                   int welcomeWithinDays, int historyDays, long offlineAllowanceFen, List<TopUpBonus> topUpBonuses) {
        this(version, tierBasis, tierThresholds, tierReviewDate, earnPermille, pointsExpiry, pointsLifetimeDays,
                pointsPerYuanRedeemed, pointsReminderDays, birthdayWindowDays, winBackAfterDays, welcomeWithinDays,
                historyDays, offlineAllowanceFen, topUpBonuses, null, null, null);
    }

    /** What a refund of a whole checkout does with the coupon it used. */
    public enum RefundCoupons {
        /** The coupon goes back to the member's wallet (if it is still within its dates). */
        RESTORE,
        /** The coupon stays used. */
        FORFEIT
    }

    /** Whether stored value paid at a checkout earns points. */
    @JsonIgnore
    public boolean storedValueEarnsPoints() {
        return storedValueEarns == null || storedValueEarns;
    }

    /** Whether a refund of a whole checkout gives its coupon back. */
    @JsonIgnore
    public boolean refundRestoresCoupon() {
        return refundCoupons == null || refundCoupons == RefundCoupons.RESTORE;
    }

    /** Whether taking back earned points may leave the balance below zero. */
    @JsonIgnore
    public boolean clawbackMayGoBelowZero() {
        return refundClawbackBelowZero != null && refundClawbackBelowZero;
    }

    public enum PointsExpiry {
        /** A lot expires {@code pointsLifetimeDays} after the day it was earned. */
        DAYS,
        /** A lot expires on 31 December of the year after the one it was earned in. */
        END_OF_FOLLOWING_YEAR
    }

    /** Top up at least {@code minTopUpFen}, get {@code bonusFen} on top. */
    public record TopUpBonus(long minTopUpFen, long bonusFen) {
    }

    /**
     * Points earned for a spend: amount × rate, rounded down to a whole point (1.2 points per ¥ on ¥12.34
     * gives 14, not 14.808), so a refund can never take back more than was given.
     */
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

    /** The largest number of points, at most {@code points}, that buys whole fen. */
    public long wholeFenPoints(long points) {
        long step = pointsPerYuanRedeemed / gcd(pointsPerYuanRedeemed, 100);
        return points - points % step;
    }

    /** The last day a lot earned on {@code earnedOn} can be spent. */
    public LocalDate lotExpiresOn(LocalDate earnedOn) {
        return pointsExpiry == PointsExpiry.END_OF_FOLLOWING_YEAR
                ? LocalDate.of(earnedOn.getYear() + 1, 12, 31)
                : earnedOn.plusDays(pointsLifetimeDays);
    }

    /** The threshold of a tier (NORMAL needs nothing). */
    public long threshold(Tier tier) {
        return tier == Tier.NORMAL ? 0 : tierThresholds.getOrDefault(tier, Long.MAX_VALUE);
    }

    /** Review dates parsed once each: a rule set's never changes, and every scan asks whether a review is due. */
    private static final Map<String, MonthDay> REVIEW_DAYS = new java.util.concurrent.ConcurrentHashMap<>();

    public MonthDay reviewMonthDay() {
        return REVIEW_DAYS.computeIfAbsent(tierReviewDate, d -> MonthDay.parse("--" + d));
    }

    /** The bonus for a top-up: the highest step reached, or nothing. */
    public long topUpBonusFen(long topUpFen) {
        return topUpBonuses.stream().filter(b -> topUpFen >= b.minTopUpFen())
                .max(Comparator.comparingLong(TopUpBonus::minTopUpFen)).map(TopUpBonus::bonusFen).orElse(0L);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
