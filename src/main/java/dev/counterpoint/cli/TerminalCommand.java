package dev.counterpoint.cli;

import dev.counterpoint.app.AppContext;
import dev.counterpoint.app.CounterApp;
import dev.counterpoint.shared.Messages;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

    Integer runWith(CounterpointCommand parent, SerialOverride override) {
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
        if (override != null) {
            ctx.useScannerSettings(ctx.scannerSettings().withSerial(override.port(), override.baud()));
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
