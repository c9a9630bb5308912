package dev.counterpoint.cli;

import dev.counterpoint.app.AppContext;
import dev.counterpoint.app.CounterApp;
import dev.counterpoint.shared.Messages;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "terminal", description = "Open the counter window (the default).")
public final class TerminalCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Option(names = "--demo", description = "If the data dir has no members yet, fill it with the demo store first.")
    boolean demo;

    @Option(names = "--serial", paramLabel = "PORT[,BAUD]",
            description = {"Serial scanner port (e.g. /dev/ttyUSB0,9600 or COM3), overriding the saved scanner settings",
                    "for this run; the other line settings and the framing stay as saved."})
    String serial;

    @Override
    public Integer call() {
        return runWith(root, serial == null ? null : parseSerial(serial));
    }

    /** A port and an optional baud rate; null baud keeps the saved one. */
    record SerialOverride(String port, Integer baud) {
    }

    SerialOverride parseSerial(String value) {
        int comma = value.lastIndexOf(',');
        String port = (comma < 0 ? value : value.substring(0, comma)).strip();
        Integer baud = null;
        if (comma >= 0) {
            String b = value.substring(comma + 1).strip();
            try {
                baud = Integer.parseInt(b);
            } catch (NumberFormatException e) {
                baud = 0;
            }
            if (baud <= 0) {
                throw new ParameterException(spec.commandLine(),
                        "--serial: the baud rate after the comma must be a whole number above 0, not '" + b + "'");
            }
        }
        if (port.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--serial: name the port, e.g. /dev/ttyUSB0,9600 or COM3");
        }
        return new SerialOverride(port, baud);
    }

    /** The counter window as `terminal` without options opens it: what the root does when no command is given. */
    public static int openCounter(CommandRoot root) {
        return new TerminalCommand().runWith(root, null);
    }

    /**
     * Opens the store on a background thread while the window starts (the counter shows, and takes scans, only
     * once both are done); a store that cannot be opened is explained in a dialog and on stderr, exit
     * {@link ExitCodes#UNAVAILABLE}.
     */
    Integer runWith(CommandRoot parent, SerialOverride override) {
        parent.logToDataDir(); // before anything logs, on either thread
        CompletableFuture<AppContext> opening = CompletableFuture.supplyAsync(() -> open(parent, override), task -> {
            Thread t = new Thread(task, "counter-open");
            t.setDaemon(true);
            t.start();
        });
        String errorTitle = Messages.bundle(parent.locale()).getString("startup.error.title");
        try {
            CounterApp.run(opening, parent.locale(), errorTitle,
                    e -> e instanceof Exception ex ? parent.describe(ex) : String.valueOf(e));
        } catch (RuntimeException noWindow) {
            // no display, say: a store that cannot be opened is still what to report, else the toolkit's failure
            AppContext ctx = opened(opening);
            ctx.close();
            throw noWindow;
        }
        opened(opening);
        return ExitCodes.OK;
    }

    private AppContext open(CommandRoot parent, SerialOverride override) {
        AppContext ctx = parent.openContextForCounter();
        try {
            if (demo) {
                ctx.rulesFileProblems(); // the demo store is generated under the rules in force, the file's if newer
                fillIfEmpty(ctx, spec.commandLine().getOut());
            }
            if (override != null) {
                ctx.useScannerSettings(ctx.scannerSettings().withSerial(override.port(), override.baud()));
            }
            return ctx;
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    /** The opened context, or the exception that stopped it from opening. */
    private static AppContext opened(CompletableFuture<AppContext> opening) {
        try {
            return opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
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
