package dev.counterpoint.receipt;

import dev.counterpoint.shared.UserMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.print.DocFlavor;
import javax.print.DocPrintJob;
import javax.print.PrintException;
import javax.print.PrintService;
import javax.print.PrintServiceLookup;
import javax.print.SimpleDoc;
import javax.print.attribute.HashPrintRequestAttributeSet;

/**
 * A receipt printer the operating system knows (Windows printer, CUPS queue), found by its name and sent the ESC/POS
 * bytes raw: the queue must pass them on unchanged (a "raw" or "Generic / Text Only" driver).
 */
public final class SystemReceiptPrinter implements ReceiptPrinter {
    private final String name;

    public SystemReceiptPrinter(String name) {
        this.name = name;
    }

    /** The names of the printers the operating system lists, for the settings screen. */
    public static List<String> names() {
        return Arrays.stream(PrintServiceLookup.lookupPrintServices(null, null)).map(PrintService::getName).sorted().toList();
    }

    @Override
    public void send(byte[] bytes) throws PrintFailure {
        Optional<PrintService> service = Arrays.stream(PrintServiceLookup.lookupPrintServices(null, null))
                .filter(s -> s.getName().equals(name)).findFirst();
        if (service.isEmpty()) {
            throw new PrintFailure(new UserMessage("receipt.printer.notFound", name), null);
        }
        DocPrintJob job = service.get().createPrintJob();
        try {
            job.print(new SimpleDoc(bytes, DocFlavor.BYTE_ARRAY.AUTOSENSE, null), new HashPrintRequestAttributeSet());
        } catch (PrintException e) {
            throw new PrintFailure(new UserMessage("receipt.printer.jobFailed", name, String.valueOf(e.getMessage())), e);
        }
    }
}
