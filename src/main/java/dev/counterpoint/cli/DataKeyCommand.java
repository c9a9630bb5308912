package dev.counterpoint.cli;

import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.DataKey;
import dev.counterpoint.store.PrivateFiles;
import dev.counterpoint.store.TerminalConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "data-key", description = {"Say where this data dir's data key is kept, or export it.",
        "The key that encrypts the data dir is never in it; --export FILE writes it to FILE (owner-only) for a backup kept",
        "apart from the data dir's.",
        "Exit 3: no key yet (nothing is encrypted yet); 8: the data dir's key is not in this account's key folder."})
public final class DataKeyCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Option(names = "--export", paramLabel = "FILE", description = "Write the key to FILE, readable by its owner only.")
    Path export;

    @Override
    public Integer call() throws IOException {
        ResourceBundle b = Messages.bundle(root.locale());
        DataKey key = DataKey.of(TerminalConfig.loadOrCreate(root.dataDir()));
        Optional<String> text = key.exportText();
        if (text.isEmpty() && Files.exists(root.dataDir().resolve("db").resolve("counterpoint.mv.db"))) {
            spec.commandLine().getErr().println(new UserMessage("db.error.keyMissing", key.file().toString(),
                    String.valueOf(key.file().toAbsolutePath().getParent())).format(b));
            return ExitCodes.KEY_MISSING;
        }
        if (text.isEmpty()) {
            spec.commandLine().getErr().println(new UserMessage("cli.dataKey.none", key.file().toString()).format(b));
            return ExitCodes.NOT_FOUND;
        }
        spec.commandLine().getOut().println(new UserMessage("cli.dataKey.where", key.where()).format(b));
        if (export != null) {
            PrivateFiles.write(export, text.get().getBytes(StandardCharsets.US_ASCII));
            spec.commandLine().getOut().println(new UserMessage("cli.dataKey.exported", export.toString(),
                    key.file().toString()).format(b));
        }
        return ExitCodes.OK;
    }
}
