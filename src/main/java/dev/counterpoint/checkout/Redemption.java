package dev.counterpoint.checkout;

import java.util.UUID;

/**
 * What a redemption took off the bill, and the ledger entry or coupon it used.
 *
 * @param balanceAfter the points (POINTS) or fen (STORED_VALUE) left afterwards; 0 for coupons
 */
public record Redemption(Kind kind, UUID refId, long discountFen, long pointsSpent, long balanceAfter) {

    public enum Kind { COUPON, POINTS, STORED_VALUE }
}
