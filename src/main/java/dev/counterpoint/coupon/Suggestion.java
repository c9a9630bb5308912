package dev.counterpoint.coupon;

import dev.counterpoint.protocol.ReasonCode;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Something worth offering the member now, and why: a wallet coupon, or (POINTS_EXPIRING) points to use
 * before they expire.
 *
 * @param template   the coupon's template; null for points
 * @param until      the coupon's last valid day, or the day the points expire
 * @param daysLeft   days from today until {@code until}
 * @param valueFen   what it is worth to the member: the discount on the basket (or on their average ticket)
 * @param points     points to spend (POINTS_EXPIRING), else 0
 * @param reasonDate the date the reason refers to: the birthday, or the last visit; null otherwise
 * @param reasonDays days until the birthday (negative once past), or since the last visit
 * @param usualDays  the member's usual interval between visits (CHURN_RISK), else 0
 * @param category   the category the member often buys (AFFINITY), else null
 */
public record Suggestion(ReasonCode reason, CouponTemplate template, UUID couponId, String couponCode, LocalDate until,
                         long daysLeft, long valueFen, long points, LocalDate reasonDate, long reasonDays, long usualDays,
                         String category) {

    public boolean isPoints() {
        return couponId == null;
    }
}
