package dev.counterpoint.cli;

import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.RuleSetService;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "rules",
        description = {"Print the loyalty rules in force, check a rules file, or put one in force.",
                "rules.json in the data dir only shows the rules, and a changed one is refused (kept as rules.json.refused).",
                "With --check FILE: only check a rules file (exit 1 when it would be refused).",
                "With --import FILE --manager ID: put a rules file in force as a manager, whose PIN is read from standard",
                "input (recorded, audited and sent to head office).",
                "Exit 0: done; 1: refused; 5: manager unknown, locked or PIN wrong."})
public final class RulesCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Option(names = "--check", paramLabel = "FILE", description = "A rules file to check without putting it in force.")
    Path check;

    @Option(names = "--import", paramLabel = "FILE", description = "A rules file to put in force (needs --manager).")
    Path importFile;

    @Option(names = "--manager", paramLabel = "ID",
            description = "The importing manager's staff id (their PIN: the next line of standard input).")
    String manager;

    @Override
    public Integer call() throws IOException {
        try (TerminalWiring wiring = root.openWiring()) {
            return run(wiring.staffAccounts(), wiring.ruleSetRepository(), wiring.ruleSetService(),
                    wiring.rulesFileProblems());
        }
    }

    /** The rules shown, checked or imported, with the rule services and what the rules file held. */
    int run(StaffAccounts staffAccounts, RuleSetRepository repository, RuleSetService rules,
            List<UserMessage> fileProblems) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle b = Messages.bundle(root.locale());
        if (check != null) {
            RuleSetRepository.Parsed parsed = repository.parse(Files.readString(check, StandardCharsets.UTF_8));
            parsed.problems().forEach(p -> err.println(p.format(b)));
            if (parsed.valid()) {
                out.println(new UserMessage("cli.rules.ok", parsed.ruleSet().version()).format(b));
            }
            return parsed.valid() ? ExitCodes.OK : ExitCodes.REFUSED;
        }
        if (importFile != null) {
            return importRules(staffAccounts, rules, b, out, err);
        }
        fileProblems.forEach(p -> err.println(new UserMessage("rules.fileRefused", p.format(b)).format(b)));
        out.println(repository.toJson(rules.active()));
        return fileProblems.isEmpty() ? ExitCodes.OK : ExitCodes.REFUSED;
    }

    private int importRules(StaffAccounts staffAccounts, RuleSetService rules, ResourceBundle b, PrintWriter out,
                            PrintWriter err) {
        if (ManagerApproval.manager(staffAccounts, root, manager, err, b).isEmpty()) {
            return ExitCodes.NOT_APPROVED;
        }
        String who = manager.strip();
        try {
            int version = rules.importFile(importFile, who, who).version();
            out.println(new UserMessage("cli.rules.imported", version).format(b));
            return ExitCodes.OK;
        } catch (BusinessRuleException e) {
            err.println(e.userMessage().format(b));
            return ExitCodes.REFUSED;
        }
    }
}
