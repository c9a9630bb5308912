package dev.counterpoint.cli;

import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.Backups;
import java.nio.file.Path;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "restore", description = {"Replace the store's database with a backup of this store and terminal.",
        "FILE is made by backup or by the terminal itself. It is checked whole in a staging copy first; the database it",
        "replaces is kept as db/counterpoint.mv.db.before-restore. At its next sync the terminal gets back from head",
        "office what it had sent after the backup. Refused, changing nothing, while a terminal has the store open.",
        "Exit 0: restored; 1: another store's or terminal's backup; 2: FILE is not a whole backup (unreadable, damaged,",
        "cut short); 4: a terminal has the store open; 8: this data dir's data key is not here."})
public final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The backup to restore.")
    Path file;

    @Override
    public Integer call() {
        ResourceBundle b = Messages.bundle(root.locale());
        root.logToDataDir();
        try {
            Backups.Restored r = Backups.restore(root.dataDir(), file);
            spec.commandLine().getOut().println(new UserMessage("restore.done", r.backup().toString(), r.storeId(),
                    r.terminalId(), r.backedUpAt().toString()).format(b));
            r.replaced().ifPresent(p -> spec.commandLine().getOut().println(new UserMessage("restore.replacedKept",
                    p.toString()).format(b)));
            spec.commandLine().getOut().println(new UserMessage("restore.nextSync").format(b));
            return ExitCodes.OK;
        } catch (Backups.RestoreRefused e) {
            spec.commandLine().getErr().println(e.userMessage().format(b));
            return switch (e.reason()) {
                case IN_USE -> ExitCodes.UNAVAILABLE;
                case NOT_A_BACKUP -> ExitCodes.USAGE;
                case OTHER_STORE -> ExitCodes.REFUSED;
            };
        }
    }
}
