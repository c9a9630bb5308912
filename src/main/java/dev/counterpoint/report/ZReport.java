package dev.counterpoint.report;

import java.time.LocalDate;

/**
 * The close-of-day figures of one terminal for one business day. Money in fen, points as counted.
 *
 * <p>{@code sales}/{@code salesFen}: sales made that day (checkouts and sales recorded alone), a voided checkout left out;
 * {@code checkouts}: the checkouts among them, with what their coupons took off ({@code checkoutDiscountFen}), what
 * points paid ({@code checkoutPointsFen}), what stored value paid ({@code checkoutStoredValueFen}) and what was paid by
 * other tenders ({@code checkoutPayableFen}). Voids and refunds made that day are counted apart, with the money handed
 * back by other tenders ({@code refundPayableFen}). Points and stored value are the day's ledger rows of this terminal:
 * issued (earned), redeemed (spent), returned and clawed back by voids and refunds, expired; stored value in (top-ups),
 * out (paid), returned.
 */
public record ZReport(LocalDate businessDate, String storeId, String terminalId, long sales, long salesFen,
                      long membersServed, long newMembers, long pointsIssued, long pointsRedeemed, long pointsExpired,
                      long couponsRedeemed, long couponDiscountFen, long storedValueInFen, long storedValueOutFen,
                      long checkouts, long checkoutDiscountFen, long checkoutPointsFen, long checkoutStoredValueFen,
                      long checkoutPayableFen, long voids, long voidFen, long refunds, long refundFen,
                      long refundPayableFen, long pointsReturned, long pointsClawedBack, long storedValueReturnedFen) {
}
