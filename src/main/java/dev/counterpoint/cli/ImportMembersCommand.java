package dev.counterpoint.cli;

import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "import-members",
        description = {"Import members from a CSV file.",
                "A UTF-8 CSV file with the header card_code,phone,name,birthday,tier,points,stored_value_fen.",
                "On a terminal, a progress bar with the rate and the time left is shown on stderr.",
                "Exit 0: all rows imported; 1: some rows refused (listed on stderr); 2: the file cannot be read."})
public final class ImportMembersCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The CSV file.")
    Path file;

    @Option(names = "--progress", description = "Show the progress bar on stderr even when it is not a terminal "
            + "(it is shown on a terminal anyway).")
    boolean progress;

    @Override
    public Integer call() {
        try (TerminalWiring wiring = root.openWiring()) {
            return ImportRun.run(wiring.memberImporter()::importFile, file, spec, root.locale(),
                    progress || System.console() != null, wiring.database());
        }
    }
}
