package dev.counterpoint.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.checkout.RefundReceipt;
import dev.counterpoint.checkout.Refunds;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.receipt.ReceiptDesk;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "refund", description = {"Refund a checkout, whole or chosen lines, with a manager's approval.",
        "Standard input: the staff member's PIN, then the manager's. Every effect of the lines is reversed in one",
        "transaction (docs/loyalty.md). A receipt made at another store or terminal is read from head office (online only).",
        "--print prints the refund receipt (its text, when no printer is set up).",
        "Exit 0 refunded; 1 refused (nothing written); 5 no manager, or staff or manager unknown, locked or PIN wrong."})
public final class RefundCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RECEIPT_NO", description = "The checkout's receipt number.")
    String receiptNo;

    @Option(names = "--line", paramLabel = "N", description = "A line to refund, numbered from 1 (repeat; none: every line left).")
    List<Integer> lines = new ArrayList<>();

    @Option(names = "--staff", required = true, paramLabel = "ID", description = "Who makes the refund.")
    String staff;

    @Option(names = "--manager", paramLabel = "ID", description = "The approving manager (required).")
    String manager;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Option(names = "--print", description = "Print the refund receipt on the receipt printer.")
    boolean print;

    @Override
    public Integer call() throws Exception {
        try (TerminalWiring wiring = root.openWiring()) {
            return new TakeBack(wiring.staffAccounts(), wiring.refunds(), wiring.receiptDesk(), wiring.json())
                    .run(root, spec, staff, manager, json, print,
                            (refunds, cashier, approver) -> refunds.refund(receiptNo, lines, cashier, approver));
        }
    }

    /** What a void and a refund share: two people's PINs, then the reversal and its receipt. */
    static final class TakeBack {
        interface Action {
            RefundReceipt apply(Refunds refunds, Staff cashier, Staff manager);
        }

        private final StaffAccounts staffAccounts;
        private final Refunds refunds;
        private final ReceiptDesk receiptDesk;
        private final ObjectMapper mapper;

        /** With the services a void and a refund take. */
        TakeBack(StaffAccounts staffAccounts, Refunds refunds, ReceiptDesk receiptDesk, ObjectMapper mapper) {
            this.staffAccounts = staffAccounts;
            this.refunds = refunds;
            this.receiptDesk = receiptDesk;
            this.mapper = mapper;
        }

        int run(CommandRoot root, CommandSpec spec, String staff, String manager, boolean json, boolean print,
                Action action) throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ResourceBundle b = Messages.bundle(root.locale());
            if (manager == null || manager.isBlank()) {
                err.println(new UserMessage("refund.error.managerRequired").format(b));
                return ExitCodes.NOT_APPROVED;
            }
            Optional<Staff> cashier = ManagerApproval.staff(staffAccounts, root, staff, StaffRole.CASHIER, err, b);
            if (cashier.isEmpty()) {
                return ExitCodes.NOT_APPROVED;
            }
            Optional<Staff> approver = ManagerApproval.manager(staffAccounts, root, manager, err, b);
            if (approver.isEmpty()) {
                return ExitCodes.NOT_APPROVED;
            }
            RefundReceipt r;
            try {
                r = action.apply(refunds, cashier.get(), approver.get());
            } catch (BusinessRuleException e) {
                err.println(e.userMessage().format(b));
                return ExitCodes.REFUSED;
            }
            if (json) {
                out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(document(r)));
            } else {
                StringBuilder besides = new StringBuilder();
                r.besidesMoney().forEach(m -> besides.append(m.format(b)));
                out.println(new UserMessage("cli.refund.done", r.refundNo(), r.receiptNo(), Money.format(r.grossFen()),
                        Money.format(r.payableFen()), besides.toString()).format(b));
                r.upgradeUndoneMessage().ifPresent(m -> out.println(m.format(b)));
            }
            Receipting.issue(receiptDesk, out, err, b, print, () -> receiptDesk.receipts().refund(r));
            out.flush();
            return ExitCodes.OK;
        }
    }

    static Map<String, Object> document(RefundReceipt r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("refund_no", r.refundNo());
        doc.put("receipt_no", r.receiptNo());
        doc.put("kind", r.kind().name());
        doc.put("lines", r.lines());
        doc.put("gross_fen", r.grossFen());
        doc.put("discount_fen", r.discountFen());
        doc.put("points_value_fen", r.pointsValueFen());
        doc.put("stored_value_fen", r.storedValueFen());
        doc.put("payable_fen", r.payableFen());
        doc.put("points_returned", r.pointsReturned());
        doc.put("points_clawed_back", r.pointsClawedBack());
        doc.put("points_forgiven", r.pointsForgiven());
        doc.put("coupon_code", r.couponCode());
        doc.put("coupon_restored", r.couponRestored());
        doc.put("complete", r.complete());
        doc.put("points_balance", r.pointsBalance());
        doc.put("stored_value_balance_fen", r.storedValueBalanceFen());
        doc.put("upgrade_undone", upgradeUndone(r.upgradeUndone()));
        return doc;
    }

    /** The tier raise a void took back and the perk coupons it voided, by code (decision 0091); null: none. */
    private static Map<String, Object> upgradeUndone(Event.UpgradeUndone u) {
        if (u == null) {
            return null;
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("from_tier", u.fromTier().name());
        doc.put("to_tier", u.toTier().name());
        doc.put("perks_voided", u.perksVoided());
        return doc;
    }

}
