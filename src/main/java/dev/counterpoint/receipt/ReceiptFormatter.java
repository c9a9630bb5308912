package dev.counterpoint.receipt;

import dev.counterpoint.protocol.RefundKind;
import dev.counterpoint.protocol.TierBasis;
import dev.counterpoint.report.ZReport;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import java.text.NumberFormat;
import java.time.format.DateTimeFormatter;
import java.util.ResourceBundle;
import java.util.stream.Collectors;

/** Puts a {@link ReceiptDoc} into words, in the bundle's language, as a {@link ReceiptLayout}. Pure. */
public final class ReceiptFormatter {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final ResourceBundle bundle;
    private final NumberFormat integers;

    public ReceiptFormatter(ResourceBundle bundle) {
        this.bundle = bundle;
        this.integers = NumberFormat.getIntegerInstance(bundle.getLocale());
    }

    public ReceiptLayout layout(ReceiptDoc doc) {
        return layout(doc, false);
    }

    /** {@code reprint}: the receipt reached the printer before, and this copy says so under its header. */
    public ReceiptLayout layout(ReceiptDoc doc, boolean reprint) {
        if (doc instanceof ReceiptDoc.Sale s) {
            return sale(s, reprint);
        }
        if (doc instanceof ReceiptDoc.Refund r) {
            return refund(r, reprint);
        }
        ReceiptDoc.Day d = (ReceiptDoc.Day) doc;
        return day(d, reprint || d.reprint());
    }

    /** A page to check a printer: the width ruled out, Chinese and Latin text, and where it was sent. */
    public ReceiptLayout testPage(String storeName, PrinterSettings settings) {
        ReceiptLayout.Builder b = new ReceiptLayout.Builder();
        b.centered(storeName, ReceiptLayout.Style.LARGE);
        b.centered(text("receipt.test.title"), ReceiptLayout.Style.BOLD);
        b.rule();
        StringBuilder ruler = new StringBuilder();
        for (int i = 1; i <= settings.width(); i++) {
            ruler.append((char) ('0' + i % 10));
        }
        b.left(ruler.toString());
        b.pair(text("receipt.test.chinese"), Money.format(1234));
        b.pair(text("receipt.test.width"), Integer.toString(settings.width()));
        b.pair(text("receipt.test.kind." + settings.kind().name()), settings.where());
        b.rule();
        b.centered(text("receipt.test.end"), ReceiptLayout.Style.NORMAL);
        return b.build();
    }

    private ReceiptLayout sale(ReceiptDoc.Sale s, boolean reprint) {
        ReceiptLayout.Builder b = new ReceiptLayout.Builder();
        header(b, s.header(), reprint);
        b.pair(text("receipt.no"), s.receiptNo());
        b.pair(WHEN.format(s.header().at()), text("receipt.staff", s.header().staffId()));
        b.rule();
        for (ReceiptDoc.Item item : s.items()) {
            String label = item.name() != null ? item.name()
                    : item.sku() != null && item.category() != null ? item.sku() + " " + item.category()
                    : item.sku() != null ? item.sku() : item.category() != null ? item.category() : text("receipt.item.plain");
            b.pair(item.qty() == 1 ? label : text("receipt.item.qty", label, item.qty()), Money.format(item.amountFen()));
        }
        b.rule();
        b.pair(text("receipt.gross"), Money.format(s.grossFen()));
        if (s.discountFen() > 0) {
            b.pair(text("receipt.coupon", s.couponCode()), Money.format(-s.discountFen()));
        }
        if (s.pointsValueFen() > 0) {
            b.pair(text("receipt.points", integers.format(s.pointsRedeemed())), Money.format(-s.pointsValueFen()));
        }
        if (s.storedValueFen() > 0) {
            b.pair(text("receipt.storedValue"), Money.format(-s.storedValueFen()));
        }
        b.pair(text("receipt.payable"), Money.format(s.payableFen()), ReceiptLayout.Style.BOLD);
        b.rule();
        ReceiptDoc.MemberLines m = s.member();
        b.left(text("receipt.member", masked(m.cardCode()), text(s.tierAfter().messageKey())));
        b.pair(text("receipt.earned"), "+" + integers.format(s.pointsEarned()));
        if (s.tierAfter() != s.tierBefore()) {
            b.left(text("receipt.upgraded", text(s.tierAfter().messageKey())));
        }
        if (m.pointsBalance() != null) {
            b.pair(text("receipt.pointsBalance"), integers.format(m.pointsBalance()));
        }
        if (m.storedValueBalanceFen() != null) {
            b.pair(text("receipt.storedValueBalance"), Money.format(m.storedValueBalanceFen()));
        }
        if (m.pointsBalance() == null) {
            b.left(text("receipt.balancesElsewhere"));
        }
        if (m.nextTier() == null) {
            b.left(text("receipt.tier.top"));
        } else if (m.pointsBalance() != null) {
            String needed = m.basis() == TierBasis.SPEND ? Money.format(m.needed()) : integers.format(m.needed());
            b.left(text(m.basis() == TierBasis.SPEND ? "receipt.tier.spend" : "receipt.tier.points", needed,
                    text(m.nextTier().messageKey())));
        }
        if (m.expiringPoints() > 0 && m.expiresOn() != null) {
            b.left(text("receipt.expiring", integers.format(m.expiringPoints()), m.expiresOn().toString()));
        }
        if (!m.coupons().isEmpty()) {
            b.left(text("receipt.wallet", m.coupons().size()));
            for (ReceiptDoc.WalletCoupon c : m.coupons()) {
                b.indented(text("receipt.wallet.coupon", c.name(), c.code(), c.validUntil().toString()));
            }
        }
        b.rule();
        b.centered(text("receipt.thanks"), ReceiptLayout.Style.NORMAL);
        return b.build();
    }

    private ReceiptLayout refund(ReceiptDoc.Refund r, boolean reprint) {
        ReceiptLayout.Builder b = new ReceiptLayout.Builder();
        header(b, r.header(), reprint);
        b.centered(text(r.refundKind() == RefundKind.VOID ? "receipt.refund.voidTitle" : "receipt.refund.title"),
                ReceiptLayout.Style.BOLD);
        b.pair(text("receipt.refund.no"), r.refundNo());
        b.pair(text("receipt.refund.of"), r.receiptNo());
        b.pair(WHEN.format(r.header().at()), text("receipt.staff", r.header().staffId()));
        b.pair(text("receipt.refund.lines"), r.lines().isEmpty() ? text("receipt.refund.allLines")
                : r.lines().stream().map(String::valueOf).collect(Collectors.joining(", ")));
        b.rule();
        b.pair(text("receipt.refund.gross"), Money.format(r.grossFen()));
        if (r.discountFen() > 0) {
            b.pair(text("receipt.refund.coupon"), Money.format(-r.discountFen()));
        }
        if (r.pointsValueFen() > 0) {
            b.pair(text("receipt.refund.pointsValue"), Money.format(-r.pointsValueFen()));
        }
        if (r.storedValueFen() > 0) {
            b.pair(text("receipt.refund.storedValue"), Money.format(r.storedValueFen()));
        }
        b.pair(text("receipt.refund.payable"), Money.format(r.payableFen()), ReceiptLayout.Style.BOLD);
        b.rule();
        b.left(text("receipt.refund.member", masked(r.cardCode())));
        if (r.tierBack() != null) {
            b.left(text("receipt.refund.tierBack", text(r.tierBack().messageKey())));
            for (String perk : r.perksVoided()) {
                b.left(text("receipt.refund.perkVoided", perk));
            }
        }
        if (r.pointsReturned() > 0) {
            b.pair(text("receipt.refund.pointsReturned"), "+" + integers.format(r.pointsReturned()));
        }
        if (r.pointsClawedBack() > 0) {
            b.pair(text("receipt.refund.pointsClawedBack"), "-" + integers.format(r.pointsClawedBack()));
        }
        if (r.couponRestored() && r.couponCode() != null) {
            b.left(text("receipt.refund.couponRestored", r.couponCode()));
        }
        if (r.pointsBalance() != null) {
            b.pair(text("receipt.pointsBalance"), integers.format(r.pointsBalance()));
        }
        if (r.storedValueBalanceFen() != null) {
            b.pair(text("receipt.storedValueBalance"), Money.format(r.storedValueBalanceFen()));
        }
        b.rule();
        b.left(text("receipt.refund.signature"));
        return b.build();
    }

    private ReceiptLayout day(ReceiptDoc.Day d, boolean reprint) {
        ZReport z = d.report();
        ReceiptLayout.Builder b = new ReceiptLayout.Builder();
        header(b, d.header(), reprint);
        b.centered(text("receipt.day.title"), ReceiptLayout.Style.BOLD);
        b.pair(text("receipt.day.date"), z.businessDate().toString());
        b.pair(WHEN.format(d.header().at()), text("receipt.day.manager", d.header().staffId()));
        b.rule();
        b.pair(text("receipt.day.sales", integers.format(z.sales())), Money.format(z.salesFen()), ReceiptLayout.Style.BOLD);
        b.pair(text("receipt.day.checkouts"), integers.format(z.checkouts()));
        b.pair(text("receipt.day.coupon"), Money.format(z.checkoutDiscountFen()));
        b.pair(text("receipt.day.points"), Money.format(z.checkoutPointsFen()));
        b.pair(text("receipt.day.storedValue"), Money.format(z.checkoutStoredValueFen()));
        b.pair(text("receipt.day.otherTenders"), Money.format(z.checkoutPayableFen()));
        b.rule();
        b.pair(text("receipt.day.voids", integers.format(z.voids())), Money.format(z.voidFen()));
        b.pair(text("receipt.day.refunds", integers.format(z.refunds())), Money.format(z.refundFen()));
        b.pair(text("receipt.day.refundPaid"), Money.format(z.refundPayableFen()));
        b.pair(text("receipt.day.storedValueReturned"), Money.format(z.storedValueReturnedFen()));
        b.rule();
        // Recorded on an earlier day after its close: on this report, not on that day's.
        for (ZReport.AfterClose late : z.afterClose()) {
            b.left(text("receipt.day.afterClose", late.businessDate().toString()));
            if (late.sales() != 0 || late.salesFen() != 0) {
                b.pair(text("receipt.day.sales", integers.format(late.sales())), Money.format(late.salesFen()));
            }
            if (late.voids() != 0 || late.voidFen() != 0) {
                b.pair(text("receipt.day.voids", integers.format(late.voids())), Money.format(late.voidFen()));
            }
            if (late.refunds() != 0 || late.refundFen() != 0) {
                b.pair(text("receipt.day.refunds", integers.format(late.refunds())), Money.format(late.refundFen()));
            }
            b.rule();
        }
        b.pair(text("receipt.day.members"), integers.format(z.membersServed()));
        b.pair(text("receipt.day.newMembers"), integers.format(z.newMembers()));
        b.pair(text("receipt.day.pointsIssued"), integers.format(z.pointsIssued()));
        b.pair(text("receipt.day.pointsRedeemed"), integers.format(z.pointsRedeemed()));
        b.pair(text("receipt.day.pointsExpired"), integers.format(z.pointsExpired()));
        b.pair(text("receipt.day.pointsReturned"), integers.format(z.pointsReturned()));
        b.pair(text("receipt.day.pointsClawedBack"), integers.format(z.pointsClawedBack()));
        b.pair(text("receipt.day.couponsRedeemed", integers.format(z.couponsRedeemed())), Money.format(z.couponDiscountFen()));
        b.pair(text("receipt.day.storedValueIn"), Money.format(z.storedValueInFen()));
        b.pair(text("receipt.day.storedValueOut"), Money.format(z.storedValueOutFen()));
        b.rule();
        b.pair(text("receipt.day.through"), "#" + d.throughSeq());
        b.left(text("receipt.day.digest", d.digest()));
        b.centered(text(d.confirmed() ? "receipt.day.confirmed" : "receipt.day.unconfirmed"), ReceiptLayout.Style.BOLD);
        return b.build();
    }

    private void header(ReceiptLayout.Builder b, ReceiptDoc.Header h, boolean reprint) {
        b.centered(h.storeName(), ReceiptLayout.Style.LARGE);
        b.centered(text("receipt.store", h.storeId(), h.terminalId()), ReceiptLayout.Style.NORMAL);
        if (reprint) {
            b.centered(text("receipt.reprint"), ReceiptLayout.Style.BOLD);
        }
    }

    /** A card as printed: its last four digits only, so a receipt left behind does not name a member's card. */
    static String masked(String cardCode) {
        if (cardCode == null || cardCode.isEmpty()) {
            return "—";
        }
        return "****" + cardCode.substring(Math.max(0, cardCode.length() - 4));
    }

    private String text(String key, Object... args) {
        return new UserMessage(key, args).format(bundle);
    }
}
