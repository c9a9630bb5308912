package dev.counterpoint.cli;

import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.CouponService;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "coupon", description = {"Issue or cancel a member's coupon, as a manager.",
        "--manager ID names the manager, whose PIN is read from standard input.",
        "Exit 0 done, 1 refused, 3 unknown card or coupon, 5 manager unknown, locked or PIN wrong."},
        subcommands = {CouponCommand.Issue.class, CouponCommand.Void.class})
public final class CouponCommand {
    @ParentCommand
    CommandRoot root;

    /** What no member or coupon answers to: not found, rather than refused by a rule. */
    private static final java.util.Set<String> NOT_FOUND_KEYS = java.util.Set.of("lookup.notFound", "coupon.error.unknown");

    abstract static class ManagerAction implements Callable<Integer> {
        @ParentCommand
        CouponCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--manager", required = true, paramLabel = "ID",
                description = "The approving manager's staff id (their PIN: the next line of standard input).")
        String manager;

        @Override
        public Integer call() {
            try (TerminalWiring wiring = parent.root.openWiring()) {
                return approved(wiring.staffAccounts(), action(wiring));
            }
        }

        /** The action, given the services it takes: each subcommand asks the wiring for its own. */
        abstract Supplier<UserMessage> action(TerminalWiring wiring);

        /** The action, once the manager's PIN is checked; what it did, or why not, said. */
        int approved(StaffAccounts staffAccounts, Supplier<UserMessage> action) {
            ResourceBundle b = Messages.bundle(parent.root.locale());
            PrintWriter err = spec.commandLine().getErr();
            if (ManagerApproval.manager(staffAccounts, parent.root, manager, err, b).isEmpty()) {
                return ExitCodes.NOT_APPROVED;
            }
            try {
                spec.commandLine().getOut().println(action.get().format(b));
                return ExitCodes.OK;
            } catch (BusinessRuleException e) {
                err.println(e.userMessage().format(b));
                return NOT_FOUND_KEYS.contains(e.userMessage().key()) ? ExitCodes.NOT_FOUND : ExitCodes.REFUSED;
            }
        }
    }

    @Command(name = "issue", description = "Give a member a coupon from a template.")
    static final class Issue extends ManagerAction {
        @Parameters(index = "0", paramLabel = "CARD", description = "The member's card code.")
        String card;

        @Parameters(index = "1", paramLabel = "TEMPLATE", description = "The template id, e.g. BEANS_10.")
        String template;

        @Override
        Supplier<UserMessage> action(TerminalWiring wiring) {
            MemberService members = wiring.memberService();
            CouponService coupons = wiring.couponService();
            return () -> issue(members, coupons);
        }

        UserMessage issue(MemberService members, CouponService coupons) {
            Optional<Member> m = members.findByCode(card);
            if (m.isEmpty()) {
                throw new BusinessRuleException("lookup.notFound", card);
            }
            Coupon c = coupons.issueManual(m.get().id(), template.strip(), manager);
            return new UserMessage("cli.coupon.issued", c.code(), m.get().displayName(), c.validUntil().toString());
        }
    }

    @Command(name = "void", description = "Cancel an issued coupon, with a reason.")
    static final class Void extends ManagerAction {
        @Parameters(index = "0", paramLabel = "CODE", description = "The coupon code.")
        String code;

        @Option(names = "--reason", required = true, description = "Why it is cancelled (recorded with the event).")
        String reason;

        @Override
        Supplier<UserMessage> action(TerminalWiring wiring) {
            CouponService coupons = wiring.couponService();
            return () -> new UserMessage("cli.coupon.voided", coupons.voidCoupon(code, reason, manager).code());
        }
    }
}
