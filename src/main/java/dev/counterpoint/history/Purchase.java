package dev.counterpoint.history;

import dev.counterpoint.protocol.PurchaseSource;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A purchase by a member, at this store or (pulled from head office) anywhere in the chain.
 *
 * @param refundedFen what was taken back of it here, by refunds or a void (0 when nothing was, or as written)
 * @param voided      taken back whole by a void here
 */
public record Purchase(UUID id, UUID memberId, String storeId, String receiptNo, OffsetDateTime purchasedAt,
                       long totalFen, PurchaseSource source, List<PurchaseLine> lines, long refundedFen, boolean voided) {

    /** A purchase as it is written: nothing taken back of it. */
    public Purchase(UUID id, UUID memberId, String storeId, String receiptNo, OffsetDateTime purchasedAt,
                    long totalFen, PurchaseSource source, List<PurchaseLine> lines) {
        this(id, memberId, storeId, receiptNo, purchasedAt, totalFen, source, lines, 0, false);
    }
}
