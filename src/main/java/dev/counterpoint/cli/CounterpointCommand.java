package dev.counterpoint.cli;

import dev.counterpoint.app.AppContext;
import dev.counterpoint.app.LogConfigurator;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.store.DataDir;
import dev.counterpoint.store.Database;
import dev.counterpoint.store.EncryptedH2;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

// --help and --version are inherited: every command and subcommand answers them.
@Command(name = "counterpoint", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = CounterpointCommand.Version.class,
        description = "Counterpoint member terminal. Without a command, opens the counter window.",
        subcommands = {TerminalCommand.class, LookupCommand.class, ImportMembersCommand.class, ImportPurchasesCommand.class, ImportProductsCommand.class,
                DemoDataCommand.class, DailyCommand.class, RulesCommand.class, CouponCommand.class, StaffCommand.class,
                CheckoutCommand.class, RefundCommand.class, VoidCommand.class, AdjustCommand.class, AuditCommand.class,
                DataKeyCommand.class, OfficeCommand.class, RegisterCommand.class, SyncCommand.class, CloseDayCommand.class, BackupCommand.class, RestoreCommand.class, ReprintCommand.class, MemberEditCommand.class,
                MemberEraseCommand.class, MemberTagCommand.class, ExportMembersCommand.class})
public final class CounterpointCommand implements Callable<Integer> {
    @Option(names = "--data-dir", scope = CommandLine.ScopeType.INHERIT,
            description = "Folder holding the database, settings and logs (default: the per-user application-data folder).")
    Path dataDir;

    @Option(names = "--lang", scope = CommandLine.ScopeType.INHERIT, description = "zh or en (default: the OS language).")
    String lang;

    /** The version the jar was built as (its manifest), or "development build" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = CounterpointCommand.class.getPackage().getImplementationVersion();
            return new String[] {"Counterpoint " + (v == null ? "development build" : v),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }

    /** Standard input, read a line at a time for PINs (never taken from arguments, which others can see). */
    private java.io.BufferedReader stdin;

    public static CommandLine commandLine() {
        return commandLine(System.in);
    }

    /** The command line reading PINs from {@code in} (tests give it the lines a person would type). */
    public static CommandLine commandLine(java.io.InputStream in) {
        return commandLine(in, CounterpointCommand::headOfficeInstalled);
    }

    /** A class of head office's HTTP server: the till's package leaves head office's libraries out (decision 0073). */
    static final String HEAD_OFFICE_CLASS = "io.javalin.Javalin";

    /** Whether head office's libraries are on the class path (the full build; not a till's package). */
    static boolean headOfficeInstalled() {
        try {
            Class.forName(HEAD_OFFICE_CLASS, false, CounterpointCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** As {@link #commandLine(java.io.InputStream)}, with whether head office's libraries are here given. */
    static CommandLine commandLine(java.io.InputStream in, java.util.function.BooleanSupplier headOfficeInstalled) {
        CounterpointCommand top = new CounterpointCommand();
        top.stdin = new java.io.BufferedReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        top.isSystemIn = in == System.in;
        CommandLine cl = new CommandLine(top);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            CounterpointCommand root = commandLine.getCommandSpec().root().commandLine().getCommand();
            commandLine.getErr().println("counterpoint: " + root.describe(e));
            return e instanceof EncryptedH2.KeyMissingException ? ExitCodes.KEY_MISSING : ExitCodes.UNAVAILABLE;
        });
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            // A till's package has no head-office server: say so, rather than fail later on a missing class. Help
            // still answers.
            if (invokesOffice(parseResult) && !helpRequested(parseResult) && !headOfficeInstalled.getAsBoolean()) {
                CommandLine office = parseResult.subcommand().commandSpec().commandLine();
                office.getErr().println("counterpoint: head office is not part of this installation (the till's"
                        + " package); it is installed separately, from its own package (counterpoint-office) or"
                        + " container image.");
                office.getErr().flush();
                return ExitCodes.USAGE;
            }
            return run.execute(parseResult);
        });
        withExitCodes(cl);
        return cl;
    }

    private static boolean invokesOffice(CommandLine.ParseResult parseResult) {
        return parseResult.hasSubcommand() && parseResult.subcommand().commandSpec().userObject() instanceof OfficeCommand;
    }

    private static boolean helpRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult p = parseResult; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
    }

    /** This command and every subcommand: usage errors exit with {@link ExitCodes#USAGE}, and --help lists every code. */
    private static void withExitCodes(CommandLine cl) {
        cl.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCodes.helpList());
        cl.getSubcommands().values().forEach(CounterpointCommand::withExitCodes);
    }

    @Override
    public Integer call() {
        return new TerminalCommand().runWith(this, null);
    }

    /** A start-up failure in the user's language where we have its words, else as the library said it. */
    String describe(Exception e) {
        if (e instanceof Database.DatabaseUnavailableException db) {
            try {
                return db.userMessage().format(locale());
            } catch (IllegalArgumentException unsupportedLang) {
                return db.getMessage();
            }
        }
        return e.getMessage();
    }

    /**
     * The next line of standard input, as a PIN: without echo when a person types it at a console, else a plain line.
     * Null when there is none.
     */
    String readPin(String prompt) {
        java.io.Console console = System.console();
        if (console != null && stdin != null && isSystemIn) {
            char[] pin = console.readPassword("%s", prompt);
            return pin == null ? null : new String(pin).strip();
        }
        try {
            String line = stdin == null ? null : stdin.readLine();
            return line == null ? null : line.strip();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * The next line of standard input, as a password: kept as typed (spaces are part of it), without echo when a
     * person types it at a console. Null when there is none.
     */
    String readPassword(String prompt) {
        java.io.Console console = System.console();
        if (console != null && stdin != null && isSystemIn) {
            char[] password = console.readPassword("%s", prompt);
            return password == null ? null : new String(password);
        }
        try {
            return stdin == null ? null : stdin.readLine();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private boolean isSystemIn = true;

    Path dataDir() {
        return dataDir != null ? dataDir : DataDir.defaultDir();
    }

    Locale locale() {
        return Messages.resolve(lang, Locale.getDefault());
    }

    /** Points the log file into the data dir; logback reads this once, when something first logs. */
    void logToDataDir() {
        logTo(dataDir().resolve("logs"));
    }

    /** Points the log file into this folder (owner-only); logback reads this once, when something first logs. */
    void logTo(Path dir) {
        System.setProperty(LogConfigurator.DIR_PROPERTY, dir.toAbsolutePath().toString());
    }

    AppContext openContext() {
        logToDataDir();
        return AppContext.open(dataDir(), locale(), Clock.systemDefaultZone());
    }

    /** For the counter: the rules file is read by the window, after it is shown (AppContext.openRulesFileLater). */
    AppContext openContextForCounter() {
        logToDataDir();
        return AppContext.openRulesFileLater(dataDir(), locale(), Clock.systemDefaultZone());
    }
}
