package dev.counterpoint.cli;

import dev.counterpoint.shared.Messages;
import dev.counterpoint.store.ManagerPin;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "set-manager-pin",
        description = "Set the store manager's PIN (4 to 8 digits), kept in the data dir only as a salted hash.")
public final class SetManagerPinCommand implements Callable<Integer> {
    @ParentCommand
    CounterpointCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--pin", interactive = true, arity = "0..1", required = true,
            description = "The new PIN; asked for without echo when given without a value.")
    String pin;

    @Override
    public Integer call() {
        ResourceBundle b = Messages.bundle(root.locale());
        if (!ManagerPin.wellFormed(pin)) {
            spec.commandLine().getErr().println(b.getString("cli.pin.bad"));
            return 2;
        }
        new ManagerPin(root.dataDir()).set(pin);
        spec.commandLine().getOut().println(b.getString("cli.pin.set"));
        return 0;
    }
}
