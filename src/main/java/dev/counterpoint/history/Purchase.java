package dev.counterpoint.history;

import dev.counterpoint.protocol.PurchaseSource;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A purchase by a member, at this store or (pulled from head office) anywhere in the chain. */
public record Purchase(UUID id, UUID memberId, String storeId, String receiptNo, OffsetDateTime purchasedAt,
                       long totalFen, PurchaseSource source, List<PurchaseLine> lines) {

}
