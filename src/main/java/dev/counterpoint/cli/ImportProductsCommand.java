package dev.counterpoint.cli;

import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "import-products",
        description = {"Import the store's product catalogue from a CSV file.",
                "A UTF-8 CSV file with the header sku,name_zh,name_en[,category] (at least one name per row). Purchase lines,",
                "favourites and receipts then show the product's name in the reader's language instead of its SKU. A SKU already",
                "there takes the file's names.",
                "Exit 0: all rows imported; 1: some rows refused (listed on stderr); 2: the file cannot be read."})
public final class ImportProductsCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The CSV file.")
    Path file;

    @Override
    public Integer call() {
        try (TerminalWiring wiring = root.openWiring()) {
            return ImportRun.run(wiring.productImporter()::importFile, file, spec, root.locale());
        }
    }
}
