package dev.counterpoint.checkout;

import dev.counterpoint.protocol.Tier;
import java.util.UUID;

/** What a sale recorded; {@code tierAfter} differs from {@code tierBefore} when this sale reached a higher tier. */
public record SaleReceipt(UUID purchaseId, String receiptNo, long totalFen, long pointsEarned, Tier tierBefore,
                          Tier tierAfter) {

    public boolean upgraded() {
        return tierAfter != tierBefore;
    }
}
