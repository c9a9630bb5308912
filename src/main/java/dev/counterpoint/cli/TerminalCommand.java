package dev.counterpoint.cli;

import dev.counterpoint.app.AppContext;
import dev.counterpoint.app.CounterApp;
import dev.counterpoint.shared.Messages;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "terminal", description = "Open the counter window (the default).")
public final class TerminalCommand implements Callable<Integer> {
    @ParentCommand
    CounterpointCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--demo", description = "If the data dir has no members yet, fill it with the demo store first.")
    boolean demo;

    @Override
    public Integer call() {
        return runWith(root);
    }

    Integer runWith(CounterpointCommand parent) {
        AppContext ctx;
        try {
            ctx = parent.openContext();
        } catch (RuntimeException e) {
            // started from a desktop icon, nobody reads stderr: say it in a window too
            CounterApp.showStartupError(Messages.bundle(parent.locale()).getString("startup.error.title"), parent.describe(e));
            throw e;
        }
        if (demo) {
            fillIfEmpty(ctx, spec.commandLine().getOut());
        }
        CounterApp.run(ctx);
        return 0;
    }

    /** A store that already has members (demo or real) is opened as it is. */
    static boolean fillIfEmpty(AppContext ctx, PrintWriter out) {
        if (ctx.demoStoreGenerator().memberCount() > 0) {
            return false;
        }
        DemoDataCommand.generate(ctx, out, Messages.bundle(ctx.locale()));
        return true;
    }
}
