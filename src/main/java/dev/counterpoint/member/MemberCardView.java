package dev.counterpoint.member;

import com.google.zxing.common.BitMatrix;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.print.PrinterJob;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;

/** The member QR card window's controller: draws the QR, saves it (PNG) and prints the card. */
public final class MemberCardView {
    @FXML private VBox root;
    @FXML private VBox cardArea;
    @FXML private Label nameLabel;
    @FXML private ImageView qrView;
    @FXML private Label codeLabel;
    @FXML private Label messageLabel;

    private MemberCardViewModel vm;

    /** Loads the card, binds it and shows it as a window over {@code owner}. */
    public static Stage open(Window owner, MemberCardViewModel viewModel) {
        FXMLLoader loader = new FXMLLoader(MemberCardView.class.getResource("MemberCardView.fxml"), viewModel.bundle());
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the member card layout cannot be loaded", e);
        }
        MemberCardView view = loader.getController();
        view.bind(viewModel);
        root.setStyle(owner.getScene().getRoot().getStyle());
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.setTitle(viewModel.bundle().getString("member.card.title") + " · " + viewModel.name());
        stage.setScene(new Scene(root));
        stage.show();
        return stage;
    }

    public void bind(MemberCardViewModel viewModel) {
        if (vm != null) {
            throw new IllegalStateException("the member card view is already bound");
        }
        vm = viewModel;
        nameLabel.setText(vm.name());
        codeLabel.setText(vm.cardCode());
        qrView.setImage(image(vm.matrix()));
        messageLabel.textProperty().bind(vm.messageProperty());
        vm.messageIsErrorProperty().addListener((o, was, now) -> {
            messageLabel.getStyleClass().removeAll("message-error", "message-ok");
            messageLabel.getStyleClass().add(now ? "message-error" : "message-ok");
        });
    }

    /** One image pixel per QR matrix cell; the matrix is already scaled to the wanted size. */
    static WritableImage image(BitMatrix matrix) {
        WritableImage image = new WritableImage(matrix.getWidth(), matrix.getHeight());
        PixelWriter pixels = image.getPixelWriter();
        for (int y = 0; y < matrix.getHeight(); y++) {
            for (int x = 0; x < matrix.getWidth(); x++) {
                pixels.setColor(x, y, matrix.get(x, y) ? Color.BLACK : Color.WHITE);
            }
        }
        return image;
    }

    @FXML
    private void onSave() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(vm.bundle().getString("member.card.save"));
        chooser.setInitialFileName(vm.suggestedFileName());
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG", "*.png"));
        File file = chooser.showSaveDialog(root.getScene().getWindow());
        if (file != null) {
            vm.savePng(file.toPath());
        }
    }

    @FXML
    private void onPrint() {
        PrinterJob job = PrinterJob.createPrinterJob();
        if (job == null) {
            vm.noPrinter();
            return;
        }
        if (!job.showPrintDialog(root.getScene().getWindow())) {
            job.cancelJob();
            return;
        }
        boolean ok = job.printPage(cardArea) && job.endJob();
        vm.printed(ok);
    }

    @FXML
    private void onClose() {
        ((Stage) root.getScene().getWindow()).close();
    }
}
