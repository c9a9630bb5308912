package dev.counterpoint.cli;

import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "import-purchases",
        description = {"Import purchase history from a CSV file.",
                "A UTF-8 CSV file with the header card_code,purchased_at,sku,category,qty,amount_fen (one row per line; consecutive",
                "rows of one card at the same purchased_at form one purchase). Imported purchases earn no points.",
                "Exit 0: all rows imported; 1: some rows refused (listed on stderr); 2: the file cannot be read."})
public final class ImportPurchasesCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The CSV file.")
    Path file;

    @Override
    public Integer call() {
        try (TerminalWiring wiring = root.openWiring()) {
            return ImportRun.run((f, errors, progress) -> wiring.purchaseImporter().importFile(f, errors), file, spec,
                    root.locale(), false, wiring.database());
        }
    }
}
