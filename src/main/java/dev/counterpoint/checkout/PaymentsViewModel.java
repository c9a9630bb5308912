package dev.counterpoint.checkout;

import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The member's points and stored value at the counter: how much of each pays for the sale being rung up (checked
 * here, spent by the checkout), and stored-value top-ups.
 */
public final class PaymentsViewModel {
    private final CheckoutService checkout;
    private final MemberPanelViewModel panel;
    private final CounterMessages messages;
    private Consumer<String> receiptLine = line -> { };

    private final StringProperty pointsToRedeem = new SimpleStringProperty("");
    private final StringProperty storedValueToPay = new SimpleStringProperty("");
    private final StringProperty storedValueToTopUp = new SimpleStringProperty("");

    /** A large top-up is made by a second Enter for the same amount. */
    private final LargeAmountCheck large;

    PaymentsViewModel(CheckoutService checkout, MemberPanelViewModel panel, CounterMessages messages) {
        this.checkout = checkout;
        this.panel = panel;
        this.messages = messages;
        this.large = new LargeAmountCheck(messages, "counter.topUp.confirmLarge");
        storedValueToTopUp.addListener((o, was, now) -> large.reset());
    }

    /** Where a top-up's receipt line is shown. */
    void onReceipt(Consumer<String> receiptLine) {
        this.receiptLine = receiptLine;
    }

    /** The points typed in are for this sale: checked here, spent when the sale is completed (F2). */
    public void redeemPoints() {
        if (panel.memberId() == null) {
            messages.error(new UserMessage("counter.error.noMember"));
            return;
        }
        pointsChosen().filter(n -> n > 0).ifPresent(n -> messages.info(new UserMessage("counter.choose.pointsTyped", n)));
    }

    /** The stored value typed in is for this sale: checked here, paid when the sale is completed (F2). */
    public void payWithStoredValue() {
        if (panel.memberId() == null) {
            messages.error(new UserMessage("counter.error.noMember"));
            return;
        }
        storedValueChosen().filter(n -> n > 0)
                .ifPresent(n -> messages.info(new UserMessage("counter.choose.storedValue", Money.format(n))));
    }

    /** Stored-value top-up; the rules' bonus, if any, is added and shown on the receipt line. */
    public void topUp() {
        UUID id = panel.memberId();
        if (id == null) {
            messages.error(new UserMessage("counter.error.noMember"));
            return;
        }
        String a = nullToEmpty(storedValueToTopUp.get()).strip();
        Optional<Long> fen = Money.parseYuan(a);
        if (fen.isEmpty()) {
            messages.error(new UserMessage("counter.error.amountInvalid", a));
            return;
        }
        if (!large.mayGo(fen.get(), CheckoutService.MAX_TOP_UP_FEN)) {
            return;
        }
        panel.act(id, () -> {
            CheckoutService.TopUp t = checkout.topUp(id, fen.get());
            String after = t.balanceAfterFen() != null ? Money.format(t.balanceAfterFen()) : MemberPanelFormat.NOT_HERE;
            return t.bonusFen() > 0
                    ? new UserMessage("counter.topUp.doneBonus", Money.format(t.amountFen()), Money.format(t.bonusFen()), after)
                    : new UserMessage("counter.topUp.done", Money.format(t.amountFen()), after);
        }, Duration.ZERO, done -> {
            storedValueToTopUp.set("");
            receiptLine.accept(done.format(messages.bundle()));
        });
    }

    /** An expiring-points suggestion chosen for the sale: its points go in the points field. */
    void usePoints(long points) {
        pointsToRedeem.set(Long.toString(points));
    }

    /** The points typed in for this sale (0 when none); empty, with the reason shown, when not a whole number. */
    Optional<Long> pointsChosen() {
        String p = nullToEmpty(pointsToRedeem.get()).strip();
        if (p.isEmpty()) {
            return Optional.of(0L);
        }
        try {
            long n = Long.parseLong(p);
            if (n <= 0) {
                messages.error(new UserMessage("counter.error.pointsInvalid", p));
                return Optional.empty();
            }
            return Optional.of(n);
        } catch (NumberFormatException e) {
            messages.error(new UserMessage("counter.error.pointsInvalid", p));
            return Optional.empty();
        }
    }

    /** The stored value typed in for this sale (0 when none); empty, with the reason shown, when not an amount. */
    Optional<Long> storedValueChosen() {
        String a = nullToEmpty(storedValueToPay.get()).strip();
        if (a.isEmpty()) {
            return Optional.of(0L);
        }
        Optional<Long> fen = Money.parseYuan(a);
        if (fen.isEmpty()) {
            messages.error(new UserMessage("counter.error.amountInvalid", a));
        }
        return fen;
    }

    /** The sale they were for is completed. */
    void saleCompleted() {
        pointsToRedeem.set("");
        storedValueToPay.set("");
    }

    /** Another member took the counter: what was typed from the last one's balances is not for this one. */
    void memberChanged() {
        saleCompleted();
        storedValueToTopUp.set("");
        large.reset();
    }

    /** Esc while a large top-up waits for its second Enter: it is not made. True if one was waiting. */
    boolean cancelConfirmation() {
        return large.cancel();
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    public StringProperty pointsToRedeemProperty() { return pointsToRedeem; }
    public StringProperty storedValueToPayProperty() { return storedValueToPay; }
    public StringProperty storedValueToTopUpProperty() { return storedValueToTopUp; }
}
