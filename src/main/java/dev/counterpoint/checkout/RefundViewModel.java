package dev.counterpoint.checkout;

import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.RefundKind;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.shared.BackgroundTasks;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.staff.StaffAccounts;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.UUID;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The counter's void and refund screen: a receipt (this till's last checkout to begin with, or any number scanned or
 * typed, read from head office when it was made elsewhere), its lines to tick, void or refund, what will be reversed
 * (worked out by {@link Refunds#preview}, the refund's own calculation), and a manager's staff id and PIN to approve it
 * there and then. The cashier is the member of staff signed in at the counter. Once done, the refund receipt goes to
 * the receipt preview and the member panel shows the balances as they now are.
 */
public final class RefundViewModel {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** A line of the checkout: ticked to be taken back; one refunded or voided already cannot be. */
    public static final class LineRow {
        private final int lineNo;
        private final String text;
        private final String amount;
        private final String takenBack;
        private final BooleanProperty chosen = new SimpleBooleanProperty(false);
        private final BooleanProperty locked = new SimpleBooleanProperty(false);

        /** @param takenBack how it was taken back already ("refunded", "voided"); empty: it was not */
        LineRow(int lineNo, String text, String amount, String takenBack) {
            this.lineNo = lineNo;
            this.text = text;
            this.amount = amount;
            this.takenBack = takenBack;
            locked.set(refunded());
        }

        public int lineNo() { return lineNo; }
        /** "1. Yirgacheffe beans ×2" */
        public String text() { return text; }
        public String amount() { return amount; }
        /** Taken back already, by a refund or the checkout's void. */
        public boolean refunded() { return !takenBack.isEmpty(); }
        /** Its badge once taken back: "refunded", or "voided" when its checkout was voided; else empty. */
        public String takenBackText() { return takenBack; }
        /** Ticked to be taken back; the view's check box is bound to it. */
        public BooleanProperty chosenProperty() { return chosen; }
        /** Not to be ticked or unticked: refunded already, or the whole checkout is being voided. */
        public ReadOnlyBooleanProperty lockedProperty() { return locked; }
    }

    /** One figure of what will be reversed: what it is and how much. */
    public record Figure(String label, String value) {
    }

    private final Refunds refunds;
    private final StaffAccounts staff;
    private final StatusBarViewModel status;
    private final MemberPanelViewModel panel;
    private final CounterMessages counter;
    private final BackgroundTasks tasks;
    private final CounterMessages messages;
    private final String storeId;
    private final String storeName;
    private final ZoneId zone;
    private Consumer<RefundReceipt> refunded = r -> { };
    /** Asks head office for a member's records, as the counter does for a member it shows. */
    private final Consumer<UUID> historyWanted;
    /** Told the receipt number of each checkout voided or refunded here (the counter's sale line may tell of it). */
    private final Consumer<String> takenBack;
    /** The screen was closed: news arriving afterwards is not for it. */
    private boolean closed;

    private final StringProperty receiptNo = new SimpleStringProperty("");
    private final StringProperty cashierText = new SimpleStringProperty("");
    private final BooleanProperty loaded = new SimpleBooleanProperty(false);
    private final BooleanProperty linesLeft = new SimpleBooleanProperty(false);
    /** Counts the receipt look-ups answered (found or refused). */
    private final IntegerProperty lookups = new SimpleIntegerProperty(0);
    /** Counts the voids and refunds made on this screen. */
    private final IntegerProperty reversals = new SimpleIntegerProperty(0);
    private final StringProperty receiptText = new SimpleStringProperty("");
    private final StringProperty memberText = new SimpleStringProperty("");
    private final StringProperty paidText = new SimpleStringProperty("");
    private final ObservableList<LineRow> lines = FXCollections.observableArrayList();
    private final ObservableList<LineRow> linesView = FXCollections.unmodifiableObservableList(lines);
    private final ObjectProperty<RefundKind> kind = new SimpleObjectProperty<>(RefundKind.REFUND);
    private final BooleanProperty voidAllowed = new SimpleBooleanProperty(false);
    private final StringProperty voidNote = new SimpleStringProperty("");
    private final ObservableList<Figure> figures = FXCollections.observableArrayList();
    private final ObservableList<Figure> figuresView = FXCollections.unmodifiableObservableList(figures);
    private final StringProperty couponText = new SimpleStringProperty("");
    private final StringProperty tierText = new SimpleStringProperty("");
    private final StringProperty previewNote = new SimpleStringProperty("");
    private final StringProperty managerId = new SimpleStringProperty("");
    private final StringProperty managerPin = new SimpleStringProperty("");
    private final ObjectProperty<Refunds.Preview> preview = new SimpleObjectProperty<>();
    private final StringProperty confirmText = new SimpleStringProperty("");
    private final BooleanBinding canConfirm;

    /** The receipt shown; UI thread only. */
    private Refunds.Found found;
    /** Counts the previews asked for: only the answer to the last one is shown. */
    private long previewsAsked;
    /** Ticks being set together (tick all, void): one preview afterwards, not one per line. */
    private boolean ticking;

    /**
     * @param tasks this screen's own: its refusals and failures are shown on it, not on the counter's message line
     * @param counter the counter's message line, which is told of a void or refund done
     */
    RefundViewModel(Refunds refunds, StaffAccounts staff, StatusBarViewModel status, MemberPanelViewModel panel,
                    CounterMessages counter, String storeId, String storeName, ZoneId zone, BackgroundTasks tasks,
                    Consumer<UUID> historyWanted, Consumer<String> takenBack) {
        this.refunds = refunds;
        this.historyWanted = historyWanted;
        this.takenBack = takenBack;
        this.staff = staff;
        this.status = status;
        this.panel = panel;
        this.counter = counter;
        this.tasks = tasks;
        this.messages = new CounterMessages(counter.bundle().getLocale());
        this.storeId = storeId;
        this.storeName = storeName;
        this.zone = zone;
        tasks.reportFailuresTo(messages::error);
        canConfirm = Bindings.createBooleanBinding(() -> preview.get() != null && !tasks.busyProperty().get(),
                preview, tasks.busyProperty());
        kind.addListener((o, was, now) -> kindChanged());
        confirmText.set(text("refund.screen.confirmRefund"));
    }

    /** The screen is up: the cashier is named and this till's last checkout is shown. */
    public void open() {
        showCashier(status.cashier());
        tasks.run(refunds::lastReceiptNo, last -> {
            if (last.isPresent()) {
                receiptNo.set(last.get());
                load();
            } else {
                messages.info(new UserMessage("refund.screen.typeReceipt"));
            }
        });
    }

    /** Reads the receipt whose number is in the field (Enter, or a scan into it): here, or at head office. */
    public void load() {
        String number = receiptNo.get() == null ? "" : receiptNo.get().strip();
        clear();
        messages.info(new UserMessage("refund.screen.reading", number));
        tasks.run(() -> refunds.find(number), f -> {
            show(f);
            if (f.allRefunded()) {
                messages.error(new UserMessage("refund.error.allRefunded", f.receiptNo()));
            } else if (!f.balancesHeld() && f.member().isPresent()) {
                // Another store's member never shown here: their records are asked for now, as a scan of their card
                // at the counter would, and the receipt is read again once they have come (historyArrived).
                historyWanted.accept(f.checkout().memberId());
                messages.info(new UserMessage("refund.screen.fetchingBalances", f.member().get().displayName()));
            } else {
                messages.info(new UserMessage(f.voidRefused().isEmpty() ? "refund.screen.choose" : "refund.screen.chooseLines"));
            }
            lookups.set(lookups.get() + 1);
        }, refused -> {
            messages.error(refused);
            lookups.set(lookups.get() + 1);
        });
    }

    /**
     * A member's records from the rest of the chain have come (the sync scheduler's news, on the UI thread): if the
     * receipt shown was waiting for them, it is read again and can now be refunded.
     */
    void historyArrived(UUID memberId) {
        Refunds.Found f = found;
        if (closed || memberId == null || f == null || f.balancesHeld() || !memberId.equals(f.checkout().memberId())) {
            return;
        }
        receiptNo.set(f.receiptNo());
        load();
    }

    /** The screen is closed. */
    public void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    /** A scanner read a code while the screen is up, wherever the keyboard was: the receipt to show. */
    public void scanned(String code) {
        receiptNo.set(code);
        load();
    }

    private void clear() {
        found = null;
        previewsAsked++;
        loaded.set(false);
        linesLeft.set(false);
        receiptText.set("");
        memberText.set("");
        paidText.set("");
        lines.clear();
        figures.clear();
        couponText.set("");
        tierText.set("");
        previewNote.set("");
        preview.set(null);
        voidAllowed.set(false);
        voidNote.set("");
        kind.set(RefundKind.REFUND);
    }

    private void show(Refunds.Found f) {
        clear();
        found = f;
        Event.CheckoutCompleted c = f.checkout();
        String store = f.storeId().equals(storeId) ? storeName : f.storeId();
        receiptText.set(text(f.fromOffice() ? "refund.screen.receiptFromOffice" : "refund.screen.receipt", c.receiptNo(),
                WHEN.format(c.completedAt().atZoneSameInstant(zone)), store, f.terminalId(), c.staffId()));
        memberText.set(f.member().map(this::member).orElseGet(() -> text("refund.screen.memberNotHere")));
        paidText.set(paid(c));
        List<LineRow> rows = new ArrayList<>();
        for (int i = 0; i < f.items().size(); i++) {
            PurchaseLine item = f.items().get(i);
            String name = f.products().label(item, messages.bundle().getLocale())
                    .orElseGet(() -> text("counter.purchase.plain"));
            String label = item.qty() == 1 ? name : text("counter.purchase.qty", name, item.qty());
            String takenBack = !f.refunded().contains(i + 1) ? ""
                    : text(f.voided() ? "refund.screen.lineVoided" : "refund.screen.lineRefunded");
            LineRow row = new LineRow(i + 1, text("refund.screen.line", i + 1, label), Money.format(item.amountFen()),
                    takenBack);
            row.chosen.addListener((o, was, now) -> {
                if (!ticking) {
                    askPreview();
                }
            });
            rows.add(row);
        }
        lines.setAll(rows);
        linesLeft.set(!f.allRefunded());
        voidAllowed.set(f.voidRefused().isEmpty());
        // nothing is left to void or refund once every line is back: the message line says so
        voidNote.set(f.allRefunded() ? "" : f.voidRefused().map(m -> m.format(messages.bundle())).orElse(""));
        loaded.set(true);
        askPreview();
    }

    private String member(Member m) {
        return text("refund.screen.member", m.displayName(), m.cardCode());
    }

    /** What the checkout was paid with: its total, then each tender it used. */
    private String paid(Event.CheckoutCompleted c) {
        List<String> parts = new ArrayList<>();
        parts.add(text("refund.screen.paid.total", Money.format(c.grossFen())));
        if (c.coupon() != null) {
            parts.add(text("refund.screen.paid.coupon", c.coupon().couponCode(), Money.format(c.discountFen())));
        }
        if (c.pointsRedeemed() > 0) {
            parts.add(text("refund.screen.paid.points", c.pointsRedeemed(), Money.format(c.pointsValueFen())));
        }
        if (c.storedValueFen() > 0) {
            parts.add(text("refund.screen.paid.storedValue", Money.format(c.storedValueFen())));
        }
        parts.add(text("refund.screen.paid.otherwise", Money.format(c.payableFen())));
        if (c.pointsEarned() > 0) {
            parts.add(text("refund.screen.paid.earned", c.pointsEarned()));
        }
        return String.join(" · ", parts);
    }

    /** Ticks every line not yet refunded (a refund of all that is left). */
    public void chooseAll() {
        if (kind.get() != RefundKind.REFUND) {
            return;
        }
        tickAll(true);
    }

    /** Ticks or unticks a line (Space on it, or its check box). */
    public void toggle(LineRow row) {
        if (row != null && !row.locked.get()) {
            row.chosen.set(!row.chosen.get());
        }
    }

    private void tickAll(boolean chosen) {
        ticking = true;
        try {
            lines.stream().filter(r -> !r.refunded()).forEach(r -> r.chosen.set(chosen));
        } finally {
            ticking = false;
        }
        askPreview();
    }

    /** Void: every line, locked; back to a refund: nothing ticked. */
    private void kindChanged() {
        boolean voiding = kind.get() == RefundKind.VOID;
        if (voiding && !voidAllowed.get()) {
            kind.set(RefundKind.REFUND);
            return;
        }
        confirmText.set(text(voiding ? "refund.screen.confirmVoid" : "refund.screen.confirmRefund"));
        lines.forEach(r -> r.locked.set(voiding || r.refunded()));
        if (found != null) {
            tickAll(voiding);
        }
    }

    /** Works out what the ticked lines' void or refund would reverse, in the background; nothing is written. */
    private void askPreview() {
        long asked = ++previewsAsked;
        preview.set(null);
        Refunds.Found f = found;
        List<Integer> chosen = lines.stream().filter(r -> r.chosen.get() && !r.refunded()).map(LineRow::lineNo)
                .toList();
        figures.clear();
        couponText.set("");
        tierText.set("");
        if (f == null || chosen.isEmpty()) {
            previewNote.set(f == null || f.allRefunded() ? "" : text("refund.screen.previewNone"));
            return;
        }
        previewNote.set(text("refund.screen.previewWorking"));
        RefundKind k = kind.get();
        tasks.run(() -> refunds.preview(f, chosen, k), p -> {
            if (asked == previewsAsked) {
                showPreview(p);
            }
        }, refused -> {
            if (asked == previewsAsked) {
                previewNote.set("");
                messages.error(refused);
            }
        });
    }

    private void showPreview(Refunds.Preview p) {
        List<Figure> shown = new ArrayList<>();
        shown.add(new Figure(text("refund.screen.preview.gross"), Money.format(p.grossFen())));
        shown.add(new Figure(text("refund.screen.preview.payable"), Money.format(p.payableFen())));
        if (p.storedValueFen() > 0) {
            shown.add(new Figure(text("refund.screen.preview.storedValue"), Money.format(p.storedValueFen())));
        }
        if (p.pointsReturned() > 0) {
            shown.add(new Figure(text("refund.screen.preview.pointsReturned"),
                    text("refund.screen.points.plus", p.pointsReturned(), Money.format(p.pointsValueFen()))));
        }
        if (p.pointsClawedBack() > 0) {
            shown.add(new Figure(text("refund.screen.preview.pointsClawedBack"),
                    text("refund.screen.points.minus", p.pointsClawedBack())));
        }
        if (p.pointsForgiven() > 0) {
            shown.add(new Figure(text("refund.screen.preview.pointsForgiven"), String.valueOf(p.pointsForgiven())));
        }
        if (p.discountFen() > 0) {
            shown.add(new Figure(text("refund.screen.preview.discount"), Money.format(p.discountFen())));
        }
        figures.setAll(shown);
        previewNote.set("");
        couponText.set(coupon(p));
        // a void that takes a tier raise back says so before it is approved, in the words its result will use
        tierText.set(p.upgradeUndoneMessage().map(m -> m.format(messages.bundle())).orElse(""));
        preview.set(p);
    }

    private String coupon(Refunds.Preview p) {
        return switch (p.coupon()) {
            case NONE -> "";
            case RESTORED -> text("refund.screen.coupon.restored", p.couponCode());
            case STAYS_USED -> text("refund.screen.coupon.staysUsed", p.couponCode());
            case FORFEITED -> text("refund.screen.coupon.forfeited", p.couponCode());
            case EXPIRED -> text("refund.screen.coupon.expired", p.couponCode());
            case NOT_HELD -> text("refund.screen.coupon.notHeld", p.couponCode());
        };
    }

    /**
     * Voids or refunds what the preview shows, as the member of staff signed in, once the manager's staff id and PIN
     * check out (as on the command line: wrong PINs counted, the account locked after five). A wrong PIN or a refusal
     * says why and writes nothing.
     */
    public void confirm() {
        Refunds.Preview p = preview.get();
        Refunds.Found f = found;
        if (p == null || f == null || tasks.busyProperty().get()) {
            return;
        }
        Staff cashier = status.cashier();
        showCashier(cashier);
        if (cashier == null) {
            messages.error(new UserMessage("refund.screen.signedOut"));
            return;
        }
        String id = managerId.get() == null ? "" : managerId.get().strip();
        String pin = managerPin.get() == null ? "" : managerPin.get();
        if (id.isEmpty() || pin.isEmpty()) {
            messages.error(new UserMessage("refund.screen.managerRequired"));
            return;
        }
        String receipt = f.receiptNo();
        // the PIN's hash is slow on purpose: the cashier sees that something is under way
        messages.info(new UserMessage("refund.screen.working"));
        tasks.run(() -> {
            Staff manager = staff.authenticate(id, pin, StaffRole.MANAGER);
            RefundReceipt r = p.kind() == RefundKind.VOID ? refunds.voidCheckout(receipt, cashier, manager)
                    : refunds.refund(receipt, p.lines(), cashier, manager);
            Optional<Refunds.Found> after;
            try {
                after = Optional.of(refunds.find(receipt));
            } catch (RuntimeException unreadable) {
                after = Optional.empty(); // done all the same; the receipt is read again when it is next opened
            }
            return new Done(r, after, status.readPending());
        }, done -> {
            managerPin.set("");
            RefundReceipt r = done.receipt();
            UserMessage said = new UserMessage(r.kind() == RefundKind.VOID ? "refund.screen.voided" : "refund.screen.refunded",
                    r.refundNo(), r.receiptNo(), Money.format(r.payableFen()), givenAndTakenBack(r));
            // a void that took a tier raise back says so: the member may ask, and the perk they were given is gone
            UserMessage upgrade = r.upgradeUndoneMessage().orElse(null);
            if (upgrade != null) {
                said = new UserMessage("refund.screen.withUpgradeUndone", said, upgrade);
            }
            done.after().ifPresentOrElse(this::show, this::clear);
            messages.success(said);
            counter.success(said);
            takenBack.accept(r.receiptNo());
            status.showPending(done.pending());
            reversals.set(reversals.get() + 1);
            panel.refunded(f.checkout().memberId(), () -> refunded.accept(r));
        }, refused -> {
            managerPin.set("");
            messages.error(refused);
        });
    }

    /** What else went back besides the money handed back, only what did ({@link RefundReceipt#besidesMoney}). */
    private String givenAndTakenBack(RefundReceipt r) {
        StringBuilder out = new StringBuilder();
        r.besidesMoney().forEach(m -> out.append(text(m.key(), m.args())));
        return out.toString();
    }

    private record Done(RefundReceipt receipt, Optional<Refunds.Found> after, long pending) {
    }

    private void showCashier(Staff cashier) {
        cashierText.set(cashier == null ? text("refund.screen.noCashier")
                : text("refund.screen.cashier", cashier.name(), cashier.id()));
    }

    /** Told of each void or refund once it is committed (on the UI thread): the window prints and shows its receipt. */
    public void onRefunded(Consumer<RefundReceipt> listener) {
        this.refunded = listener;
    }

    private String text(String key, Object... args) {
        return messages.text(key, args);
    }

    public ResourceBundle bundle() { return messages.bundle(); }
    public StringProperty receiptNoProperty() { return receiptNo; }
    public ReadOnlyStringProperty cashierTextProperty() { return cashierText; }
    public ReadOnlyBooleanProperty loadedProperty() { return loaded; }
    /** Changes each time a receipt number was looked up, found or not: the next scan or typing replaces the number. */
    public ReadOnlyIntegerProperty lookupsProperty() { return lookups; }
    /** Changes each time a void or refund was made here: the next receipt may be scanned at once. */
    public ReadOnlyIntegerProperty reversalsProperty() { return reversals; }
    /** A receipt is shown and some of its lines are not refunded yet. */
    public ReadOnlyBooleanProperty linesLeftProperty() { return linesLeft; }
    public ReadOnlyStringProperty receiptTextProperty() { return receiptText; }
    public ReadOnlyStringProperty memberTextProperty() { return memberText; }
    public ReadOnlyStringProperty paidTextProperty() { return paidText; }
    public ObservableList<LineRow> lines() { return linesView; }
    /** Void the whole checkout, or refund the lines ticked. */
    public ObjectProperty<RefundKind> kindProperty() { return kind; }
    public ReadOnlyBooleanProperty voidAllowedProperty() { return voidAllowed; }
    /** Why the checkout cannot be voided, when it cannot. */
    public ReadOnlyStringProperty voidNoteProperty() { return voidNote; }
    /** What will be reversed: empty until something is chosen and worked out. */
    public ObservableList<Figure> figures() { return figuresView; }
    /** What becomes of the checkout's coupon; empty when it used none. */
    public ReadOnlyStringProperty couponTextProperty() { return couponText; }
    /** The tier raise the void takes back, and the perks it voids; empty when it takes none back. */
    public ReadOnlyStringProperty tierTextProperty() { return tierText; }
    /** Said where the figures go while there are none: tick a line, or being worked out. */
    public ReadOnlyStringProperty previewNoteProperty() { return previewNote; }
    public ReadOnlyObjectProperty<Refunds.Preview> previewProperty() { return preview; }
    public StringProperty managerIdProperty() { return managerId; }
    public StringProperty managerPinProperty() { return managerPin; }
    public ReadOnlyStringProperty confirmTextProperty() { return confirmText; }
    /** A preview is shown and nothing is under way: the manager may approve it. */
    public BooleanBinding canConfirmProperty() { return canConfirm; }
    public ReadOnlyBooleanProperty busyProperty() { return tasks.busyProperty(); }
    public ReadOnlyStringProperty messageProperty() { return messages.messageProperty(); }
    public ReadOnlyObjectProperty<CounterMessages.Kind> messageKindProperty() { return messages.kindProperty(); }
}
