package dev.counterpoint.checkout;

import java.util.UUID;

/** What a redemption took off the bill, and the ledger entry or coupon it used. */
public record Redemption(Kind kind, UUID refId, long discountFen, long pointsSpent) {

    public enum Kind { COUPON, POINTS, STORED_VALUE }
}
