package dev.counterpoint.cli;

import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.member.Member;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.wiring.TerminalWiring;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "coupon", description = {"Manager coupon actions: --manager ID names the manager, whose PIN is read from",
        "standard input. Exit 0 done, 1 refused, 3 unknown card or coupon, 5 manager unknown, locked or PIN wrong."},
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
            try (TerminalWiring ctx = parent.root.openWiring()) {
                ResourceBundle b = Messages.bundle(ctx.locale());
                if (ManagerApproval.manager(ctx, parent.root, manager, spec.commandLine().getErr(), b).isEmpty()) {
                    return ExitCodes.NOT_APPROVED;
                }
                try {
                    spec.commandLine().getOut().println(act(ctx).format(b));
                    return ExitCodes.OK;
                } catch (BusinessRuleException e) {
                    spec.commandLine().getErr().println(e.userMessage().format(b));
                    return NOT_FOUND_KEYS.contains(e.userMessage().key()) ? ExitCodes.NOT_FOUND : ExitCodes.REFUSED;
                }
            }
        }

        abstract UserMessage act(TerminalWiring ctx);
    }

    @Command(name = "issue", description = "Give a member a coupon from a template.")
    static final class Issue extends ManagerAction {
        @Parameters(index = "0", paramLabel = "CARD", description = "The member's card code.")
        String card;

        @Parameters(index = "1", paramLabel = "TEMPLATE", description = "The template id, e.g. BEANS_10.")
        String template;

        @Override
        UserMessage act(TerminalWiring ctx) {
            Optional<Member> m = ctx.database().jdbi().withHandle(h -> ctx.memberRepository().findByCode(h, card.strip()));
            if (m.isEmpty()) {
                throw new BusinessRuleException("lookup.notFound", card);
            }
            Coupon c = ctx.couponService().issueManual(m.get().id(), template.strip(), manager);
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
        UserMessage act(TerminalWiring ctx) {
            Coupon c = ctx.couponService().voidCoupon(code, reason, manager);
            return new UserMessage("cli.coupon.voided", c.code());
        }
    }
}
