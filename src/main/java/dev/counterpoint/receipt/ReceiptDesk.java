package dev.counterpoint.receipt;

import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where receipts are laid out and printed: the one layout at the configured width, encoded for ESC/POS and sent to the
 * configured printer. Printing never throws and never touches the sale: it comes after the checkout is committed, and a
 * printer that is off, unplugged or missing only makes the outcome say so (the receipt can be printed again).
 */
public final class ReceiptDesk {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptDesk.class);

    public enum Status {
        /** The printer took the receipt. */
        PRINTED,
        /** It could not: the reason is in the message. */
        FAILED,
        /** No printer is set up: the receipt is only shown. */
        NO_PRINTER,
        /** Not sent (automatic printing is off): shown only. */
        NOT_PRINTED
    }

    /** A receipt laid out, and what became of it. */
    public record Outcome(ReceiptDoc doc, ReceiptLayout layout, int width, Status status, UserMessage message) {
        public List<ReceiptLayout.Row> rows() {
            return layout.render(width);
        }

        public String plainText() {
            return layout.plainText(width);
        }
    }

    private final Receipts receipts;
    private final ReceiptFormatter formatter;
    private final String storeName;
    private final Function<PrinterSettings, Optional<ReceiptPrinter>> printers;
    private volatile PrinterSettings settings;

    /**
     * @param printers the printer the settings name (empty for none); {@link #printerFor} in the terminal, a fake in tests
     */
    public ReceiptDesk(Receipts receipts, Locale locale, String storeName, PrinterSettings settings,
                       Function<PrinterSettings, Optional<ReceiptPrinter>> printers) {
        this.receipts = receipts;
        this.formatter = new ReceiptFormatter(Messages.bundle(locale));
        this.storeName = storeName;
        this.settings = settings;
        this.printers = printers;
    }

    /** The printer the settings name: a serial port, a printer of the operating system, or none. */
    public static Optional<ReceiptPrinter> printerFor(PrinterSettings s) {
        return switch (s.kind()) {
            case SERIAL -> Optional.of(new SerialReceiptPrinter(s.port(), s.baud()));
            case SYSTEM -> Optional.of(new SystemReceiptPrinter(s.printerName()));
            case NONE -> Optional.empty();
        };
    }

    public Receipts receipts() {
        return receipts;
    }

    public PrinterSettings settings() {
        return settings;
    }

    /** Uses these printer settings from now on (saving them is {@link PrinterSettings#save}). */
    public void use(PrinterSettings newSettings) {
        this.settings = newSettings;
    }

    /** After a checkout, refund or close: printed if the settings print by themselves, else only laid out. */
    public Outcome issue(Receipts.Made made) {
        return withoutPrinting(made).orElseGet(() -> print(made));
    }

    /**
     * What {@link #issue} gives when it sends nothing to a printer (automatic printing is off, or no printer is set up):
     * the receipt laid out only. Empty when it would print.
     */
    public Optional<Outcome> withoutPrinting(Receipts.Made made) {
        PrinterSettings s = settings;
        if (!s.autoPrint()) {
            return Optional.of(show(made, Status.NOT_PRINTED));
        }
        return printers.apply(s).isEmpty() ? Optional.of(show(made, Status.NO_PRINTER)) : Optional.empty();
    }

    /** Laid out and sent to the printer (a receipt printed before is marked as a reprint). */
    public Outcome print(Receipts.Made made) {
        PrinterSettings s = settings;
        Optional<ReceiptPrinter> printer = printers.apply(s);
        if (printer.isEmpty()) {
            return show(made, Status.NO_PRINTER);
        }
        ReceiptLayout layout = formatter.layout(made.doc(), made.printedBefore());
        try {
            printer.get().send(EscPos.encode(layout.render(s.width())));
        } catch (ReceiptPrinter.PrintFailure f) {
            LOG.warn("receipt {} not printed on {}: {}", made.doc().number(), s.where(), f.reason().key(), f);
            return new Outcome(made.doc(), layout, s.width(), Status.FAILED,
                    new UserMessage("receipt.print.failed", made.doc().number(), f.reason()));
        } catch (RuntimeException e) {
            LOG.error("receipt {} not printed on {}", made.doc().number(), s.where(), e);
            return new Outcome(made.doc(), layout, s.width(), Status.FAILED,
                    new UserMessage("receipt.print.failed", made.doc().number(),
                            new UserMessage("receipt.printer.unexpected", s.where())));
        }
        try {
            receipts.printed(made.doc());
        } catch (RuntimeException e) {
            LOG.warn("receipt {} printed, but the count of its prints was not kept", made.doc().number(), e);
        }
        return new Outcome(made.doc(), layout, s.width(), Status.PRINTED,
                new UserMessage(made.printedBefore() ? "receipt.print.reprinted" : "receipt.print.done",
                        made.doc().number(), s.where()));
    }

    /** Laid out only. */
    public Outcome show(Receipts.Made made, Status status) {
        PrinterSettings s = settings;
        String key = status == Status.NO_PRINTER ? "receipt.print.none" : "receipt.print.notAsked";
        return new Outcome(made.doc(), formatter.layout(made.doc(), made.printedBefore()), s.width(), status,
                new UserMessage(key, made.doc().number()));
    }

    /** Prints a test page with settings not yet saved; the message says how it went. */
    public UserMessage testPrint(PrinterSettings candidate) {
        Optional<ReceiptPrinter> printer = printers.apply(candidate);
        if (printer.isEmpty()) {
            return new UserMessage("receipt.test.noPrinter");
        }
        try {
            printer.get().send(EscPos.encode(formatter.testPage(storeName, candidate).render(candidate.width())));
            return new UserMessage("receipt.test.sent", candidate.where());
        } catch (ReceiptPrinter.PrintFailure f) {
            return new UserMessage("receipt.test.failed", f.reason());
        } catch (RuntimeException e) {
            LOG.error("test print on {} failed", candidate.where(), e);
            return new UserMessage("receipt.test.failed", new UserMessage("receipt.printer.unexpected", candidate.where()));
        }
    }
}
