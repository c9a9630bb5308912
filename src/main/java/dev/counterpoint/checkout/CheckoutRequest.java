package dev.counterpoint.checkout;

import dev.counterpoint.history.PurchaseLine;
import java.util.List;
import java.util.UUID;

/**
 * What the cashier rang up: the basket (an amount, or item lines adding up to it), the coupon (none, the best one for
 * this basket, or a chosen code), the points and the stored value the member spends; the rest is paid otherwise.
 *
 * @param amountFen the basket's amount; with lines it may be left out (null), and if given must be their total
 */
public record CheckoutRequest(UUID memberId, Long amountFen, List<PurchaseLine> lines, CouponChoice coupon, long points,
                              long storedValueFen) {

    public CheckoutRequest {
        lines = lines == null ? List.of() : List.copyOf(lines);
        coupon = coupon == null ? CouponChoice.NONE : coupon;
    }

    /** Which coupon the checkout uses. */
    public sealed interface CouponChoice {
        CouponChoice NONE = new None();
        CouponChoice BEST = new Best();

        /** No coupon. */
        record None() implements CouponChoice {
        }

        /** The member's usable coupon that takes most off this basket, if any. */
        record Best() implements CouponChoice {
        }

        /** This coupon (by its code), which must be the member's and usable on this basket. */
        record Code(String code) implements CouponChoice {
        }

        /** This coupon (by its id), as the counter's suggestion list names it. */
        record Id(UUID couponId) implements CouponChoice {
        }
    }
}
