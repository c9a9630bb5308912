package dev.counterpoint.coupon;

import java.util.Set;

/**
 * What is known of the purchase in progress. Unknown parts are null: a suggestion is then kept, and the
 * redemption checks it once the basket is known.
 *
 * @param amountFen  the basket total, or null when not entered yet
 * @param categories the categories in the basket, or null when the lines are not known
 */
public record Basket(Long amountFen, Set<String> categories) {
    public static final Basket UNKNOWN = new Basket(null, null);

    public boolean allows(CouponTemplate t) {
        if (amountFen != null && amountFen < t.minSpendFen()) {
            return false;
        }
        return t.category() == null || categories == null || categories.contains(t.category());
    }
}
