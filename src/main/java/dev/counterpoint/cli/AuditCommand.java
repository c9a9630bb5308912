package dev.counterpoint.cli;

import dev.counterpoint.audit.AuditLog;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.wiring.TerminalWiring;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "audit", description = "The terminal's audit log of sensitive actions, chained by hash.",
        subcommands = {AuditCommand.Verify.class})
public final class AuditCommand {
    @ParentCommand
    CommandRoot root;

    @Command(name = "verify", description = {"Check this terminal's audit chain.",
            "Every entry's hash must be what its content and the entry before it give, and none may be missing.",
            "Exit 0 intact; 9 broken, naming the first entry that breaks it."})
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (TerminalWiring wiring = parent.root.openWiring()) {
                return verify(wiring.database().jdbi(), wiring.auditLog());
            }
        }

        int verify(Jdbi jdbi, AuditLog auditLog) {
            ResourceBundle b = Messages.bundle(parent.root.locale());
            Optional<AuditLog.Break> broken = jdbi.withHandle(auditLog::verify);
            if (broken.isEmpty()) {
                long n = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit_log").mapTo(Long.class).one());
                spec.commandLine().getOut().println(new UserMessage("cli.audit.intact", n).format(b));
                return ExitCodes.OK;
            }
            AuditLog.Break x = broken.get();
            spec.commandLine().getErr().println(new UserMessage("cli.audit.broken", x.seq(),
                    x.entryId() == null ? "—" : x.entryId().toString(), x.reason()).format(b));
            return ExitCodes.AUDIT_BROKEN;
        }
    }
}
