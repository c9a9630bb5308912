package dev.counterpoint.cli;

import dev.counterpoint.member.Member;
import dev.counterpoint.shared.BusinessRuleException;
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

@Command(name = "member-erase", description = {"Erase a member's personal data (an erasure request made at the counter; needs",
        "the manager PIN): name, phone, birthday, consent and purchased items go here at once, and at head office and",
        "every store at their next sync. Points, stored value, coupons and purchase totals stay, anonymous. It cannot",
        "be undone. Exit 0 erased (or erased before), 3 unknown card, 5 manager unknown, locked or PIN wrong."})
public final class MemberEraseCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CARD", description = "The member's card code.")
    String card;

    @Option(names = "--manager", required = true, paramLabel = "ID",
            description = "The approving manager's staff id (their PIN: the next line of standard input).")
    String manager;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (TerminalWiring ctx = root.openWiring()) {
            ResourceBundle b = Messages.bundle(ctx.locale());
            if (ManagerApproval.manager(ctx, root, manager, err, b).isEmpty()) {
                return ExitCodes.NOT_APPROVED;
            }
            Optional<Member> member = ctx.memberService().findByCode(card);
            if (member.isEmpty()) {
                if (ctx.memberService().erasedCard(card).isPresent()) {
                    out.println(new UserMessage("memberErase.already", card).format(b));
                    return ExitCodes.OK;
                }
                err.println(new UserMessage("lookup.notFound", card).format(b));
                return ExitCodes.NOT_FOUND;
            }
            try {
                ctx.memberService().erase(member.get().id(), manager);
            } catch (BusinessRuleException e) {
                err.println(e.userMessage().format(b));
                return ExitCodes.REFUSED;
            }
            out.println(new UserMessage("memberErase.done", member.get().cardCode()).format(b));
            return ExitCodes.OK;
        }
    }
}
