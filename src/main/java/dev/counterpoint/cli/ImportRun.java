package dev.counterpoint.cli;

import dev.counterpoint.importer.ImportFileException;
import dev.counterpoint.importer.ImportProgress;
import dev.counterpoint.importer.ImportResult;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.Database;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/** What the import commands do: run an importer, print each refused row to stderr and the summary to stdout. */
final class ImportRun {
    /** The importers' entry point. */
    @FunctionalInterface
    interface Importer {
        ImportResult importFile(Path file, Consumer<UserMessage> errors) throws ImportFileException;
    }

    /** An importer that tells its progress as it goes. */
    @FunctionalInterface
    interface ProgressingImporter {
        ImportResult importFile(Path file, Consumer<UserMessage> errors, ImportProgress progress)
                throws ImportFileException;
    }

    private ImportRun() {}

    static int run(Importer importer, Path file, CommandSpec spec, Locale locale) {
        return run((f, errors, progress) -> importer.importFile(f, errors), file, spec, locale, false, null);
    }

    /**
     * As {@link #run(Importer, Path, CommandSpec, Locale)}, with a progress bar on stderr when {@code showProgress}
     * (asked for, or stderr is a person's terminal).
     */
    static int run(ProgressingImporter importer, Path file, CommandSpec spec, Locale locale, boolean showProgress) {
        return run(importer, file, spec, locale, showProgress, null);
    }

    /**
     * As above; when rows were imported into {@code store} (null: none to compact), its file is compacted as the command
     * closes it, and stderr says so first, since that takes a while after the last row (decision 0087).
     */
    static int run(ProgressingImporter importer, Path file, CommandSpec spec, Locale locale, boolean showProgress,
                   Database store) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle bundle = Messages.bundle(locale);
        ProgressBar bar = showProgress ? new ProgressBar(err, bundle, System::nanoTime) : null;
        try {
            ImportResult result = importer.importFile(file, m -> {
                if (bar != null) {
                    bar.clear();
                }
                err.println(m.format(bundle));
            }, bar == null ? ImportProgress.NONE : bar);
            if (bar != null) {
                bar.finish();
            }
            err.flush();
            out.println(new UserMessage("import.summary", String.valueOf(result.imported()),
                    String.valueOf(result.rejected())).format(bundle));
            out.flush();
            if (store != null && result.imported() > 0) {
                store.compactWhenClosed();
                err.println(new UserMessage("import.compacting").format(bundle));
                err.flush();
            }
            return result.rejected() == 0 ? ExitCodes.OK : ExitCodes.REFUSED;
        } catch (ImportFileException e) {
            err.println(e.userMessage().format(bundle));
            err.flush();
            return ExitCodes.USAGE;
        }
    }
}
