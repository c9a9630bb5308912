package dev.counterpoint.cli;

import dev.counterpoint.app.AppContext;
import dev.counterpoint.app.CounterApp;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "terminal", description = "Open the counter window (the default).")
public final class TerminalCommand implements Callable<Integer> {
    @ParentCommand
    CounterpointCommand root;

    @Override
    public Integer call() {
        return runWith(root);
    }

    Integer runWith(CounterpointCommand parent) {
        AppContext ctx = parent.openContext();
        CounterApp.run(ctx);
        return 0;
    }
}
