package dev.counterpoint.checkout;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A balance adjustment as made: {@code delta} and {@code balanceAfter} in points, or in fen for stored value.
 *
 * @param balanceAfter the member's balance of that kind once adjusted (the ledger's sum)
 */
public record Adjustment(UUID adjustmentId, UUID memberId, String cardCode, Adjustments.Kind kind, long delta,
                         long balanceAfter, String reason, String staffId, String managerId, OffsetDateTime adjustedAt) {
}
