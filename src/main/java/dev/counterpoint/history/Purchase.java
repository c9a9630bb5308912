package dev.counterpoint.history;

import dev.counterpoint.protocol.PurchaseSource;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

public record Purchase(UUID id, UUID memberId, String receiptNo, OffsetDateTime purchasedAt, long totalFen,
                       PurchaseSource source, List<PurchaseLine> lines) {

}
