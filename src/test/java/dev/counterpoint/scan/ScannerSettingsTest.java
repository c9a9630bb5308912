package dev.counterpoint.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScannerSettingsTest {
    @TempDir
    Path dir;

    @Test
    void withoutAFileSerialIsOffAndTheWedgeEndsWithEnter() {
        ScannerSettings s = ScannerSettings.load(dir);
        assertThat(s.serialEnabled()).isFalse();
        assertThat(s.terminator()).isEqualTo("\r");
        assertThat(s.wedgeTerminator()).isEqualTo(ScannerSettings.WedgeTerminator.ENTER);
    }

    @Test
    void savedSettingsComeBackTheSameIncludingControlCharacters() {
        ScannerSettings s = new ScannerSettings("/dev/ttyUSB0", 115200, 7, ScannerSettings.Parity.EVEN,
                ScannerSettings.StopBits.TWO, ScannerSettings.Framing.SUFFIX, "\u0003", "\u0002", "]C1", "\\",
                ScannerSettings.WedgeTerminator.TAB);
        s.save(dir);
        assertThat(ScannerSettings.load(dir)).isEqualTo(s);
        assertThat(ScannerSettings.load(dir).terminator()).isEqualTo("\u0003");
    }

    @Test
    void theCommandLineOverridesPortAndBaudOnly() {
        ScannerSettings s = ScannerSettings.defaults().withSerial("/dev/ttyACM0", 19200);
        assertThat(s.port()).isEqualTo("/dev/ttyACM0");
        assertThat(s.baud()).isEqualTo(19200);
        assertThat(s.withSerial("COM3", null).baud()).isEqualTo(19200);
    }

    @Test
    void escapesRoundTrip() {
        assertThat(ScannerSettings.unescape("\\r\\n\\x03a\\\\b")).isEqualTo("\r\n\u0003a\\b");
        assertThat(ScannerSettings.escape("\r\u0003a\\")).isEqualTo("\\x0D\\x03a\\\\");
        assertThatThrownBy(() -> ScannerSettings.unescape("\\x0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScannerSettings.unescape("\\q")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBadValueNamesTheFileAndKey() throws Exception {
        Files.writeString(dir.resolve(ScannerSettings.FILE_NAME), "serial.port=/dev/ttyS0\nserial.parity=sometimes\n");
        assertThatThrownBy(() -> ScannerSettings.load(dir)).hasMessageContaining(ScannerSettings.FILE_NAME)
                .hasMessageContaining("serial.parity must be one of [NONE, ODD, EVEN, MARK, SPACE], not \"sometimes\"");
    }
}
