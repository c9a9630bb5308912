package dev.counterpoint.cli;

import dev.counterpoint.importer.ImportFileException;
import dev.counterpoint.importer.ImportResult;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/** What the import commands do: run an importer, print each refused row to stderr and the summary to stdout. */
final class ImportRun {
    /** Both importers' entry point. */
    @FunctionalInterface
    interface Importer {
        ImportResult importFile(Path file, Consumer<UserMessage> errors) throws ImportFileException;
    }

    private ImportRun() {}

    static int run(Importer importer, Path file, CommandSpec spec, Locale locale) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle bundle = Messages.bundle(locale);
        try {
            ImportResult result = importer.importFile(file, m -> err.println(m.format(bundle)));
            err.flush();
            out.println(new UserMessage("import.summary", String.valueOf(result.imported()),
                    String.valueOf(result.rejected())).format(bundle));
            out.flush();
            return result.rejected() == 0 ? ExitCodes.OK : ExitCodes.REFUSED;
        } catch (ImportFileException e) {
            err.println(e.userMessage().format(bundle));
            err.flush();
            return ExitCodes.USAGE;
        }
    }
}
