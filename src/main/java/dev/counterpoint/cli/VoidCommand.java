package dev.counterpoint.cli;

import dev.counterpoint.wiring.TerminalWiring;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "void", description = {"Void a checkout made at this terminal today, with a manager's approval.",
        "Nothing of it may be refunded yet. Standard input: the staff member's PIN, then the manager's. It is reversed whole",
        "and left out of the day's sales. --print prints its receipt.",
        "Exit 0 voided; 1 refused (nothing written); 5 no manager, or a PIN wrong."})
public final class VoidCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RECEIPT_NO", description = "The checkout's receipt number.")
    String receiptNo;

    @Option(names = "--staff", required = true, paramLabel = "ID", description = "Who makes the void.")
    String staff;

    @Option(names = "--manager", paramLabel = "ID", description = "The approving manager (required).")
    String manager;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Option(names = "--print", description = "Print the void's receipt on the receipt printer.")
    boolean print;

    @Override
    public Integer call() throws Exception {
        try (TerminalWiring wiring = root.openWiring()) {
            return new RefundCommand.TakeBack(wiring.staffAccounts(), wiring.refunds(), wiring.receiptDesk(),
                    wiring.json()).run(root, spec, staff, manager, json, print,
                            (refunds, cashier, approver) -> refunds.voidCheckout(receiptNo, cashier, approver));
        }
    }
}
