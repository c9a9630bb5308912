package dev.counterpoint.report;

import java.time.LocalDate;

/** The close-of-day figures of one terminal for one business day. Money in fen, points as counted. */
public record ZReport(LocalDate businessDate, String storeId, String terminalId, long sales, long salesFen,
                      long membersServed, long newMembers, long pointsIssued, long pointsRedeemed, long pointsExpired,
                      long couponsRedeemed, long couponDiscountFen, long storedValueInFen, long storedValueOutFen) {
}
