package dev.counterpoint.receipt;

import dev.counterpoint.checkout.CheckoutReceipt;
import dev.counterpoint.checkout.CheckoutViewModel;
import dev.counterpoint.checkout.RefundReceipt;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.protocol.RefundKind;
import dev.counterpoint.report.ZReport;
import dev.counterpoint.shared.BackgroundTasks;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receipt preview without its controls: after a checkout (or a void or refund, a close of day, a reprint) the receipt as it
 * prints, row by row at the paper's width, and what became of the print. A checkout's receipt is made in the checkout's
 * own transaction and, when no printer is to take it first, shown with the checkout's result (decision 0078); every
 * print, and the receipts of other actions, are made on the preview's own executor after the action was committed, so a
 * slow or absent printer never holds the counter up.
 */
public final class ReceiptPreviewViewModel implements CheckoutViewModel.Receipting<ReceiptPreviewViewModel.Kept> {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptPreviewViewModel.class);

    /** A row as it prints: LARGE rows are double size (half as many columns), bold rows bold. */
    public record PreviewRow(String text, boolean large, boolean bold) {
    }

    private final ReceiptDesk desk;
    private final ResourceBundle bundle;
    private final BackgroundTasks tasks;

    private final ObservableList<PreviewRow> rows = FXCollections.observableArrayList();
    private final ObservableList<PreviewRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final StringProperty title = new SimpleStringProperty("");
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty statusIsError = new SimpleBooleanProperty(false);
    private final IntegerProperty width = new SimpleIntegerProperty(PrinterSettings.DEFAULT_WIDTH);
    /** Counts the receipts shown: the window opens (or comes forward) each time it changes. */
    private final IntegerProperty shown = new SimpleIntegerProperty(0);
    /** The receipt shown, for "print again"; UI thread only. */
    private ReceiptDesk.Outcome current;

    public ReceiptPreviewViewModel(ReceiptDesk desk, Locale locale, BackgroundTasks tasks) {
        this.desk = desk;
        this.bundle = Messages.bundle(locale);
        this.tasks = tasks;
        // the action itself was committed before: only its receipt is missing, and F4 makes it again
        tasks.reportFailuresTo(m -> say(new UserMessage("receipt.preview.unexpected"), true));
    }

    /** A checkout was committed (called on the UI thread): its receipt is made, printed if set so, and shown. */
    public void checkedOut(CheckoutReceipt receipt) {
        run(() -> desk.issue(desk.receipts().sale(receipt)));
    }

    /**
     * A checkout's receipt as its own transaction made and kept it (decision 0078), and, once committed, its rows as the
     * preview shows them when nothing is to be printed first.
     */
    public record Kept(Receipts.Made made, Prepared rows) {
    }

    /**
     * In the checkout's transaction, on the counter's database thread: the receipt made and its copy kept
     * ({@link Receipts#keep}); null when it is made after the commit instead.
     */
    @Override
    public Kept keep(Handle h, CheckoutReceipt receipt, RuleSet rules) {
        return desk.receipts().keep(h, receipt, rules).map(made -> new Kept(made, null)).orElse(null);
    }

    /**
     * After the commit, still on the database thread: a receipt that no printer is to take first is laid out for the
     * preview there, so that the UI thread shows it with the checkout's own result. One to be printed is left as kept: it
     * is printed on the receipts' thread and shown once the printer took it, as any other.
     */
    @Override
    public Kept prepare(Kept kept) {
        if (kept == null) {
            return null;
        }
        try {
            return desk.withoutPrinting(kept.made()).map(o -> new Kept(kept.made(), Prepared.of(o))).orElse(kept);
        } catch (RuntimeException e) {
            LOG.warn("receipt {} not laid out with its checkout; laid out on the receipts' thread", kept.made().doc().number(),
                    e);
            return kept;
        }
    }

    /**
     * A checkout was committed (called on the UI thread) with the receipt its transaction kept: shown at once when it was
     * laid out, else printed (as set) and shown from the receipts' thread; null: made there, as {@link #checkedOut}.
     */
    @Override
    public void show(CheckoutReceipt receipt, Kept kept) {
        if (kept == null) {
            checkedOut(receipt);
        } else if (kept.rows() != null) {
            show(kept.rows());
        } else {
            Receipts.Made made = kept.made();
            run(() -> desk.issue(made));
        }
    }

    /** A void or refund was committed (called on the UI thread): its receipt is made, printed if set so, and shown. */
    public void refunded(RefundReceipt receipt) {
        run(() -> desk.issue(desk.receipts().refund(receipt)));
    }

    /** A day was closed (or closed again): its Z-report, printed if set so, and shown. */
    public void dayClosed(ZReport report, long throughSeq, String digest, boolean confirmed, boolean reprint,
                          String managerId) {
        run(() -> desk.issue(desk.receipts().day(report, throughSeq, digest, confirmed, reprint, managerId)));
    }

    /** F4: this terminal's last receipt, printed again and shown. */
    public void reprintLast() {
        tasks.run(() -> desk.receipts().last().map(desk::print).map(Prepared::of),
                printed -> printed.ifPresentOrElse(this::show, () -> say(new UserMessage("cli.reprint.none"), true)));
    }

    /** Prints the receipt shown again (read again, so a copy that printed before is marked as a reprint). */
    public void printAgain() {
        ReceiptDesk.Outcome shownNow = current;
        if (shownNow == null) {
            reprintLast();
            return;
        }
        ReceiptDoc doc = shownNow.doc();
        run(() -> desk.print(doc.kind() == ReceiptDoc.Kind.DAY ? new Receipts.Made(doc, true)
                : desk.receipts().find(doc.number()).orElse(new Receipts.Made(doc, true))));
    }

    private void run(Callable<ReceiptDesk.Outcome> task) {
        tasks.run(() -> Prepared.of(task.call()), this::show);
    }

    /** A receipt with its rows as they print, rendered off the UI thread: the UI thread only shows them. */
    public record Prepared(ReceiptDesk.Outcome outcome, List<PreviewRow> rows) {
        static Prepared of(ReceiptDesk.Outcome o) {
            return new Prepared(o, o.rows().stream().map(r -> new PreviewRow(r.text(),
                    r.style() == ReceiptLayout.Style.LARGE, r.style() != ReceiptLayout.Style.NORMAL)).toList());
        }
    }

    private void show(Prepared prepared) {
        ReceiptDesk.Outcome o = prepared.outcome();
        current = o;
        rows.setAll(prepared.rows());
        width.set(o.width());
        title.set(new UserMessage(switch (o.doc().kind()) {
            case CHECKOUT -> "receipt.preview.sale";
            // a void's paper says VOID: its window's title says so too
            case REFUND -> o.doc() instanceof ReceiptDoc.Refund r && r.refundKind() == RefundKind.VOID
                    ? "receipt.preview.void" : "receipt.preview.refund";
            case DAY -> "receipt.preview.day";
        }, o.doc().number()).format(bundle));
        say(o.message(), o.status() == ReceiptDesk.Status.FAILED);
        shown.set(shown.get() + 1);
    }

    private void say(UserMessage m, boolean error) {
        status.set(m.format(bundle));
        statusIsError.set(error);
    }

    public ResourceBundle bundle() { return bundle; }
    public ObservableList<PreviewRow> rows() { return rowsView; }
    public ReadOnlyStringProperty titleProperty() { return title; }
    public ReadOnlyStringProperty statusProperty() { return status; }
    public ReadOnlyBooleanProperty statusIsErrorProperty() { return statusIsError; }
    /** The paper's width in columns of the receipt shown. */
    public ReadOnlyIntegerProperty widthProperty() { return width; }
    public ReadOnlyBooleanProperty busyProperty() { return tasks.busyProperty(); }
    public ReadOnlyIntegerProperty shownProperty() { return shown; }
}
