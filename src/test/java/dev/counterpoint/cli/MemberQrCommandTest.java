package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.scan.MemberQrKeys;
import dev.counterpoint.scan.MemberQrVerifier;
import dev.counterpoint.scan.QrDecoding;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberQrCommandTest {
    @TempDir
    Path dir;

    private static String lastLine(String out) {
        List<String> lines = out.lines().toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void printsAValidTokenAloneOnTheLastLineAndWritesItsQr() throws Exception {
        Path png = dir.resolve("qr/token.png");
        LookupCommandTest.Run run = LookupCommandTest.run("--data-dir", dir.toString(), "--lang", "en",
                "member-qr", "2900000000018", "--png", png.toString());

        assertThat(run.exit()).isZero();
        String token = lastLine(run.out());
        assertThat(token).startsWith("CP1.2900000000018.");
        assertThat(run.err()).contains("Made a new member-QR signing key");
        assertThat(new MemberQrVerifier(MemberQrKeys.trusted(dir), Clock.systemUTC()).verify(token))
                .isEqualTo(new MemberQrVerifier.Verified("2900000000018"));
        assertThat(QrDecoding.decode(ImageIO.read(png.toFile()))).isEqualTo(token);

        LookupCommandTest.Run again = LookupCommandTest.run("--data-dir", dir.toString(), "member-qr", "2900000000018");
        assertThat(again.err()).as("the key is made once").doesNotContain("signing key");
        assertThat(MemberQrKeys.trusted(dir)).hasSize(1);
    }

    @Test
    void aCodeATokenCannotCarryIsRefused() {
        LookupCommandTest.Run run = LookupCommandTest.run("--data-dir", dir.toString(), "--lang", "zh",
                "member-qr", "29.0000");
        assertThat(run.exit()).isEqualTo(MemberQrCommand.EXIT_BAD_CODE);
        assertThat(run.err()).contains("会员二维码无法携带此卡号：29.0000");
        assertThat(run.out()).isEmpty();
    }

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
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--serial: the baud rate after the comma must be a whole number above 0, not 'fast'");
        assertThat(LookupCommandTest.run("--data-dir", dir.toString(), "terminal", "--serial", ",9600").err())
                .contains("--serial: name the port");
        assertThat(dir.resolve("counterpoint.properties")).doesNotExist();
    }
}
