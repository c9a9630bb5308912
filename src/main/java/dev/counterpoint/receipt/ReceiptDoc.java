package dev.counterpoint.receipt;

import dev.counterpoint.protocol.RefundKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import dev.counterpoint.report.ZReport;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/**
 * What a receipt says, in figures and codes, before it is put into words: a sale, a void or refund, or the close of a
 * day. Built by {@link Receipts} from what the terminal holds (again for a reprint), worded by {@link ReceiptFormatter}.
 * No member's name or phone is on a receipt: the card shows its last four digits.
 */
public sealed interface ReceiptDoc permits ReceiptDoc.Sale, ReceiptDoc.Refund, ReceiptDoc.Day {
    enum Kind { CHECKOUT, REFUND, DAY }

    Kind kind();

    /** The receipt number, the refund number, or the business date of a close. */
    String number();

    Header header();

    /** Where and when, and by whom. {@code at} is in the terminal's time zone. */
    record Header(String storeName, String storeId, String terminalId, LocalDateTime at, String staffId) {
    }

    /**
     * A line of the basket: its SKU or category (both null for a plain amount, or once its member was erased), and the
     * product's name from the store's catalogue in the receipt's language (null when the catalogue has none).
     */
    record Item(String sku, String category, String name, int qty, long amountFen) {
    }

    /** A usable coupon in the member's wallet after the sale. */
    record WalletCoupon(String name, String code, LocalDate validUntil) {
    }

    /**
     * The member's lines, as they stood when the receipt was made.
     *
     * @param pointsBalance         null when this store does not hold the member's balances
     * @param nextTier              null at the top tier; then {@code needed} is 0
     * @param expiringPoints        points that expire soon (0: none), on {@code expiresOn}
     */
    record MemberLines(String cardCode, Tier tier, Long pointsBalance, Long storedValueBalanceFen, Tier nextTier,
                       TierBasis basis, long needed, long expiringPoints, LocalDate expiresOn,
                       List<WalletCoupon> coupons) {
        public MemberLines {
            coupons = List.copyOf(coupons);
        }
    }

    record Sale(Header header, String receiptNo, List<Item> items, long grossFen, String couponCode, long discountFen,
                long pointsRedeemed, long pointsValueFen, long storedValueFen, long payableFen, long pointsEarned,
                Tier tierBefore, Tier tierAfter, MemberLines member) implements ReceiptDoc {
        public Sale {
            items = List.copyOf(items);
        }

        @Override
        public Kind kind() {
            return Kind.CHECKOUT;
        }

        @Override
        public String number() {
            return receiptNo;
        }
    }

    /**
     * A void or refund: what was taken back and how it was handed back. {@code lines} empty: every line left.
     * {@code tierBack}: the tier a void put the member back to, taking back its checkout's raise (null: none), with the
     * codes of the perk coupons it voided (decision 0091).
     */
    record Refund(Header header, String refundNo, String receiptNo, RefundKind refundKind, List<Integer> lines,
                  long grossFen, long discountFen, long pointsValueFen, long storedValueFen, long payableFen,
                  long pointsReturned, long pointsClawedBack, String couponCode, boolean couponRestored, String cardCode,
                  Long pointsBalance, Long storedValueBalanceFen, Tier tierBack, List<String> perksVoided)
            implements ReceiptDoc {
        public Refund {
            lines = List.copyOf(lines);
            perksVoided = List.copyOf(perksVoided);
        }

        @Override
        public Kind kind() {
            return Kind.REFUND;
        }

        @Override
        public String number() {
            return refundNo;
        }
    }

    /** The close of a day: its Z-report and what head office confirmed; {@code reprint} when closed before. */
    record Day(Header header, ZReport report, long throughSeq, String digest, boolean confirmed, boolean reprint)
            implements ReceiptDoc {
        @Override
        public Kind kind() {
            return Kind.DAY;
        }

        @Override
        public String number() {
            return report.businessDate().toString();
        }
    }
}
