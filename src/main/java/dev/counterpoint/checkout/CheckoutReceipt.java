package dev.counterpoint.checkout;

import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.protocol.Tier;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * What a checkout recorded, for the receipt and {@code checkout --json}.
 *
 * @param cardCode              the member's card, as the receipt shows it (its last digits)
 * @param pointsBalance         the member's points afterwards; null when this store does not hold their balances
 * @param storedValueBalanceFen likewise, stored value
 * @param tierFigure            the rolling 12-month figure the rules measure tiers by, this checkout included
 */
public record CheckoutReceipt(UUID checkoutId, String receiptNo, UUID memberId, String cardCode, String staffId,
                              OffsetDateTime completedAt, List<PurchaseLine> lines, long grossFen, String couponCode,
                              String couponTemplate, long discountFen, long pointsRedeemed, long pointsValueFen,
                              long storedValueFen, long payableFen, long earningBaseFen, long pointsEarned, Tier tierBefore,
                              Tier tierAfter, long tierFigure, Long pointsBalance, Long storedValueBalanceFen) {

    public boolean upgraded() {
        return tierAfter != tierBefore;
    }
}
