package dev.counterpoint.cli;

import dev.counterpoint.importer.ImportFileException;
import dev.counterpoint.importer.ImportResult;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ResourceBundle;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/** What both import commands do: run an importer, print each refused row to stderr and the summary to stdout. */
final class ImportRun {
    /** The file could not be read at all; nothing was imported. */

    /** Both importers' entry point. */
    @FunctionalInterface
    interface Importer {
        ImportResult importFile(Path file, Consumer<UserMessage> errors) throws ImportFileException;
    }

    private ImportRun() {}

    static int run(CommandRoot root, CommandSpec spec, Path file, Function<TerminalWiring, Importer> importer) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (TerminalWiring ctx = root.openWiring()) {
            ResourceBundle bundle = Messages.bundle(ctx.locale());
            try {
                ImportResult result = importer.apply(ctx).importFile(file, m -> err.println(m.format(bundle)));
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
}
