package dev.counterpoint.cli;

import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.Database;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.sync.Registration;
import dev.counterpoint.sync.SyncException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
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
        "Exit 0: registered; 1: refused, some members' phones cannot be re-keyed",
        "(nothing was sent, the code still works; see --drop-unkeyed-phones); 2: plain http to head office on another",
        "machine without --insecure (nothing was sent); 6: head office could not be reached or refused."})
public final class RegisterCommand implements Callable<Integer> {
    /** A plain-http head office on another machine, and --insecure was not given: nothing was sent. */

    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Option(names = "--office", required = true, description = {"Head office URL, e.g. https://office.example:8420",
            "(plain http only to this machine: localhost, 127.0.0.1 or ::1, unless --insecure is given)."})
    URI office;

    @Option(names = "--insecure", description = {"Register with head office on another machine over plain http: the code,",
            "the terminal's credential and the chain's phone key then cross the network unencrypted, and so does every sync."})
    boolean insecure;

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
        if (!insecure && plainHttpToAnotherMachine(office)) {
            err.println(new UserMessage("register.error.plainHttp", office.toString()).format(bundle));
            err.flush();
            return ExitCodes.USAGE;
        }
        try (Database db = Database.open(dir)) {
            // A registration stopped after head office replied is finished first: its code is spent, this one is kept.
            Optional<Registration.Registered> finished = Registration.completePending(dir, db.jdbi(), OfficeCommand.json());
            if (finished.isPresent()) {
                print(out, bundle, finished.get());
                return ExitCodes.OK;
            }
            TerminalConfig config = TerminalConfig.loadOrCreate(dir);
            print(out, bundle, Registration.register(dir, db.jdbi(), config, office, code, OfficeCommand.json(), dropUnkeyedPhones));
            return ExitCodes.OK;
        } catch (Registration.UnkeyedPhonesException e) {
            err.println(e.userMessage().format(bundle));
            err.flush();
            return ExitCodes.REFUSED;
        } catch (SyncException e) {
            err.println(e.userMessage().format(bundle));
            err.flush();
            return ExitCodes.UNREACHABLE;
        }
    }

    /**
     * Plain http to any host but this machine: the reply carries the terminal's credential and the chain's phone key,
     * which anyone on the way could read or replace. Only IP literals and "localhost" count as this machine; a name is
     * never looked up, so no resolver can make a remote host pass.
     */
    static boolean plainHttpToAnotherMachine(URI office) {
        if (!"http".equalsIgnoreCase(office.getScheme())) {
            return false;
        }
        String host = office.getHost();
        if (host == null) {
            return true;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return false;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !literal.contains(":")) {
            return true;
        }
        try {
            return !InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return true;
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
