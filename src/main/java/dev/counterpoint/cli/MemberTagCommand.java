package dev.counterpoint.cli;

import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.member.MemberTags;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
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

@Command(name = "member-tag", description = {"Add or remove one of a member's custom tags, as a manager.",
        "The manager's PIN is the next line of standard input. A tag is 1 to 16 letters, digits, spaces, - or _, never an",
        "automatic tag's name; a member holds at most 20. Head office keeps the latest change of each tag, so stores that",
        "tag the same member offline agree once they sync; campaigns select members by their tags (decision 0077).",
        "Exit 0 done (or already so); 1 refused (an erased member, a bad tag, too many tags); 2 bad usage;",
        "3 unknown card; 5 manager unknown, locked or PIN wrong."})
public final class MemberTagCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CARD", description = "The member's card code.")
    String card;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Change change;

    static final class Change {
        @Option(names = "--add", paramLabel = "TAG", description = "The tag to turn on.")
        String add;

        @Option(names = "--remove", paramLabel = "TAG", description = "The tag to turn off.")
        String remove;
    }

    @Option(names = "--manager", required = true, paramLabel = "ID",
            description = "The manager's staff id (their PIN: the next line of standard input).")
    String manager;

    @Override
    public Integer call() {
        try (TerminalWiring wiring = root.openWiring()) {
            return tag(wiring.memberService(), wiring.staffAccounts(), wiring.memberTags());
        }
    }

    /** The change, with the member service, the staff accounts and the member's tags alone. */
    int tag(MemberService members, StaffAccounts staffAccounts, MemberTags tags) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle b = Messages.bundle(root.locale());
        boolean on = change.add != null;
        String tag = on ? change.add : change.remove;
        Optional<Staff> approved = ManagerApproval.manager(staffAccounts, root, manager, err, b);
        if (approved.isEmpty()) {
            return ExitCodes.NOT_APPROVED;
        }
        Optional<Member> member = members.findByCode(card);
        if (member.isEmpty()) {
            if (members.erasedCard(card).isPresent()) {
                err.println(new UserMessage("member.error.erased").format(b));
                return ExitCodes.REFUSED;
            }
            err.println(new UserMessage("lookup.notFound", card).format(b));
            return ExitCodes.NOT_FOUND;
        }
        MemberTags.Outcome done;
        try {
            done = tags.set(member.get().id(), tag, on, approved.get());
        } catch (BusinessRuleException e) {
            err.println(e.userMessage().format(b));
            return ExitCodes.REFUSED;
        }
        String key = !done.changed() ? "memberTag.unchanged" : on ? "memberTag.added" : "memberTag.removed";
        out.println(new UserMessage(key, done.tag(), member.get().cardCode()).format(b));
        out.println(new UserMessage("memberTag.now", done.tags().isEmpty()
                ? new UserMessage("memberTag.none").format(b) : String.join(" · ", done.tags())).format(b));
        return ExitCodes.OK;
    }
}
