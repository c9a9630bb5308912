package dev.counterpoint.cli;

import dev.counterpoint.receipt.ReceiptDesk;
import dev.counterpoint.receipt.Receipts;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "reprint", description = {"Print a receipt again on the receipt printer.",
        "This terminal's last one (its newest checkout, void or refund), or the one with RECEIPT_NO (a receipt or refund",
        "number). It says what the first print said, member lines included, and is marked as a reprint once a print of it",
        "has reached the printer. With no printer set up, or with --text, its text goes to standard output.",
        "Exit 0 printed or shown; 3 no such receipt; 7 the printer could not print it."})
public final class ReprintCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RECEIPT_NO", arity = "0..1", description = "A receipt or refund number (default: the last one).")
    String number;

    @Option(names = "--text", description = "Write the receipt's text to standard output instead of printing it.")
    boolean text;

    @Override
    public Integer call() {
        try (TerminalWiring wiring = root.openWiring()) {
            return reprint(wiring.receiptDesk());
        }
    }

    /** The reprint, with the receipt desk alone. */
    int reprint(ReceiptDesk receiptDesk) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle b = Messages.bundle(root.locale());
        Receipts receipts = receiptDesk.receipts();
        Optional<Receipts.Made> made = number == null ? receipts.last() : receipts.find(number);
        if (made.isEmpty()) {
            err.println((number == null ? new UserMessage("cli.reprint.none")
                    : new UserMessage("cli.reprint.unknown", number)).format(b));
            return ExitCodes.NOT_FOUND;
        }
        if (text) {
            out.print(receiptDesk.show(made.get(), ReceiptDesk.Status.NOT_PRINTED).plainText());
            out.flush();
            return ExitCodes.OK;
        }
        ReceiptDesk.Outcome o = Receipting.print(receiptDesk, out, err, b, made.get());
        out.flush();
        return o.status() == ReceiptDesk.Status.FAILED ? ExitCodes.NOT_PRINTED : ExitCodes.OK;
    }
}
