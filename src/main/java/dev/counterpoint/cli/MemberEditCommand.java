package dev.counterpoint.cli;

import dev.counterpoint.member.ConsentAnswer;
import dev.counterpoint.member.ConsentRecord;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.text.MessageFormat;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "member-edit", description = {"Edit a member's name, birthday or marketing consent.",
        "Edits made at several stores offline are settled by head office: the latest edit of each field (and each channel)",
        "wins.",
        "Exit 0 saved; 1 refused (an erased member, a blank name); 2 bad input; 3 unknown card."})
public final class MemberEditCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CODE", description = "The member's card code.")
    String code;

    @Option(names = "--name", description = "New name.")
    String name;

    @Option(names = "--birthday", description = "New birthday (yyyy-MM-dd).")
    LocalDate birthday;

    @Option(names = "--marketing-sms", paramLabel = "yes|no",
            description = "Whether the member agrees to marketing by SMS (yes/no, 1/0, 是/否).")
    String marketingSms;

    @Option(names = "--marketing-wechat", paramLabel = "yes|no",
            description = "Whether the member agrees to marketing by WeChat (yes/no, 1/0, 是/否).")
    String marketingWechat;

    @Option(names = "--staff", paramLabel = "ID",
            description = "Who took the consent, recorded with it: an active staff account of this store (optional).")
    String staff;

    @Override
    public Integer call() {
        try (TerminalWiring wiring = root.openWiring()) {
            return edit(wiring.memberService());
        }
    }

    /** The edit, with the member service alone. */
    int edit(MemberService members) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle bundle = Messages.bundle(root.locale());
        for (String[] flag : new String[][] {{"--marketing-sms", marketingSms}, {"--marketing-wechat", marketingWechat}}) {
            if (flag[1] != null && ConsentAnswer.parse(flag[1]).isEmpty()) {
                err.println(new UserMessage("memberEdit.badAnswer", flag[0], flag[1], ConsentAnswer.SPELLINGS)
                        .format(bundle));
                return ExitCodes.USAGE;
            }
        }
        Optional<Boolean> sms = Optional.ofNullable(marketingSms).flatMap(ConsentAnswer::parse);
        Optional<Boolean> wechat = Optional.ofNullable(marketingWechat).flatMap(ConsentAnswer::parse);
        Optional<Member> member = members.findByCode(code);
        if (member.isEmpty()) {
            if (members.erasedCard(code).isPresent()) {
                err.println(new UserMessage("member.error.erased").format(bundle));
                return ExitCodes.REFUSED;
            }
            err.println(MessageFormat.format(bundle.getString("lookup.notFound"), code));
            return ExitCodes.NOT_FOUND;
        }
        try {
            Member m = member.get();
            boolean consent = sms.isPresent() || wechat.isPresent();
            if (name != null || birthday != null || !consent) {
                m = members.updateProfile(m.id(), name, birthday);
                out.println(new UserMessage("memberEdit.done", m.displayName(), m.cardCode(),
                        m.birthday() == null ? "—" : m.birthday().toString()).format(bundle));
            }
            if (consent) {
                List<ConsentRecord> now = members.changeConsent(m.id(), sms.orElse(null),
                        wechat.orElse(null), staff);
                out.println(LookupCommand.consentText(now, bundle));
            }
            return ExitCodes.OK;
        } catch (BusinessRuleException e) {
            err.println(e.userMessage().format(bundle));
            return ExitCodes.REFUSED;
        }
    }
}
