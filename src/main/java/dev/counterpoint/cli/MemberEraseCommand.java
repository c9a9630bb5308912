package dev.counterpoint.cli;

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
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "member-erase", description = {"Erase a member's personal data, with the manager PIN.",
        "An erasure request made at the counter: name, phone, birthday, consent and purchased items go here at once, and at",
        "head office and every store at their next sync. Points, stored value, coupons and purchase totals stay, anonymous.",
        "It cannot be undone. Exit 0 erased (or erased before), 3 unknown card, 5 manager unknown, locked or PIN wrong."})
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
        try (TerminalWiring wiring = root.openWiring()) {
            return erase(wiring.staffAccounts(), wiring.memberService());
        }
    }

    /** The erasure, with the services it takes. */
    int erase(StaffAccounts staffAccounts, MemberService members) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle b = Messages.bundle(root.locale());
        if (ManagerApproval.manager(staffAccounts, root, manager, err, b).isEmpty()) {
            return ExitCodes.NOT_APPROVED;
        }
        Optional<Member> member = members.findByCode(card);
        if (member.isEmpty()) {
            if (members.erasedCard(card).isPresent()) {
                out.println(new UserMessage("memberErase.already", card).format(b));
                return ExitCodes.OK;
            }
            err.println(new UserMessage("lookup.notFound", card).format(b));
            return ExitCodes.NOT_FOUND;
        }
        try {
            members.erase(member.get().id(), manager);
        } catch (BusinessRuleException e) {
            err.println(e.userMessage().format(b));
            return ExitCodes.REFUSED;
        }
        out.println(new UserMessage("memberErase.done", member.get().cardCode()).format(b));
        return ExitCodes.OK;
    }
}
