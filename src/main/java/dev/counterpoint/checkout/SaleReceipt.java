package dev.counterpoint.checkout;

import java.util.UUID;

public record SaleReceipt(UUID purchaseId, String receiptNo, long totalFen, long pointsEarned) {
}
