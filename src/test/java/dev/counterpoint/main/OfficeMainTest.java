package dev.counterpoint.main;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Head office's package runs the `office` command: its subcommands and the data dir are given as to `office`. */
class OfficeMainTest {
    @TempDir
    Path tmp;

    @Test
    void argumentsGoToTheOfficeCommand() {
        assertThat(OfficeMain.officeArgs(new String[0])).containsExactly("office");
        String[] args = OfficeMain.officeArgs(new String[] {"--data-dir", tmp.toString(), "add-terminal", "--store", "S1",
                "--terminal", "T1"});
        CommandLine cl = CounterpointCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute(args)).isZero();
        assertThat(out.toString()).contains("registration code for S1/T1");
        assertThat(tmp.resolve("office.properties")).as("head office's data dir is the one given").exists();
    }
}
