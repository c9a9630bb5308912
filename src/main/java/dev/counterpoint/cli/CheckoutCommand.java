package dev.counterpoint.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.checkout.CheckoutReceipt;
import dev.counterpoint.checkout.CheckoutRequest;
import dev.counterpoint.checkout.Checkouts;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.receipt.ReceiptDesk;
import dev.counterpoint.receipt.Receipts;
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
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "checkout", description = {"Ring up one checkout for a member, as one transaction.",
        "The basket, then a coupon, then points, then stored value; the rest is paid otherwise. Rung up by --staff (their",
        "PIN: the next line of standard input). Points are earned on what is left after the coupon and points",
        "(docs/loyalty.md). --print prints the receipt on the receipt printer (printer.properties); with none set up, its",
        "text goes to standard output. A printer that cannot print leaves the checkout done (exit 0) and says so: `reprint`",
        "prints it again.",
        "Exit 0 done; 1 refused (nothing written); 2 bad input; 3 unknown card; 5 staff unknown, locked or PIN wrong."})
public final class CheckoutCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CARD", description = "The member's card code.")
    String card;

    @Option(names = "--amount", paramLabel = "YUAN", description = "The basket's amount (with --item: their total, if given).")
    String amount;

    @Option(names = "--item", paramLabel = "SKU,CATEGORY,QTY,YUAN",
            description = "A line of the basket (repeat for more; CATEGORY may be empty).")
    List<String> items = new ArrayList<>();

    static final class Coupon {
        @Option(names = "--coupon", paramLabel = "CODE", description = "Use this coupon of the member's.")
        String code;

        @Option(names = "--best-coupon", description = "Use the member's coupon that takes most off this basket, if any.")
        boolean best;
    }

    @ArgGroup(exclusive = true)
    Coupon coupon;

    @Option(names = "--points", paramLabel = "N", defaultValue = "0", description = "Points to spend.")
    long points;

    @Option(names = "--stored-value", paramLabel = "YUAN", description = "Stored value to pay with.")
    String storedValue;

    @Option(names = "--staff", required = true, paramLabel = "ID", description = "The cashier's staff id.")
    String staff;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Option(names = "--print", description = "Print the receipt (its text, when no printer is set up).")
    boolean print;

    @Override
    public Integer call() throws Exception {
        try (TerminalWiring wiring = root.openWiring()) {
            return checkout(wiring.memberService(), wiring.staffAccounts(), wiring.checkouts(), wiring.receiptDesk(),
                    wiring.json());
        }
    }

    /** The sale, with the services it takes. */
    int checkout(MemberService members, StaffAccounts staffAccounts, Checkouts checkouts, ReceiptDesk receiptDesk,
                 ObjectMapper mapper) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle b = Messages.bundle(root.locale());
        Long amountFen = null;
        if (amount != null) {
            Optional<Long> parsed = Money.parseYuan(amount.strip());
            if (parsed.isEmpty()) {
                err.println(new UserMessage("counter.error.amountInvalid", amount).format(b));
                return ExitCodes.USAGE;
            }
            amountFen = parsed.get();
        }
        long svFen = 0;
        if (storedValue != null) {
            Optional<Long> parsed = Money.parseYuan(storedValue.strip());
            if (parsed.isEmpty()) {
                err.println(new UserMessage("counter.error.amountInvalid", storedValue).format(b));
                return ExitCodes.USAGE;
            }
            svFen = parsed.get();
        }
        List<PurchaseLine> lines = new ArrayList<>();
        for (String item : items) {
            Optional<PurchaseLine> line = line(item);
            if (line.isEmpty()) {
                err.println(new UserMessage("cli.checkout.badItem", item).format(b));
                return ExitCodes.USAGE;
            }
            lines.add(line.get());
        }
        if (amountFen == null && lines.isEmpty()) {
            err.println(new UserMessage("sale.error.amountRequired").format(b));
            return ExitCodes.USAGE;
        }
        Optional<Member> member = members.findByCode(card);
        if (member.isEmpty()) {
            err.println(new UserMessage(members.erasedCard(card).isPresent() ? "counter.erased" : "lookup.notFound",
                    card).format(b));
            return ExitCodes.NOT_FOUND;
        }
        Optional<Staff> cashier = ManagerApproval.staff(staffAccounts, root, staff, StaffRole.CASHIER, err, b);
        if (cashier.isEmpty()) {
            return ExitCodes.NOT_APPROVED;
        }
        CheckoutRequest.CouponChoice choice = coupon == null ? CheckoutRequest.CouponChoice.NONE
                : coupon.best ? CheckoutRequest.CouponChoice.BEST : new CheckoutRequest.CouponChoice.Code(coupon.code);
        Checkouts.Completed<Optional<Receipts.Made>> done;
        try {
            // the receipt is made and kept in the checkout's own transaction (decision 0078)
            done = checkouts.complete(new CheckoutRequest(member.get().id(), amountFen, lines, choice, points, svFen),
                    cashier.get(), receiptDesk.receipts()::keep);
        } catch (BusinessRuleException e) {
            err.println(e.userMessage().format(b));
            return ExitCodes.REFUSED;
        }
        CheckoutReceipt r = done.receipt();
        if (json) {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(document(r)));
        } else {
            out.println(new UserMessage("cli.checkout.done", r.receiptNo(), Money.format(r.grossFen()),
                    Money.format(r.payableFen()), r.pointsEarned()).format(b));
        }
        Receipting.issue(receiptDesk, out, err, b, print, () -> done.also().orElseGet(() -> receiptDesk.receipts().sale(r)));
        out.flush();
        return ExitCodes.OK;
    }

    /** {@code SKU,CATEGORY,QTY,YUAN}: one line of the basket. */
    static Optional<PurchaseLine> line(String item) {
        String[] parts = item.split(",", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        try {
            int qty = Integer.parseInt(parts[2].strip());
            Optional<Long> fen = Money.parseYuan(parts[3].strip());
            if (qty <= 0 || fen.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PurchaseLine(blankToNull(parts[0]), blankToNull(parts[1]), qty, fen.get()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static Map<String, Object> document(CheckoutReceipt r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("receipt_no", r.receiptNo());
        doc.put("member_id", r.memberId().toString());
        doc.put("staff_id", r.staffId());
        doc.put("completed_at", r.completedAt().toString());
        doc.put("lines", r.lines().stream().map(PurchaseLine::toPayload).toList());
        doc.put("gross_fen", r.grossFen());
        doc.put("coupon_code", r.couponCode());
        doc.put("discount_fen", r.discountFen());
        doc.put("points_redeemed", r.pointsRedeemed());
        doc.put("points_value_fen", r.pointsValueFen());
        doc.put("stored_value_fen", r.storedValueFen());
        doc.put("payable_fen", r.payableFen());
        doc.put("earning_base_fen", r.earningBaseFen());
        doc.put("points_earned", r.pointsEarned());
        doc.put("tier_before", r.tierBefore().name());
        doc.put("tier_after", r.tierAfter().name());
        doc.put("points_balance", r.pointsBalance());
        doc.put("stored_value_balance_fen", r.storedValueBalanceFen());
        return doc;
    }
}
