package dev.counterpoint.report;

import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

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
 *
 * <p>{@code afterClose}: what this terminal recorded on an earlier closed day after that day's close, and no report
 * counted yet (empty in a report stored before it was kept). The day's own figures count up to this close.
 */
public record ZReport(LocalDate businessDate, String storeId, String terminalId, long sales, long salesFen,
                      long membersServed, long newMembers, long pointsIssued, long pointsRedeemed, long pointsExpired,
                      long couponsRedeemed, long couponDiscountFen, long storedValueInFen, long storedValueOutFen,
                      long checkouts, long checkoutDiscountFen, long checkoutPointsFen, long checkoutStoredValueFen,
                      long checkoutPayableFen, long voids, long voidFen, long refunds, long refundFen,
                      long refundPayableFen, long pointsReturned, long pointsClawedBack, long storedValueReturnedFen,
                      List<AfterClose> afterClose) {

    public ZReport {
        afterClose = afterClose == null ? List.of() : List.copyOf(afterClose);
    }

    /** A report with nothing recorded after an earlier close. */
    public ZReport(LocalDate businessDate, String storeId, String terminalId, long sales, long salesFen,
                   long membersServed, long newMembers, long pointsIssued, long pointsRedeemed, long pointsExpired,
                   long couponsRedeemed, long couponDiscountFen, long storedValueInFen, long storedValueOutFen,
                   long checkouts, long checkoutDiscountFen, long checkoutPointsFen, long checkoutStoredValueFen,
                   long checkoutPayableFen, long voids, long voidFen, long refunds, long refundFen,
                   long refundPayableFen, long pointsReturned, long pointsClawedBack, long storedValueReturnedFen) {
        this(businessDate, storeId, terminalId, sales, salesFen, membersServed, newMembers, pointsIssued, pointsRedeemed,
                pointsExpired, couponsRedeemed, couponDiscountFen, storedValueInFen, storedValueOutFen, checkouts,
                checkoutDiscountFen, checkoutPointsFen, checkoutStoredValueFen, checkoutPayableFen, voids, voidFen, refunds,
                refundFen, refundPayableFen, pointsReturned, pointsClawedBack, storedValueReturnedFen, List.of());
    }

    /**
     * What was recorded on {@code businessDate}, closed before, after its close: sales as the day's figures count them
     * (a voided checkout left out), voids and refunds, each with its amount.
     */
    public record AfterClose(LocalDate businessDate, long sales, long salesFen, long voids, long voidFen, long refunds,
                             long refundFen) {

        /** Whether anything was recorded (not a getter: the record is stored as JSON). */
        public boolean any() {
            return sales != 0 || salesFen != 0 || voids != 0 || voidFen != 0 || refunds != 0 || refundFen != 0;
        }

        /** One line: "After the close of 2026-12-05: 2 sales ¥86.00; 1 refund ¥20.00", naming only what there was. */
        public UserMessage message() {
            List<Object> parts = new ArrayList<>();
            if (sales != 0 || salesFen != 0) {
                parts.add(new UserMessage("report.afterClose.sales", sales, Money.format(salesFen)));
            }
            if (voids != 0 || voidFen != 0) {
                parts.add(new UserMessage("report.afterClose.voids", voids, Money.format(voidFen)));
            }
            if (refunds != 0 || refundFen != 0) {
                parts.add(new UserMessage("report.afterClose.refunds", refunds, Money.format(refundFen)));
            }
            return new UserMessage("report.afterClose", businessDate.toString(),
                    new UserMessage("report.afterClose.parts." + parts.size(), parts.toArray()));
        }
    }
}
