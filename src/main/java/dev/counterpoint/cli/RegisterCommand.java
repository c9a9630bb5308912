package dev.counterpoint.cli;

import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.Database;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.sync.Registration;
import dev.counterpoint.sync.SyncException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "register", description = "Register this terminal with head office using a one-time code from 'office add-terminal'.")
public final class RegisterCommand implements Callable<Integer> {
    @ParentCommand
    CounterpointCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--office", required = true, description = "Head office URL, e.g. http://office.example:8420")
    URI office;

    @Parameters(paramLabel = "CODE", description = "The one-time registration code.")
    String code;

    @Override
    public Integer call() {
        Path dir = root.dataDir();
        ResourceBundle bundle = Messages.bundle(root.locale());
        TerminalConfig config = TerminalConfig.loadOrCreate(dir);
        try (Database db = Database.open(dir)) {
            Registration.Registered r = Registration.register(dir, db.jdbi(), config, office, code, OfficeCommand.json());
            spec.commandLine().getOut().println(new UserMessage("sync.registered", r.storeId(), r.terminalId(), office).format(bundle));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (SyncException e) {
            spec.commandLine().getErr().println(e.userMessage().format(bundle));
            return SyncCommand.exitCode(e);
        }
    }
}
