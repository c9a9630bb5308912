package dev.counterpoint.cli;

import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.sync.SyncEngine;
import dev.counterpoint.sync.SyncException;
import dev.counterpoint.sync.SyncReport;
import dev.counterpoint.sync.SyncStatus;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "sync", description = {"Sync once with head office: push pending events, pull changes.",
        "Exit 0: done; 6: head office could not be reached or refused (nothing is lost; sync again later)."})
public final class SyncCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (TerminalWiring wiring = root.openWiring()) {
            return sync(wiring.syncEngine());
        }
    }

    /** The sync, with the sync engine alone (none before the terminal is registered). */
    int sync(Optional<SyncEngine> engine) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle bundle = Messages.bundle(root.locale());
        try {
            SyncReport r = engine
                    .orElseThrow(() -> new SyncException(SyncException.Kind.NOT_REGISTERED, root.dataDir().toString(), 0, null))
                    .syncOnce();
            out.println(new UserMessage("sync.summary", r.pushed(), r.pulled()).format(bundle));
            r.verdicts().forEach((verdict, n) -> out.println("  " + verdict + ": " + n));
            if (r.parked() > 0) {
                out.println(new UserMessage("sync.parked", r.parked()).format(bundle));
            }
            if (Math.abs(r.officeOffsetMs()) > SyncStatus.CLOCK_SKEW_WARNING_MS) {
                out.println(new UserMessage("sync.skew", r.officeOffsetMs() / 1000).format(bundle));
            }
            out.flush();
            return ExitCodes.OK;
        } catch (SyncException e) {
            err.println(e.userMessage().format(bundle));
            err.flush();
            return ExitCodes.UNREACHABLE;
        }
    }
}
