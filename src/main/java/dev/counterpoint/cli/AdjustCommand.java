package dev.counterpoint.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.checkout.Adjustment;
import dev.counterpoint.checkout.Adjustments;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
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

@Command(name = "adjust", description = {"Correct a member's points or stored value by hand, with a manager's approval.",
        "For a lost paper voucher honoured, a till error found at close, goodwill points: made by --staff with a manager's",
        "approval (standard input: the staff member's PIN, then the manager's) and a reason, kept in the audit log: say what",
        "happened, not who the member is. Exactly one of --points N or --stored-value YUAN, either sign (--points=-500 or",
        "--points -500). A negative adjustment never takes stored value below zero, nor points below what the rules let a",
        "refund take them to; at most 10,000,000 points or ¥100,000 either way.",
        "Exit 0 adjusted; 1 refused (nothing written); 2 bad input; 3 unknown card; 5 no manager, or staff or manager",
        "unknown, locked or PIN wrong."})
public final class AdjustCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CARD", description = "The member's card code.")
    String card;

    @Option(names = "--points", paramLabel = "N", description = "Points to add (or, negative, to take).")
    String points;

    @Option(names = "--stored-value", paramLabel = "YUAN", description = "Stored value to add (or, negative, to take).")
    String storedValue;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (required; one line of up to 200 characters).")
    String reason;

    @Option(names = "--staff", required = true, paramLabel = "ID", description = "Who makes the adjustment.")
    String staff;

    @Option(names = "--manager", paramLabel = "ID", description = "The approving manager (required).")
    String manager;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (TerminalWiring wiring = root.openWiring()) {
            return adjust(wiring.memberService(), wiring.staffAccounts(), wiring.adjustments(), wiring.json());
        }
    }

    /** The adjustment, with the services it takes. */
    int adjust(MemberService members, StaffAccounts staffAccounts, Adjustments adjustments, ObjectMapper mapper)
            throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle b = Messages.bundle(root.locale());
        if ((points == null) == (storedValue == null)) {
            err.println(new UserMessage("adjust.error.oneKind").format(b));
            return ExitCodes.USAGE;
        }
        Adjustments.Kind kind = points != null ? Adjustments.Kind.POINTS : Adjustments.Kind.STORED_VALUE;
        Optional<Long> delta = kind == Adjustments.Kind.POINTS ? points(points) : fen(storedValue);
        if (delta.isEmpty()) {
            err.println(new UserMessage(kind == Adjustments.Kind.POINTS ? "adjust.error.pointsInvalid"
                    : "counter.error.amountInvalid", kind == Adjustments.Kind.POINTS ? points : storedValue).format(b));
            return ExitCodes.USAGE;
        }
        Optional<UserMessage> problem = Adjustments.problem(kind, delta.get(), reason);
        if (problem.isPresent()) {
            err.println(problem.get().format(b));
            return ExitCodes.USAGE;
        }
        if (manager == null || manager.isBlank()) {
            err.println(new UserMessage("adjust.error.managerRequired").format(b));
            return ExitCodes.NOT_APPROVED;
        }
        Optional<Member> member = members.findByCode(card);
        if (member.isEmpty()) {
            err.println(new UserMessage(members.erasedCard(card).isPresent() ? "counter.erased" : "lookup.notFound",
                    card).format(b));
            return ExitCodes.NOT_FOUND;
        }
        Optional<Staff> maker = ManagerApproval.staff(staffAccounts, root, staff, StaffRole.CASHIER, err, b);
        if (maker.isEmpty()) {
            return ExitCodes.NOT_APPROVED;
        }
        Optional<Staff> approver = ManagerApproval.manager(staffAccounts, root, manager, err, b);
        if (approver.isEmpty()) {
            return ExitCodes.NOT_APPROVED;
        }
        Adjustment a;
        try {
            a = adjustments.adjust(new Adjustments.Request(member.get().id(), kind, delta.get(), reason),
                    maker.get(), approver.get());
        } catch (BusinessRuleException e) {
            err.println(e.userMessage().format(b));
            return ExitCodes.REFUSED;
        }
        if (json) {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(document(a)));
        } else if (kind == Adjustments.Kind.POINTS) {
            out.println(new UserMessage("cli.adjust.donePoints", a.cardCode(), signed(a.delta()), a.balanceAfter(),
                    a.managerId()).format(b));
        } else {
            out.println(new UserMessage("cli.adjust.doneStoredValue", a.cardCode(),
                    (a.delta() > 0 ? "+" : "") + Money.format(a.delta()), Money.format(a.balanceAfter()),
                    a.managerId()).format(b));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** A whole number of points with an optional sign; empty for anything else. */
    static Optional<Long> points(String text) {
        String t = text.strip();
        if (!t.matches("[+-]?\\d{1,12}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(t.startsWith("+") ? t.substring(1) : t));
    }

    /** Yuan as {@link Money#parseYuan} reads it, with an optional sign, in fen; empty for anything else. */
    static Optional<Long> fen(String text) {
        String t = text.strip();
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        if (t.startsWith("-") || t.startsWith("+")) {
            return Optional.empty();
        }
        return Money.parseYuan(t).map(f -> negative ? -f : f);
    }

    private static String signed(long n) {
        return (n > 0 ? "+" : "") + n;
    }

    static Map<String, Object> document(Adjustment a) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("adjustment_id", a.adjustmentId().toString());
        doc.put("member_id", a.memberId().toString());
        doc.put("card_code", a.cardCode());
        doc.put("kind", a.kind().name());
        doc.put("delta", a.delta());
        doc.put("balance_after", a.balanceAfter());
        doc.put("reason", a.reason());
        doc.put("staff_id", a.staffId());
        doc.put("manager_id", a.managerId());
        doc.put("adjusted_at", a.adjustedAt().toString());
        return doc;
    }
}
