package dev.counterpoint.cli;

import dev.counterpoint.app.AppContext;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "rules",
        description = {"Print the loyalty rules in force, and what is wrong with the data dir's rules.json if it was refused.",
                "With --check FILE: only check a rules file (exit 1 when it would be refused)."})
public final class RulesCommand implements Callable<Integer> {
    @ParentCommand
    CounterpointCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--check", paramLabel = "FILE", description = "A rules file to check without putting it in force.")
    Path check;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AppContext ctx = root.openContext()) {
            ResourceBundle b = Messages.bundle(ctx.locale());
            if (check != null) {
                RuleSetRepository.Parsed parsed = ctx.ruleSetRepository().parse(Files.readString(check, StandardCharsets.UTF_8));
                parsed.problems().forEach(p -> err.println(p.format(b)));
                if (parsed.valid()) {
                    out.println(new UserMessage("cli.rules.ok", parsed.ruleSet().version()).format(b));
                }
                return parsed.valid() ? 0 : 1;
            }
            ctx.rulesFileProblems().forEach(p -> err.println(new UserMessage("rules.fileRefused", p.format(b)).format(b)));
            out.println(ctx.ruleSetRepository().toJson(ctx.ruleSetService().active()));
            return ctx.rulesFileProblems().isEmpty() ? 0 : 1;
        }
    }
}
