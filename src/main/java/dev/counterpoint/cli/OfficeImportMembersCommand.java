package dev.counterpoint.cli;

import dev.counterpoint.office.MemberListImport;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.PhoneBoxes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Head office imports a chain's member list itself; the stores receive the members through the change feed. */
@Command(name = "import-members",
        description = {"Import a chain's member list at head office from a CSV file.",
                "A UTF-8 CSV file with the header card_code,phone,name,birthday,tier,points,stored_value_fen (optional:",
                "marketing_consent, home_store). Each member belongs to the store in its home_store column, else to --store; every",
                "store receives the members at its next sync, and the home store their balances. It may run while head office",
                "serves. On a terminal, a progress bar with the rate and the time left is shown on stderr.",
                "Exit 0: all rows imported; 1: some rows refused (listed on stderr); 2: the file cannot be read,",
                "or the store is unknown or not said."})
public final class OfficeImportMembersCommand implements Callable<Integer> {
    @ParentCommand
    OfficeCommand office;

    @Mixin
    OfficeCommand.DbOptions db;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The CSV file.")
    Path file;

    @Option(names = "--store", paramLabel = "STORE", description = "The home store of rows without a home_store "
            + "(a store head office knows: one with a terminal added).")
    String store;

    @Option(names = "--progress", description = "Show the progress bar on stderr even when it is not a terminal "
            + "(it is shown on a terminal anyway).")
    boolean progress;

    @Override
    public Integer call() {
        try (OfficeDatabase database = OfficeCommand.openForCommand(db, office, spec)) {
            Clock clock = Clock.systemUTC();
            MemberListImport members = new MemberListImport(database.jdbi(), clock, OfficeCommand.json(),
                    new PhoneBoxes(database.jdbi(), clock, OfficeCommand.json(), database.settingSeal()));
            return ImportRun.run((f, errors, bar) -> members.importFile(f, store, errors, bar), file, spec, office.root.locale(),
                    progress || System.console() != null);
        }
    }
}
