package dev.counterpoint.checkout;

import dev.counterpoint.protocol.RefundKind;
import java.util.List;
import java.util.UUID;

/**
 * What a void or refund gave back, for the receipt and {@code refund --json}.
 *
 * @param payableFen            the money to hand back by the tenders the checkout was paid with (other than stored value)
 * @param pointsBalance         the member's points afterwards; null when this store does not hold their balances
 * @param storedValueBalanceFen likewise, stored value
 */
public record RefundReceipt(UUID refundId, String refundNo, String receiptNo, RefundKind kind, List<Integer> lines,
                            long grossFen, long discountFen, long pointsValueFen, long storedValueFen, long payableFen,
                            long pointsReturned, long pointsClawedBack, long pointsForgiven, String couponCode,
                            boolean couponRestored, boolean complete, Long pointsBalance, Long storedValueBalanceFen) {
}
