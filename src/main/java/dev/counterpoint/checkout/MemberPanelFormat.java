package dev.counterpoint.checkout;

import dev.counterpoint.catalog.ProductNames;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.coupon.SuggestionText;
import dev.counterpoint.history.Favourite;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import java.text.NumberFormat;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * How a member reads at the counter, in its language: the member panel shows a member through this, and so does the
 * {@code lookup} command, so both say the same thing the same way.
 */
public final class MemberPanelFormat {
    /** A value this store does not hold (a balance kept at the member's stores): the message line says why. */
    public static final String NOT_HERE = "—";

    /** A suggested coupon as shown: what it is and why it is offered. */
    public record SuggestionRow(String title, String reason, Suggestion suggestion) {
    }

    /** What was taken back of a purchase at this store. */
    public enum Reversal { NONE, PARTLY_REFUNDED, REFUNDED, VOIDED }

    /**
     * One purchase of the last 90 days: its day here, its receipt (or its store), its items and its amount, and what was
     * taken back of it ({@code reversalText} "Voided", "Refunded", "¥30.00 refunded"; empty when nothing was), so a
     * voided or refunded purchase does not read as a plain sale.
     */
    public record PurchaseRow(String date, String receiptNo, String items, String amount, Reversal reversal,
                              String reversalText) {
    }

    /**
     * Everything the panel shows of one member, as text. {@code tags} are the automatic tags in this language,
     * {@code customTags} the member's own as they were set (shown apart, decision 0077).
     */
    public record Panel(String name, String phone, String cardCode, Tier tier, String tierText, String points,
                        String storedValue, String lastVisit, String tierProgress, String pointsExpiring,
                        List<String> tags, List<PurchaseRow> purchases, List<String> favourites,
                        List<SuggestionRow> suggestions, List<String> customTags) {
    }

    private final ResourceBundle bundle;
    private final NumberFormat integers;
    private final ZoneId zone;
    private final String storeId;

    /**
     * @param zone    the terminal clock's zone: a purchase shows on the day it was made here
     * @param storeId this store: its own purchases without a receipt number need no store named
     */
    public MemberPanelFormat(Locale locale, ZoneId zone, String storeId) {
        this.bundle = Messages.bundle(locale);
        this.integers = NumberFormat.getIntegerInstance(locale);
        this.zone = zone;
        this.storeId = storeId;
    }

    /** The language the member is worded in. */
    public Locale locale() {
        return bundle.getLocale();
    }

    public Panel panel(MemberSummary s) {
        Member m = s.member();
        // Not held here: only this store's part of the balances is, and that is not the member's balance.
        boolean held = s.chainHeld();
        return new Panel(m.displayName(), m.phoneMasked() == null ? NOT_HERE : m.phoneMasked(), m.cardCode(), m.tier(),
                text(m.tier().messageKey()),
                held ? integers.format(s.points()) : NOT_HERE,
                held ? Money.format(s.storedValueFen()) : NOT_HERE,
                s.lastVisit().map(d -> text("counter.lastVisit", d.toString())).orElse(text("counter.lastVisit.never")),
                held ? tierProgress(s.tierProgress()) : "",
                s.pointsExpiring().filter(e -> held)
                        .map(e -> text("counter.pointsExpiring", e.points(), e.expiresOn().toString())).orElse(""),
                s.tags().stream().map(t -> text(t.messageKey())).toList(),
                s.recentPurchases().stream().map(p -> purchase(p, s.products())).toList(),
                s.favourites().stream().map(f -> favourite(f, s.products())).toList(),
                s.suggestions().stream().map(sg -> new SuggestionRow(suggestionTitle(sg), reason(sg), sg)).toList(),
                s.customTags());
    }

    /** "Birthday ¥20 off ¥50 · CP…", or "Use 60 points (¥0.60 off)". */
    public String suggestionTitle(Suggestion s) {
        if (s.isPoints()) {
            return text("counter.suggestion.points", s.points(), Money.format(s.valueFen()));
        }
        String name = couponName(s);
        return s.couponCode() == null ? name : text("counter.suggestion.withCode", name, s.couponCode());
    }

    /** The coupon's name in this language. */
    public String couponName(Suggestion s) {
        return s.template().name(bundle.getLocale());
    }

    /** Why the suggestion is offered: "Birthday in 2 days (2026-12-07)". */
    public String reason(Suggestion s) {
        return SuggestionText.reasonText(s, bundle);
    }

    private String tierProgress(TierPolicy.TierProgress p) {
        if (p.next() == null) {
            return text("counter.tierProgress.top");
        }
        String needed = p.basis() == TierBasis.SPEND ? Money.format(p.needed()) : integers.format(p.needed());
        return text(p.basis() == TierBasis.SPEND ? "counter.tierProgress.spend" : "counter.tierProgress.points",
                needed, text(p.next().messageKey()));
    }

    private PurchaseRow purchase(Purchase p, ProductNames products) {
        // A receipt number names its store; a purchase without one (imported) made elsewhere shows the store.
        String where = p.receiptNo() != null ? p.receiptNo() : p.storeId().equals(storeId) ? "" : p.storeId();
        Reversal reversal = p.voided() ? Reversal.VOIDED
                : p.refundedFen() <= 0 ? Reversal.NONE
                : p.refundedFen() >= p.totalFen() ? Reversal.REFUNDED : Reversal.PARTLY_REFUNDED;
        String reversalText = switch (reversal) {
            case NONE -> "";
            case VOIDED -> text("counter.purchase.voided");
            case REFUNDED -> text("counter.purchase.refunded");
            case PARTLY_REFUNDED -> text("counter.purchase.refundedPart", Money.format(p.refundedFen()));
        };
        return new PurchaseRow(p.purchasedAt().atZoneSameInstant(zone).toLocalDate().toString(), where, items(p, products),
                Money.format(p.totalFen()), reversal, reversalText);
    }

    /** The lines by their products' names in this language (the store's catalogue), else SKU or category. */
    private String items(Purchase p, ProductNames products) {
        List<String> parts = new ArrayList<>();
        for (PurchaseLine l : p.lines()) {
            String label = products.label(l, bundle.getLocale()).orElseGet(() -> text("counter.purchase.plain"));
            parts.add(l.qty() == 1 ? label : text("counter.purchase.qty", label, l.qty()));
        }
        return String.join(", ", parts);
    }

    private String favourite(Favourite f, ProductNames products) {
        String name = products.label(f, bundle.getLocale());
        // A catalogue name is in the reader's language; the category is the till's own word (often Chinese) and
        // only helps beside a bare SKU.
        return f.category() == null || f.category().isBlank() || products.knows(f.sku())
                ? text("counter.favourite.noCategory", name, f.timesBought())
                : text("counter.favourite", name, f.category(), f.timesBought());
    }

    private String text(String key, Object... args) {
        return new UserMessage(key, args).format(bundle);
    }
}
