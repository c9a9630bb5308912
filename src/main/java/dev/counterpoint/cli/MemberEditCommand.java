package dev.counterpoint.cli;

import dev.counterpoint.app.AppContext;
import dev.counterpoint.member.Member;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import java.io.PrintWriter;
import java.text.MessageFormat;
import java.time.LocalDate;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "member-edit", description = {"Edit a member's name or birthday. Edits made at several stores offline",
        "are settled by head office: the latest edit of each field wins."})
public final class MemberEditCommand implements Callable<Integer> {
    @ParentCommand
    CounterpointCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CODE", description = "The member's card code.")
    String code;

    @Option(names = "--name", description = "New name.")
    String name;

    @Option(names = "--birthday", description = "New birthday (yyyy-MM-dd).")
    LocalDate birthday;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AppContext ctx = root.openContext()) {
            ResourceBundle bundle = Messages.bundle(ctx.locale());
            Optional<Member> member = ctx.memberService().findByCode(code);
            if (member.isEmpty()) {
                err.println(MessageFormat.format(bundle.getString("lookup.notFound"), code));
                return LookupCommand.EXIT_NOT_FOUND;
            }
            try {
                Member m = ctx.memberService().updateProfile(member.get().id(), name, birthday);
                out.println(new UserMessage("memberEdit.done", m.displayName(), m.cardCode(),
                        m.birthday() == null ? "—" : m.birthday().toString()).format(bundle));
                return 0;
            } catch (BusinessRuleException e) {
                err.println(e.userMessage().format(bundle));
                return 1;
            }
        }
    }
}
