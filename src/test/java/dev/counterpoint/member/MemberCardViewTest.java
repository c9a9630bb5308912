package dev.counterpoint.member;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.scan.QrDecoding;
import dev.counterpoint.shared.Messages;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

/** The card as drawn on screen (the part that is printed) carries a QR that decodes to the card code. */
class MemberCardViewTest {
    private Stage stage;

    @BeforeEach
    void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() throws Exception {
        if (stage != null) {
            FxToolkit.setupFixture(stage::close);
        }
    }

    @Test
    void theRenderedCardDecodesToTheCardCode() throws Exception {
        MemberCardViewModel vm = new MemberCardViewModel(new MemberCard("王芳", "2900000000018"), Messages.CHINESE);
        CompletableFuture<BufferedImage> shot = new CompletableFuture<>();
        CompletableFuture<String> texts = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                FXMLLoader loader = new FXMLLoader(MemberCardView.class.getResource("MemberCardView.fxml"), vm.bundle());
                Parent root = loader.load();
                ((MemberCardView) loader.getController()).bind(vm);
                stage = new Stage();
                stage.setScene(new Scene(root));
                stage.show();
                Node card = root.lookup(".card-area");
                texts.complete(((Label) root.lookup(".card-name")).getText() + "|" + ((Label) root.lookup(".card-code")).getText());
                shot.complete(toBufferedImage(card.snapshot(null, null)));
            } catch (Exception e) {
                shot.completeExceptionally(e);
            }
        });
        BufferedImage image = shot.get(30, TimeUnit.SECONDS);

        assertThat(image.getWidth()).isGreaterThan(MemberCardViewModel.QR_SIZE);
        assertThat(QrDecoding.decode(image)).isEqualTo("2900000000018");
        assertThat(texts.get(5, TimeUnit.SECONDS)).isEqualTo("王芳|2900000000018");
    }

    @Test
    void theImageHasOnePixelPerModule() {
        MemberCardViewModel vm = new MemberCardViewModel(new MemberCard("Li", "MEM-000123"), Locale.ENGLISH);
        WritableImage img = MemberCardView.image(vm.matrix());
        assertThat(QrDecoding.decode(toBufferedImage(img))).isEqualTo("MEM-000123");
    }

    private static BufferedImage toBufferedImage(Image fx) {
        int w = (int) fx.getWidth();
        int h = (int) fx.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        PixelReader pixels = fx.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, pixels.getArgb(x, y) & 0xFFFFFF);
            }
        }
        return out;
    }
}
