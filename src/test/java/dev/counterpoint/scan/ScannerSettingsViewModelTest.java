package dev.counterpoint.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScannerSettingsViewModelTest {
    @TempDir
    Path dir;

    private final List<ScannerSettings> applied = new ArrayList<>();

    private ScannerSettingsViewModel open(Locale locale) {
        return new ScannerSettingsViewModel(ScannerSettings.load(dir), dir, () -> List.of("/dev/ttyS0", "/dev/ttyUSB0"),
                locale, applied::add);
    }

    @Test
    void listsTheOsPortsButATypedPathIsSavedAndApplied() {
        ScannerSettingsViewModel vm = open(Locale.ENGLISH);
        assertThat(vm.ports()).containsExactly("/dev/ttyS0", "/dev/ttyUSB0");
        vm.portProperty().set("/tmp/ttyV0");
        vm.baudProperty().set("19200");
        vm.framingProperty().set(ScannerSettings.Framing.SUFFIX);
        vm.suffixProperty().set("\\x03");
        vm.prefixProperty().set("]E0");
        vm.wedgeTerminatorProperty().set(ScannerSettings.WedgeTerminator.TAB);

        assertThat(vm.save()).isTrue();
        ScannerSettings saved = ScannerSettings.load(dir);
        assertThat(saved.port()).isEqualTo("/tmp/ttyV0");
        assertThat(saved.baud()).isEqualTo(19200);
        assertThat(saved.terminator()).isEqualTo("\u0003");
        assertThat(saved.prefix()).isEqualTo("]E0");
        assertThat(saved.wedgeTerminator()).isEqualTo(ScannerSettings.WedgeTerminator.TAB);
        assertThat(applied).containsExactly(saved);
        assertThat(open(Locale.ENGLISH).suffixProperty().get()).isEqualTo("\\x03");
    }

    @Test
    void badValuesAreRefusedWithAReasonAndNothingIsSaved() {
        ScannerSettingsViewModel vm = open(Locale.SIMPLIFIED_CHINESE);
        vm.baudProperty().set("fast");
        assertThat(vm.save()).isFalse();
        assertThat(vm.messageProperty().get()).isEqualTo("波特率须为大于 0 的整数，不能是“fast”");

        vm.baudProperty().set("9600");
        vm.framingProperty().set(ScannerSettings.Framing.SUFFIX);
        vm.suffixProperty().set("");
        assertThat(vm.save()).isFalse();
        assertThat(vm.messageProperty().get()).isEqualTo("选择“自定义后缀”时须填写后缀");

        vm.suffixProperty().set("\\x0");
        assertThat(vm.save()).isFalse();
        assertThat(vm.messageIsErrorProperty().get()).isTrue();

        vm.framingProperty().set(ScannerSettings.Framing.CR);
        vm.suffixProperty().set("");
        vm.wedgePrefixProperty().set("前缀");
        assertThat(vm.save()).isFalse();
        assertThat(vm.messageProperty().get()).isEqualTo("键盘式扫描枪的前缀和后缀只能是可打印的 ASCII 字符");

        assertThat(applied).isEmpty();
        assertThat(dir.resolve(ScannerSettings.FILE_NAME)).doesNotExist();
    }

    @Test
    void choicesHaveLocalisedNames() {
        ScannerSettingsViewModel vm = open(Locale.SIMPLIFIED_CHINESE);
        assertThat(vm.label(ScannerSettings.Parity.EVEN)).isEqualTo("偶校验");
        assertThat(vm.label(ScannerSettings.WedgeTerminator.ENTER_OR_TAB)).isEqualTo("回车或 Tab");
        assertThat(vm.label(ScannerSettings.Framing.CRLF)).isEqualTo("CR LF (\\r\\n)");
    }
}
