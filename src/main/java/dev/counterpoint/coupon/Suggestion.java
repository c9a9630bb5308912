package dev.counterpoint.coupon;

import java.time.LocalDate;
import java.util.UUID;

/**
 * A coupon worth offering now and why. A wallet suggestion names an issued coupon; a trigger
 * suggestion (birthday, win-back, welcome) names the template that redeeming it will issue.
 *
 * @param date the date the reason refers to: the birthday, the last visit, or the coupon's last valid day
 * @param days the number of days the reason refers to: until the birthday, or since the last visit
 */
public record Suggestion(ReasonCode reason, CouponTemplate template, UUID couponId, String couponCode,
                         LocalDate date, long days) {

    public boolean issuesNewCoupon() {
        return couponId == null;
    }
}
