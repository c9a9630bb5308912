package dev.counterpoint.main;

import dev.counterpoint.cli.AdjustCommand;
import dev.counterpoint.cli.AuditCommand;
import dev.counterpoint.cli.BackupCommand;
import dev.counterpoint.cli.CheckoutCommand;
import dev.counterpoint.cli.CloseDayCommand;
import dev.counterpoint.cli.CommandRoot;
import dev.counterpoint.cli.CouponCommand;
import dev.counterpoint.cli.DailyCommand;
import dev.counterpoint.cli.DataKeyCommand;
import dev.counterpoint.cli.DemoDataCommand;
import dev.counterpoint.cli.ExitCodes;
import dev.counterpoint.cli.ExportMembersCommand;
import dev.counterpoint.cli.ImportMembersCommand;
import dev.counterpoint.cli.ImportProductsCommand;
import dev.counterpoint.cli.ImportPurchasesCommand;
import dev.counterpoint.cli.LookupCommand;
import dev.counterpoint.cli.MemberEditCommand;
import dev.counterpoint.cli.MemberEraseCommand;
import dev.counterpoint.cli.MemberTagCommand;
import dev.counterpoint.cli.OfficeCommand;
import dev.counterpoint.cli.RefundCommand;
import dev.counterpoint.cli.RegisterCommand;
import dev.counterpoint.cli.ReprintCommand;
import dev.counterpoint.cli.RestoreCommand;
import dev.counterpoint.cli.RulesCommand;
import dev.counterpoint.cli.StaffCommand;
import dev.counterpoint.cli.SyncCommand;
import dev.counterpoint.cli.TerminalCommand;
import dev.counterpoint.cli.VoidCommand;
import dev.counterpoint.store.EncryptedH2;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line's root: names every command, and sets up what all of them share (exit codes, how a failure is
 * told, head office missing from a till's package). Its options and standard input are {@link CommandRoot}'s, which is
 * all the commands see of it.
 */
// --help and --version are inherited: every command and subcommand answers them.
@Command(name = "counterpoint", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = CounterpointCommand.Version.class,
        description = "Counterpoint member terminal. Without a command, opens the counter window.",
        subcommands = {TerminalCommand.class, LookupCommand.class, ImportMembersCommand.class, ImportPurchasesCommand.class, ImportProductsCommand.class,
                DemoDataCommand.class, DailyCommand.class, RulesCommand.class, CouponCommand.class, StaffCommand.class,
                CheckoutCommand.class, RefundCommand.class, VoidCommand.class, AdjustCommand.class, AuditCommand.class,
                DataKeyCommand.class, OfficeCommand.class, RegisterCommand.class, SyncCommand.class, CloseDayCommand.class, BackupCommand.class, RestoreCommand.class, ReprintCommand.class, MemberEditCommand.class,
                MemberEraseCommand.class, MemberTagCommand.class, ExportMembersCommand.class})
public final class CounterpointCommand extends CommandRoot implements Callable<Integer> {
    /** The version the jar was built as (its manifest), or "development build" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = CounterpointCommand.class.getPackage().getImplementationVersion();
            return new String[] {"Counterpoint " + (v == null ? "development build" : v),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }

    public static CommandLine commandLine() {
        return commandLine(System.in);
    }

    /** The command line reading PINs from {@code in} (tests give it the lines a person would type). */
    public static CommandLine commandLine(InputStream in) {
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

    /** As {@link #commandLine(InputStream)}, with whether head office's libraries are here given. */
    static CommandLine commandLine(InputStream in, BooleanSupplier headOfficeInstalled) {
        CounterpointCommand top = new CounterpointCommand();
        top.readFrom(in);
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

    /** No command: the counter window, as `terminal` without options. */
    @Override
    public Integer call() {
        return TerminalCommand.openCounter(this);
    }
}
