package dev.counterpoint.cli;

import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.Database;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.sync.Registration;
import dev.counterpoint.sync.SyncException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "register", description = {"Register this terminal with head office using a one-time code from 'office add-terminal'.",
        "A store that already has members joins: their phones are re-keyed with head office's phone key.",
        "Exit 0: registered; 5: head office could not be reached or refused; 6: the data dir holds scale data;",
        "7: some members' phones cannot be re-keyed (nothing was sent, the code still works; see --drop-unkeyed-phones)."})
public final class RegisterCommand implements Callable<Integer> {
    /** Members' phones that cannot be re-keyed, and --drop-unkeyed-phones was not given: nothing was sent. */
    static final int EXIT_UNKEYED_PHONES = 7;

    @ParentCommand
    CounterpointCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--office", required = true, description = "Head office URL, e.g. http://office.example:8420")
    URI office;

    @Option(names = "--drop-unkeyed-phones", description = {"Register even if some members' phones cannot be re-keyed",
            "(stored before phones were kept sealed, or their data key is lost): those members keep their card, name,",
            "masked phone and last 4 digits, but are no longer found by their full number nor matched with other stores."})
    boolean dropUnkeyedPhones;

    @Parameters(paramLabel = "CODE", description = "The one-time registration code.")
    String code;

    @Override
    public Integer call() {
        Path dir = root.dataDir();
        ResourceBundle bundle = Messages.bundle(root.locale());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Database db = Database.open(dir)) {
            // A registration stopped after head office replied is finished first: its code is spent, this one is kept.
            Optional<Registration.Registered> finished = Registration.completePending(dir, db.jdbi(), OfficeCommand.json());
            if (finished.isPresent()) {
                print(out, bundle, finished.get());
                return 0;
            }
            TerminalConfig config = TerminalConfig.loadOrCreate(dir);
            print(out, bundle, Registration.register(dir, db.jdbi(), config, office, code, OfficeCommand.json(), dropUnkeyedPhones));
            return 0;
        } catch (Registration.UnkeyedPhonesException e) {
            err.println(e.userMessage().format(bundle));
            err.flush();
            return EXIT_UNKEYED_PHONES;
        } catch (SyncException e) {
            err.println(e.userMessage().format(bundle));
            err.flush();
            return SyncCommand.exitCode(e);
        }
    }

    private static void print(PrintWriter out, ResourceBundle bundle, Registration.Registered r) {
        out.println(new UserMessage("sync.registered", r.storeId(), r.terminalId(), r.office()).format(bundle));
        if (r.phonesRekeyed() > 0 || r.eventsRewritten() > 0) {
            out.println(new UserMessage("register.rekeyed", r.phonesRekeyed(), r.eventsRewritten()).format(bundle));
        }
        if (r.phonesCleared() > 0) {
            out.println(new UserMessage("register.phonesCleared", r.phonesCleared()).format(bundle));
        }
        out.flush();
    }
}
