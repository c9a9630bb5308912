package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminalCommandTest {
    @TempDir
    Path dir;

    @Test
    void terminalSerialNamesAPortAndOptionallyABaudRate() {
        TerminalCommand cmd = new TerminalCommand();
        new picocli.CommandLine(cmd); // injects the command spec
        assertThat(cmd.parseSerial("/dev/ttyUSB0,9600")).isEqualTo(new TerminalCommand.SerialOverride("/dev/ttyUSB0", 9600));
        assertThat(cmd.parseSerial("COM3")).isEqualTo(new TerminalCommand.SerialOverride("COM3", null));
    }

    @Test
    void aBadSerialOptionIsRefusedBeforeAnythingOpens() {
        LookupCommandTest.Run run = LookupCommandTest.run("--data-dir", dir.toString(), "terminal", "--serial",
                "/dev/ttyUSB0,fast");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--serial: the baud rate after the comma must be a whole number above 0, not 'fast'");
        assertThat(LookupCommandTest.run("--data-dir", dir.toString(), "terminal", "--serial", ",9600").err())
                .contains("--serial: name the port");
        assertThat(dir.resolve("counterpoint.properties")).doesNotExist();
    }
}
