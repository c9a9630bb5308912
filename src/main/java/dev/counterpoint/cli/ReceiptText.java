package dev.counterpoint.cli;

import dev.counterpoint.checkout.CheckoutReceipt;
import dev.counterpoint.checkout.RefundReceipt;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.Member;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import java.util.ResourceBundle;

/** A receipt as text, one line per item and tender, for {@code --print} until the receipt printer is driven. */
final class ReceiptText {
    private ReceiptText() {}

    static String of(CheckoutReceipt r, Member m, ResourceBundle b) {
        StringBuilder s = new StringBuilder();
        s.append(new UserMessage("receipt.header", r.receiptNo(), r.completedAt().toLocalDate().toString(), r.staffId())
                .format(b)).append('\n');
        s.append(new UserMessage("receipt.member", m.cardCode()).format(b)).append('\n');
        for (PurchaseLine l : r.lines()) {
            String label = l.sku() != null ? l.sku() : l.category() != null ? l.category() : b.getString("counter.purchase.plain");
            s.append(new UserMessage("receipt.line", label, l.qty(), Money.format(l.amountFen())).format(b)).append('\n');
        }
        s.append(new UserMessage("receipt.gross", Money.format(r.grossFen())).format(b)).append('\n');
        if (r.discountFen() > 0) {
            s.append(new UserMessage("receipt.coupon", r.couponCode(), Money.format(r.discountFen())).format(b)).append('\n');
        }
        if (r.pointsRedeemed() > 0) {
            s.append(new UserMessage("receipt.points", r.pointsRedeemed(), Money.format(r.pointsValueFen())).format(b))
                    .append('\n');
        }
        if (r.storedValueFen() > 0) {
            s.append(new UserMessage("receipt.storedValue", Money.format(r.storedValueFen())).format(b)).append('\n');
        }
        s.append(new UserMessage("receipt.payable", Money.format(r.payableFen())).format(b)).append('\n');
        s.append(new UserMessage("receipt.earned", r.pointsEarned()).format(b));
        return s.toString();
    }

    static String of(RefundReceipt r, ResourceBundle b) {
        return new UserMessage("receipt.refund", r.refundNo(), r.receiptNo(), Money.format(r.grossFen()),
                Money.format(r.payableFen()), Money.format(r.storedValueFen()), r.pointsReturned(), r.pointsClawedBack())
                .format(b);
    }
}
