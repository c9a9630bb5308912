package dev.counterpoint.member;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.scan.QrDecoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberCardViewModelTest {
    @TempDir
    Path dir;

    @Test
    void theSavedPngDecodesToTheCardCode() throws Exception {
        MemberCardViewModel vm = new MemberCardViewModel(new MemberCard("王芳", "2900000000018"), Locale.ENGLISH);
        Path png = dir.resolve("cards").resolve(vm.suggestedFileName());
        vm.savePng(png);

        assertThat(vm.messageProperty().get()).isEqualTo("Saved to " + png);
        assertThat(vm.messageIsErrorProperty().get()).isFalse();
        var image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(MemberCardViewModel.QR_SIZE);
        assertThat(QrDecoding.decode(image)).isEqualTo("2900000000018");
    }

    @Test
    void aFolderThatCannotBeWrittenIsReportedNotThrown() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
        MemberCardViewModel vm = new MemberCardViewModel(new MemberCard("王芳", "2900000000018"), Locale.SIMPLIFIED_CHINESE);
        Path target = blocker.resolve("card.png");
        vm.savePng(target);

        assertThat(vm.messageIsErrorProperty().get()).isTrue();
        assertThat(vm.messageProperty().get()).isEqualTo("无法保存到 " + target + "，请换一个文件夹");
    }

    @Test
    void printingOutcomesAreSaid() {
        MemberCardViewModel vm = new MemberCardViewModel(new MemberCard("王芳", "2900000000018"), Locale.ENGLISH);
        vm.noPrinter();
        assertThat(vm.messageProperty().get()).isEqualTo("No printer is set up on this computer: save the card as PNG instead");
        vm.printed(true);
        assertThat(vm.messageProperty().get()).isEqualTo("Sent to the printer");
        assertThat(vm.messageIsErrorProperty().get()).isFalse();
    }
}
