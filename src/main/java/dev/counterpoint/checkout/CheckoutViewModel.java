package dev.counterpoint.checkout;

import static dev.counterpoint.checkout.PaymentsViewModel.nullToEmpty;

import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.protocol.Limits;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.Staff;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jdbi.v3.core.Handle;

/**
 * The sale being rung up for the member on the counter: its amount or item lines, the coupon chosen for it (F1, or
 * Enter on a suggestion), and completing it as one checkout (F2) with the points and stored value typed in.
 */
public final class CheckoutViewModel {
    /**
     * The receipt each checkout gets (the window wires its receipt preview): made in the checkout's own transaction, made
     * ready to show after the commit, both on the database thread, and shown on the UI thread with the checkout's result.
     */
    public interface Receipting<T> {
        /** In the checkout's transaction, once its rows are written. */
        T keep(Handle h, CheckoutReceipt checkout, RuleSet rules);

        /** After the commit, on the database thread: what the UI thread will only show. */
        T prepare(T kept);

        /** On the UI thread, with the checkout's result. */
        void show(CheckoutReceipt checkout, T prepared);
    }

    /** The receipts' side, bound to its type once: {@link #recordSale} completes through it. */
    private interface Completion {
        /** On the database thread: the checkout, and its receipt made; the receipt is shown by running the result. */
        Made complete(CheckoutRequest request, Staff cashier);
    }

    private record Made(CheckoutReceipt receipt, Runnable show) {
    }

    private Completion completion;

    /**
     * How long the UI thread waits for a checkout's outcome, its receipt ready to show, after the Enter or F2 that
     * completes the sale (decision 0078): as a scan waits for its member (decision 0033), so that a pulse that comes due
     * meanwhile runs as soon as the outcome is applied and shows the receipt, rather than the screen waiting for the
     * pulse after it. Three frames: after Enter the counter has nothing else to show, and a slow commit is the case
     * this is for; beyond it the outcome comes through the UI queue.
     */
    static final Duration RESULT_WAIT = Duration.ofMillis(50);

    /** One line of the sale being entered. */
    public record LineRow(String sku, String category, int qty, long amountFen, String text) {
    }

    private final Checkouts checkouts;
    private final MemberPanelViewModel panel;
    private final PaymentsViewModel payments;
    private final StatusBarViewModel status;
    private final CounterMessages messages;

    private final StringProperty saleAmount = new SimpleStringProperty("");
    /** The member the sale being typed is for (see {@link #memberChanged}); null: nobody, or nothing typed. */
    private UUID saleFor;
    private final StringProperty lineSku = new SimpleStringProperty("");
    private final StringProperty lineCategory = new SimpleStringProperty("");
    private final StringProperty lineQty = new SimpleStringProperty("1");
    private final StringProperty lineAmount = new SimpleStringProperty("");
    private final ObservableList<LineRow> lines = FXCollections.observableArrayList();
    private final ObservableList<LineRow> linesView = FXCollections.unmodifiableObservableList(lines);
    private final StringProperty receipt = new SimpleStringProperty("");
    /** The checkout the receipt line tells of; null when it tells of none. */
    private String receiptLineOf;
    /** Counts the times the sale wants its amount typed (a coupon that needs a basket, an amount missing or wrong). */
    private final IntegerProperty amountWanted = new SimpleIntegerProperty();
    /** The coupon chosen for the sale being rung up; null: none. */
    private final ObjectProperty<MemberPanelFormat.SuggestionRow> chosenCoupon = new SimpleObjectProperty<>();
    /** A large sale is completed by a second Enter or F2 for the same amount. */
    private final LargeAmountCheck large;

    /** @param checkouts the one-transaction checkout the sale (F2) goes through */
    CheckoutViewModel(Checkouts checkouts, MemberPanelViewModel panel, PaymentsViewModel payments,
                      StatusBarViewModel status, CounterMessages messages) {
        this.checkouts = checkouts;
        this.panel = panel;
        this.payments = payments;
        this.status = status;
        this.messages = messages;
        this.large = new LargeAmountCheck(messages, "counter.sale.confirmLarge");
        // Whose sale is being typed: the member on the counter when its amount or lines were last typed. Another
        // amount or basket is asked about again if it is large.
        saleAmount.addListener((o, was, now) -> {
            typedFor();
            large.reset();
        });
        lines.addListener((javafx.collections.ListChangeListener<LineRow>) c -> {
            typedFor();
            large.reset();
        });
        onCheckout(new Receipting<Void>() {
            @Override public Void keep(Handle h, CheckoutReceipt checkout, RuleSet rules) { return null; }
            @Override public Void prepare(Void kept) { return null; }
            @Override public void show(CheckoutReceipt checkout, Void prepared) { }
        });
    }

    /** Adds a line to the sale; the amount field then shows the lines' total. */
    public void addLine() {
        Optional<Long> amount = Money.parseYuan(lineAmount.get());
        if (amount.isEmpty()) {
            messages.error(new UserMessage("counter.error.amountInvalid", nullToEmpty(lineAmount.get())));
            return;
        }
        int qty;
        try {
            qty = Integer.parseInt(nullToEmpty(lineQty.get()).strip());
        } catch (NumberFormatException e) {
            qty = 0;
        }
        if (qty <= 0) {
            messages.error(new UserMessage("counter.error.qtyInvalid", nullToEmpty(lineQty.get())));
            return;
        }
        String sku = blankToNull(lineSku.get());
        String category = blankToNull(lineCategory.get());
        String label = sku != null && category != null ? sku + " · " + category
                : sku != null ? sku : category != null ? category : messages.text("counter.purchase.plain");
        String lineText = messages.text("counter.line", label, qty, Money.format(amount.get()));
        lines.add(new LineRow(sku, category, qty, amount.get(), lineText));
        lineSku.set("");
        lineCategory.set("");
        lineQty.set("1");
        lineAmount.set("");
        saleAmount.set(yuan(linesTotal()));
    }

    public void removeLine(LineRow line) {
        if (line != null && lines.remove(line)) {
            saleAmount.set(lines.isEmpty() ? "" : yuan(linesTotal()));
        }
    }

    /**
     * Completes the sale as one checkout (F2): the amount or lines, the coupon chosen for it (F1 / Enter), the points and
     * stored value typed in, the rest paid otherwise; one receipt, and points earned on what is left after the coupon
     * and the points.
     */
    public void recordSale() {
        UUID id = panel.memberId();
        if (id == null) {
            messages.error(new UserMessage("counter.error.noMember"));
            return;
        }
        Staff cashier = status.cashier();
        if (cashier == null) {
            messages.error(new UserMessage("counter.error.signIn"));
            return;
        }
        Long amount = null;
        String a = nullToEmpty(saleAmount.get()).strip();
        if (!a.isEmpty()) {
            Optional<Long> parsed = Money.parseYuan(a);
            if (parsed.isEmpty()) {
                messages.error(new UserMessage("counter.error.amountInvalid", a));
                wantAmount();
                return;
            }
            amount = parsed.get();
        } else if (lines.isEmpty()) {
            // nothing to sell yet: the checkout would refuse it, so the amount takes the keyboard at once
            messages.error(new UserMessage("sale.error.amountRequired"));
            wantAmount();
            return;
        }
        Optional<Long> pts = payments.pointsChosen();
        Optional<Long> sv = payments.storedValueChosen();
        if (pts.isEmpty() || sv.isEmpty()) {
            return;
        }
        if (!large.mayGo(amount != null ? amount : linesTotal(), Limits.MAX_PURCHASE_FEN)) {
            wantAmount(); // the second Enter is the amount field's
            return;
        }
        Long amountFen = amount;
        List<PurchaseLine> saleLines = lines.stream()
                .map(l -> new PurchaseLine(l.sku(), l.category(), l.qty(), l.amountFen())).toList();
        MemberPanelFormat.SuggestionRow chosen = chosenCoupon.get();
        CheckoutRequest.CouponChoice coupon = chosen == null ? CheckoutRequest.CouponChoice.NONE
                : new CheckoutRequest.CouponChoice.Id(chosen.suggestion().couponId());
        AtomicReference<Made> made = new AtomicReference<>();
        Completion through = completion;
        panel.act(id, () -> {
            Made m = through.complete(new CheckoutRequest(id, amountFen, saleLines, coupon, pts.get(), sv.get()), cashier);
            made.set(m);
            CheckoutReceipt r = m.receipt();
            UserMessage line = new UserMessage("counter.checkout.done", r.receiptNo(), Money.format(r.grossFen()),
                    deductions(r), Money.format(r.payableFen()), r.pointsEarned());
            UserMessage done = r.upgraded()
                    ? new UserMessage("counter.checkout.doneUpgrade", line.format(messages.bundle()),
                            messages.text(r.tierAfter().messageKey()))
                    : line;
            // A sale on a day this terminal closed is on no report yet: the cashier is told where it goes.
            return status.closedBefore(r.completedAt())
                    .map(at -> new UserMessage("counter.checkout.afterClose", done, status.closeTime(at)))
                    .orElse(done);
        }, RESULT_WAIT, done -> {
            receipt.set(done.format(messages.bundle()));
            receiptLineOf = made.get().receipt().receiptNo();
            saleAmount.set("");
            lines.clear();
            payments.saleCompleted();
            chosenCoupon.set(null);
            made.get().show().run();
        });
    }

    /** What came off the sale, only the ways it was paid for: "-¥0.00" for an unused one is noise to a cashier. */
    private String deductions(CheckoutReceipt r) {
        StringBuilder out = new StringBuilder();
        long[] fen = {r.discountFen(), r.pointsValueFen(), r.storedValueFen()};
        String[] keys = {"counter.checkout.doneCoupon", "counter.checkout.donePoints", "counter.checkout.doneStoredValue"};
        for (int i = 0; i < fen.length; i++) {
            if (fen[i] != 0) {
                out.append(messages.text(keys[i], Money.format(fen[i])));
            }
        }
        return out.toString();
    }

    /** How each checkout gets its receipt: the window keeps, prints and shows it through {@code receipting}. */
    public <T> void onCheckout(Receipting<T> receipting) {
        this.completion = (request, cashier) -> {
            Checkouts.Completed<T> done = checkouts.complete(request, cashier, receipting::keep);
            T ready = receipting.prepare(done.also());
            return new Made(done.receipt(), () -> receipting.show(done.receipt(), ready));
        };
    }

    /** F1: the top suggestion is used for this sale (a coupon is chosen; expiring points are put in the points field). */
    public void redeemTop() {
        if (panel.suggestions().isEmpty()) {
            messages.error(new UserMessage(panel.memberId() == null ? "counter.error.noMember" : "counter.redeem.none"));
            return;
        }
        redeem(panel.suggestions().get(0));
    }

    /**
     * Chooses a suggestion for this sale: nothing is written until the sale is completed (F2), so the coupon takes its
     * discount off this sale's basket and the points are earned on what is left. A coupon the basket cannot take (below
     * its minimum spend, without its category) is refused now, as the checkout would refuse it.
     */
    public void redeem(MemberPanelFormat.SuggestionRow row) {
        if (panel.memberId() == null || row == null) {
            messages.error(new UserMessage("counter.error.noMember"));
            return;
        }
        Suggestion sg = row.suggestion();
        if (sg.isPoints()) {
            payments.usePoints(sg.points());
            messages.info(new UserMessage("counter.choose.points", sg.points(), Money.format(sg.valueFen())));
            return;
        }
        String a = nullToEmpty(saleAmount.get()).strip();
        Optional<Long> basket = a.isEmpty() ? Optional.empty() : Money.parseYuan(a);
        if (!a.isEmpty() && basket.isEmpty()) {
            messages.error(new UserMessage("counter.error.amountInvalid", a));
            wantAmount();
            return;
        }
        var t = sg.template();
        if (t.needsBasket() && basket.isEmpty()) {
            messages.error(t.minSpendFen() > 0
                    ? new UserMessage("redeem.error.basketRequired", Money.format(t.minSpendFen()))
                    : new UserMessage("redeem.error.basketRequiredPercent"));
            wantAmount();
            return;
        }
        if (basket.isPresent() && basket.get() < t.minSpendFen()) {
            messages.error(new UserMessage("redeem.error.minSpend", Money.format(t.minSpendFen()),
                    Money.format(basket.get())));
            return;
        }
        Set<String> categories = lines.isEmpty() ? null
                : lines.stream().map(LineRow::category).filter(c -> c != null).collect(Collectors.toUnmodifiableSet());
        if (t.category() != null && (categories == null || !categories.contains(t.category()))) {
            messages.error(new UserMessage("redeem.error.category", t.category()));
            return;
        }
        chosenCoupon.set(row);
        messages.info(basket.isPresent()
                ? new UserMessage("counter.choose.coupon", row.title(), Money.format(t.discountFor(basket.get())))
                : new UserMessage("counter.choose.couponNoBasket", row.title()));
    }

    private void typedFor() {
        saleFor = saleTyped() ? panel.memberId() : null;
    }

    private boolean saleTyped() {
        return !nullToEmpty(saleAmount.get()).isBlank() || !lines.isEmpty();
    }

    /**
     * Another member is on the counter: a coupon chosen for the last one is not theirs, and neither is a sale typed for
     * the last one. A sale typed with nobody on the counter (the basket rung up before the card is scanned) is kept for
     * the member now shown.
     */
    void memberChanged(UUID next) {
        chosenCoupon.set(null);
        large.reset();
        if (saleFor != null && !saleFor.equals(next)) {
            saleAmount.set("");
            lines.clear();
        }
        saleFor = saleTyped() ? next : null;
    }

    /** The counter was emptied: nothing chosen, and the last receipt line (which named a member's balance) goes. */
    void memberCleared() {
        chosenCoupon.set(null);
        large.reset();
        showReceipt("");
    }

    /**
     * A void or refund of the checkout the receipt line tells of: the line no longer holds (the message line says what
     * was taken back).
     */
    void takenBack(String receiptNo) {
        if (receiptNo.equals(receiptLineOf)) {
            showReceipt("");
        }
    }

    /** Esc while a large sale waits for its second Enter: it does not go through, and the amount has the keyboard. */
    boolean cancelConfirmation() {
        if (!large.cancel()) {
            return false;
        }
        wantAmount();
        return true;
    }

    /** A receipt line of another action for the member (a top-up). */
    void showReceipt(String line) {
        receiptLineOf = null;
        receipt.set(line);
    }

    private long linesTotal() {
        return lines.stream().mapToLong(LineRow::amountFen).sum();
    }

    /** Fen as the amount field expects it: "12.50", without the currency sign. */
    private static String yuan(long fen) {
        return String.format(Locale.ROOT, "%d.%02d", fen / 100, fen % 100);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    public StringProperty saleAmountProperty() { return saleAmount; }
    public StringProperty lineSkuProperty() { return lineSku; }
    public StringProperty lineCategoryProperty() { return lineCategory; }
    public StringProperty lineQtyProperty() { return lineQty; }
    public StringProperty lineAmountProperty() { return lineAmount; }
    public ObservableList<LineRow> lines() { return linesView; }
    public ReadOnlyStringProperty receiptProperty() { return receipt; }
    /** Changes each time the amount should take the keyboard; the view moves the focus there. */
    public ReadOnlyIntegerProperty amountWantedProperty() { return amountWanted; }

    private void wantAmount() {
        amountWanted.set(amountWanted.get() + 1);
    }
    public ReadOnlyObjectProperty<MemberPanelFormat.SuggestionRow> chosenCouponProperty() { return chosenCoupon; }
}
