package dev.counterpoint.main;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.cli.ExitCodes;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where head office's libraries are left out (the till's package), `office` says so instead of failing on a class. */
class OfficeNotInstalledTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(boolean officeInstalled, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CounterpointCommand.commandLine(new ByteArrayInputStream(new byte[0]), () -> officeInstalled);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void officeAndItsSubcommandsAreAUsageErrorWithoutHeadOfficesLibraries() {
        String dir = tmp.resolve("office").toString();
        for (String[] args : new String[][] {{"--data-dir", dir, "office"}, {"--data-dir", dir, "office", "--port", "0"},
                {"--data-dir", dir, "office", "add-terminal", "--store", "S1", "--terminal", "T1"}}) {
            Run r = run(false, args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).contains("head office is not part of this installation").contains("installed separately");
            assertThat(r.out()).isEmpty();
        }
        assertThat(tmp.resolve("office")).as("nothing was opened or made").doesNotExist();
    }

    @Test
    void helpStillAnswersAndOtherCommandsAreUntouched() {
        Run help = run(false, "office", "add-terminal", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: counterpoint office add-terminal");
        assertThat(run(false, "--version").exit()).isZero();
        assertThat(run(false, "--data-dir", tmp.resolve("till").toString(), "lookup", "2900000000018").exit())
                .as("an unknown card in an empty store").isEqualTo(3);
    }

    @Test
    void withHeadOfficesLibrariesOfficeRuns() {
        Run r = run(true, "--data-dir", tmp.resolve("office").toString(), "office", "revoke-terminal",
                "--store", "S1", "--terminal", "T1");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("no terminal S1/T1 is registered");
        assertThat(CounterpointCommand.headOfficeInstalled()).as("the test class path is the full build's").isTrue();
    }
}
