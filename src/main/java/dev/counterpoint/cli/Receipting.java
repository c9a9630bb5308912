package dev.counterpoint.cli;

import dev.counterpoint.receipt.ReceiptDesk;
import dev.counterpoint.receipt.Receipts;
import dev.counterpoint.shared.UserMessage;
import java.io.PrintWriter;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the commands that make a receipt share: it is made (and kept for reprints) after the action is committed. */
final class Receipting {
    private static final Logger LOG = LoggerFactory.getLogger(Receipting.class);

    private Receipting() {}

    /**
     * Makes the receipt of an action already committed and, with {@code print}, prints it (its text to {@code out}
     * when no printer is set up). Nothing here undoes the action: a receipt that cannot be made or printed is told on
     * {@code err}. Returns the outcome, or null when none was printed.
     */
    static ReceiptDesk.Outcome issue(ReceiptDesk desk, PrintWriter out, PrintWriter err, ResourceBundle b, boolean print,
                                     Supplier<Receipts.Made> make) {
        Receipts.Made made;
        try {
            made = make.get();
        } catch (RuntimeException e) {
            LOG.error("a receipt could not be made", e);
            err.println(new UserMessage("cli.receipt.notMade").format(b));
            return null;
        }
        return print ? print(desk, out, err, b, made) : null;
    }

    static ReceiptDesk.Outcome print(ReceiptDesk desk, PrintWriter out, PrintWriter err, ResourceBundle b,
                                     Receipts.Made made) {
        ReceiptDesk.Outcome o = desk.print(made);
        switch (o.status()) {
            case NO_PRINTER -> out.print(o.plainText());
            case FAILED -> err.println(o.message().format(b));
            default -> out.println(o.message().format(b));
        }
        return o;
    }
}
