package dev.counterpoint.cli;

import dev.counterpoint.audit.AuditLog;
import dev.counterpoint.report.MemberListExport;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "export-members", description = {"Write the store's members to a CSV file for a spreadsheet.",
        "Needs the manager PIN. Card, name, masked phone, birthday, tier, home store, enrolment day and marketing consent per",
        "channel. Erased members are left out; cells that a spreadsheet would take as a formula start with an apostrophe.",
        "Exit 0 written; 2 a bad --marketing or a FILE that cannot be written; 5 manager unknown, locked or PIN wrong."})
public final class ExportMembersCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The CSV file to write (replaced if it exists).")
    Path file;

    @Option(names = "--marketing", paramLabel = "all|sms|wechat", defaultValue = "all",
            description = "Only members who agreed to marketing on this channel (default: all members).")
    String marketing;

    @Option(names = "--manager", required = true, paramLabel = "ID",
            description = "The approving manager's staff id (their PIN: the next line of standard input).")
    String manager;

    @Override
    public Integer call() {
        try (TerminalWiring wiring = root.openWiring()) {
            return export(wiring.staffAccounts(), wiring.database().jdbi(), wiring.clock(), wiring.auditLog());
        }
    }

    /** The export, with what it takes: the database it reads, the audit log it writes to. */
    int export(StaffAccounts staffAccounts, Jdbi jdbi, Clock clock, AuditLog auditLog) {
        ResourceBundle b = Messages.bundle(root.locale());
        MemberListExport.Filter filter;
        try {
            filter = MemberListExport.filter(marketing);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(new UserMessage("exportMembers.badFilter", marketing).format(b));
            return ExitCodes.USAGE;
        }
        if (ManagerApproval.manager(staffAccounts, root, manager, spec.commandLine().getErr(), b).isEmpty()) {
            return ExitCodes.NOT_APPROVED;
        }
        try {
            long n = new MemberListExport(jdbi, clock.getZone()).write(file, filter);
            jdbi.useTransaction(h -> auditLog.append(h, manager.strip(),
                    dev.counterpoint.audit.AuditAction.MEMBERS_EXPORTED, file.getFileName().toString(),
                    java.util.Map.of("members", Long.toString(n), "marketing", marketing)));
            spec.commandLine().getOut().println(new UserMessage("exportMembers.done", n, file.toString()).format(b));
            return ExitCodes.OK;
        } catch (IOException e) {
            spec.commandLine().getErr().println(new UserMessage("exportMembers.failed", file.toString()).format(b));
            return ExitCodes.USAGE;
        }
    }
}
