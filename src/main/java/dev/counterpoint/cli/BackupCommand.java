package dev.counterpoint.cli;

import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.Backups;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "backup", description = {"Write a backup of the store to FILE.",
        "H2's online backup, encrypted under this data dir's data key, which is not in it: keep the key's export",
        "(data-key --export) apart from the backup.",
        "The running terminal backs itself up every day and at close of day into the data dir's backups/ folder.",
        "Exit 0: written; 4: a terminal has the store open (copy its newest backup from backups/ instead)."})
public final class BackupCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "FILE", description = "Where to write the backup (replaced once complete).")
    Path to;

    @Override
    public Integer call() {
        ResourceBundle b = Messages.bundle(root.locale());
        if (Backups.inUse(root.dataDir())) {
            List<Path> kept = Backups.kept(root.dataDir());
            spec.commandLine().getErr().println(new UserMessage("backup.error.running", root.dataDir().toString(),
                    kept.isEmpty() ? Backups.folder(root.dataDir()).toString() : kept.get(0).toString()).format(b));
            return ExitCodes.UNAVAILABLE;
        }
        try (TerminalWiring wiring = root.openWiring()) {
            return backUp(wiring.backups(), wiring.config(), b);
        }
    }

    int backUp(Backups backups, TerminalConfig config, ResourceBundle b) {
        Path written = backups.backupTo(to);
        spec.commandLine().getOut().println(new UserMessage("backup.done", written.toString(), config.storeId(),
                config.terminalId()).format(b));
        return ExitCodes.OK;
    }
}
