package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.main.CounterpointCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command and subcommand answers --help with its usage, the exit codes, and exit 0; the program says its version.
 */
class HelpAndVersionTest {

    /** Every command's path from the root: ["lookup"], ["office", "add-user"], … */
    private static List<List<String>> paths(CommandLine cl, List<String> prefix) {
        List<List<String>> out = new ArrayList<>();
        for (var e : cl.getSubcommands().entrySet()) {
            if (!e.getValue().getCommandName().equals(e.getKey())) {
                continue; // an alias of a command listed under its name
            }
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            out.add(path);
            out.addAll(paths(e.getValue(), path));
        }
        return out;
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageAndExitZero() {
        List<List<String>> paths = paths(CounterpointCommand.commandLine(), List.of());
        assertThat(paths).as("the commands the README lists, and the office's subcommands")
                .contains(List.of("lookup"), List.of("checkout"), List.of("refund"), List.of("close-day"),
                        List.of("office", "add-user"), List.of("staff", "add"), List.of("audit", "verify"));
        for (List<String> path : paths) {
            CommandLine cl = CounterpointCommand.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            int code = cl.execute(args.toArray(String[]::new));
            assertThat(code).as("%s --help: %s", path, err).isZero();
            assertThat(out.toString()).as("%s --help", path)
                    .startsWith("Usage: counterpoint " + String.join(" ", path)).contains("--help")
                    .contains("Exit codes").containsPattern("(?m)^\\s*" + ExitCodes.AUDIT_BROKEN + "\\s+the audit log");
            assertThat(err.toString()).as("%s --help", path).isEmpty();
        }
    }

    /** The command list of --help shows each command's first description line: a whole short sentence, not a cut one. */
    @Test
    void everyCommandsSummaryInTheListIsACompleteShortSentence() {
        List<String> cut = new ArrayList<>();
        for (List<String> path : paths(CounterpointCommand.commandLine(), List.of())) {
            CommandLine cl = CounterpointCommand.commandLine();
            for (String name : path) {
                cl = cl.getSubcommands().get(name);
            }
            String[] description = cl.getCommandSpec().usageMessage().description();
            String summary = description.length == 0 ? "" : description[0].strip();
            if (!summary.matches("[A-Z].{10,100}[.]")) {
                cut.add(String.join(" ", path) + ": " + summary);
            }
        }
        assertThat(cut).as("commands whose summary is not one short sentence").isEmpty();
    }

    @Test
    void versionNamesTheProgramAndItsJava() {
        CommandLine cl = CounterpointCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("--version")).isZero();
        assertThat(out.toString()).startsWith("Counterpoint ").contains("Java " + System.getProperty("java.version"));
        StringWriter sub = new StringWriter();
        CommandLine again = CounterpointCommand.commandLine();
        again.setOut(new PrintWriter(sub, true));
        assertThat(again.execute("lookup", "--version")).as("a command answers it too").isZero();
        assertThat(sub.toString()).isEqualTo(out.toString());
    }
}
