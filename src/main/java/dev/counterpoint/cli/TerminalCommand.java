package dev.counterpoint.cli;

import dev.counterpoint.app.CounterApp;
import dev.counterpoint.demo.DemoStoreGenerator;
import dev.counterpoint.shared.Futures;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.wiring.CounterServices;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
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

    /** The store opened for the counter, and the counter's services built from it. */
    private record Opened(TerminalWiring wiring, CounterServices counter) {
    }

    /**
     * Opens the store and builds the counter's services on a background thread while the window starts (the counter
     * shows, and takes scans, only once both are done); a store that cannot be opened is explained in a dialog and on
     * stderr, exit {@link ExitCodes#UNAVAILABLE}. The store is closed once the window is.
     */
    Integer runWith(CommandRoot parent, SerialOverride override) {
        parent.logToDataDir(); // before anything logs, on either thread
        CompletableFuture<Opened> opening = CompletableFuture.supplyAsync(() -> open(parent, override), task -> {
            Thread t = new Thread(task, "counter-open");
            t.setDaemon(true);
            t.start();
        });
        String errorTitle = Messages.bundle(parent.locale()).getString("startup.error.title");
        try {
            CounterApp.run(opening.thenApply(Opened::counter), parent.locale(), errorTitle,
                    e -> e instanceof Exception ex ? parent.describe(ex) : String.valueOf(e));
        } finally {
            // Without a display, say, a store that cannot be opened is still what to report, else the toolkit's failure.
            opened(opening).wiring().close();
        }
        return ExitCodes.OK;
    }

    private Opened open(CommandRoot parent, SerialOverride override) {
        TerminalWiring wiring = parent.openWiringForCounter();
        try {
            if (demo) {
                wiring.rulesFileProblems(); // the demo store is generated under the rules in force, the file's if newer
                fillIfEmpty(wiring.demoStoreGenerator(), spec.commandLine().getOut(), Messages.bundle(parent.locale()));
            }
            CounterServices counter = wiring.counter();
            if (override != null) {
                counter = counter.withScannerSettings(counter.scannerSettings().withSerial(override.port(), override.baud()));
            }
            return new Opened(wiring, counter);
        } catch (RuntimeException e) {
            wiring.close();
            throw e;
        }
    }

    /** The store opened, or the exception that stopped it from opening. */
    private static Opened opened(CompletableFuture<Opened> opening) {
        return Futures.join(opening);
    }

    /** A store that already has members (demo or real) is opened as it is. */
    static boolean fillIfEmpty(DemoStoreGenerator demo, PrintWriter out, ResourceBundle bundle) {
        if (demo.memberCount() > 0) {
            return false;
        }
        DemoDataCommand.generate(demo, out, bundle);
        return true;
    }
}
