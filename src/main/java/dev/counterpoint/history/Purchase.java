package dev.counterpoint.history;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

public record Purchase(UUID id, UUID memberId, String receiptNo, OffsetDateTime purchasedAt, long totalFen,
                       Source source, List<PurchaseLine> lines) {

    public enum Source { SALE, IMPORT, DEMO }
}
