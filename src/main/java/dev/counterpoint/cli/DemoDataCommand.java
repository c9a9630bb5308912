package dev.counterpoint.cli;

import dev.counterpoint.demo.DemoStoreGenerator;
import dev.counterpoint.demo.Showcase;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "demo-data", description = {
        "Fill an empty data dir with a demo store: members, purchases, points, stored value, coupons.",
        "Exit 0 done; 1 refused: the data dir already has members (nothing written)."})
public final class DemoDataCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (TerminalWiring wiring = root.openWiring()) {
            return fill(wiring.demoStoreGenerator());
        }
    }

    /** The demo store, with progress and a summary. */
    int fill(DemoStoreGenerator demo) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle bundle = Messages.bundle(root.locale());
        try {
            generate(demo, out, bundle);
            return ExitCodes.OK;
        } catch (BusinessRuleException e) {
            err.println(e.userMessage().format(bundle));
            err.flush();
            return ExitCodes.REFUSED;
        }
    }

    /** Generates the demo store with progress and a summary on {@code out}; shared with {@code terminal --demo}. */
    static DemoStoreGenerator.Summary generate(DemoStoreGenerator demo, PrintWriter out, ResourceBundle bundle) {
        DemoStoreGenerator.Summary s = demo.generate(DemoStoreGenerator.DEFAULT_MEMBERS, (written, total) -> {
            out.println(new UserMessage("demo.progress", written, total).format(bundle));
            out.flush();
        });
        out.println(new UserMessage("demo.summary", s.members(), s.purchases(), s.coupons(), s.couponsUsed(), s.topUps())
                .format(bundle));
        out.println(bundle.getString("demo.showcase.header"));
        for (Showcase showcase : Showcase.values()) {
            out.println("  " + showcase.cardCode() + "  " + bundle.getString(showcase.messageKey()));
        }
        out.flush();
        return s;
    }
}
