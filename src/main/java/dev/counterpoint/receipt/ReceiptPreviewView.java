package dev.counterpoint.receipt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import javafx.beans.InvalidationListener;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The receipt preview's controller: the rows in a monospaced font whose Chinese characters are exactly two columns
 * wide, so the screen shows the paper as it prints. F4 prints it again, Esc closes the window.
 */
public final class ReceiptPreviewView {
    /** Monospaced families with double-width Chinese, best first; the first installed is used. */
    static final List<String> MONO_FAMILIES = List.of("Noto Sans Mono CJK SC", "Sarasa Mono SC", "NSimSun", "SimSun",
            "MS Gothic", "Monospaced");
    static final double FONT_SIZE = 15;
    static final double VIEWPORT_HEIGHT = 470;

    @FXML private VBox root;
    @FXML private Label titleLabel;
    @FXML private ScrollPane paperScroll;
    @FXML private VBox paper;
    @FXML private Label statusLabel;
    @FXML private Button printAgainButton;

    private ReceiptPreviewViewModel vm;
    private String family;

    /** Loads the preview and binds it; the stage is shown by the caller (beside the counter, not over its keys). */
    public static Stage create(Window owner, ReceiptPreviewViewModel viewModel, String rootStyle) {
        FXMLLoader loader = new FXMLLoader(ReceiptPreviewView.class.getResource("ReceiptPreviewView.fxml"),
                viewModel.bundle());
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the receipt preview's layout cannot be loaded", e);
        }
        ReceiptPreviewView view = loader.getController();
        view.bind(viewModel);
        root.setStyle(rootStyle);
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle(viewModel.bundle().getString("receipt.preview.window"));
        Scene scene = new Scene(root);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.F4) {
                viewModel.printAgain();
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                stage.hide();
                e.consume();
            }
        });
        stage.setScene(scene);
        return stage;
    }

    public void bind(ReceiptPreviewViewModel viewModel) {
        if (vm != null) {
            throw new IllegalStateException("the receipt preview is already bound");
        }
        vm = viewModel;
        family = Font.getFamilies().stream().filter(Set.copyOf(MONO_FAMILIES)::contains)
                .min((a, b) -> MONO_FAMILIES.indexOf(a) - MONO_FAMILIES.indexOf(b)).orElse("Monospaced");
        titleLabel.textProperty().bind(vm.titleProperty());
        statusLabel.textProperty().bind(vm.statusProperty());
        printAgainButton.disableProperty().bind(vm.busyProperty());
        vm.statusIsErrorProperty().addListener((o, was, now) -> styleStatus(now));
        styleStatus(vm.statusIsErrorProperty().get());
        InvalidationListener rebuild = o -> rebuild();
        vm.rows().addListener(rebuild);
        vm.widthProperty().addListener(rebuild);
        rebuild();
    }

    private void rebuild() {
        Font normal = Font.font(family, FONT_SIZE);
        double column = new Text("0").getLayoutBounds().getWidth();
        Text probe = new Text("0".repeat(vm.widthProperty().get()));
        probe.setFont(normal);
        double paperWidth = Math.ceil(probe.getLayoutBounds().getWidth()) + 1;
        paper.getChildren().clear();
        for (ReceiptPreviewViewModel.PreviewRow row : vm.rows()) {
            Label label = new Label(row.text().isEmpty() ? " " : row.text());
            FontWeight weight = row.bold() ? FontWeight.BOLD : FontWeight.NORMAL;
            label.setFont(Font.font(family, weight, row.large() ? FONT_SIZE * 2 : FONT_SIZE));
            label.setTextOverrun(OverrunStyle.CLIP);
            label.setMinWidth(Region.USE_PREF_SIZE);
            paper.getChildren().add(label);
        }
        paper.setMinWidth(paperWidth + 24);
        paper.setMaxWidth(paperWidth + 24);
        paperScroll.setPrefViewportWidth(paperWidth + 48 + column);
        // a long receipt scrolls: the window stays on a counter's screen with its buttons in sight
        paperScroll.setPrefViewportHeight(VIEWPORT_HEIGHT);
        // what became of the print wraps under the paper instead of widening the window
        statusLabel.setPrefWidth(paperWidth + 60 + column);
        statusLabel.setMinHeight(Region.USE_PREF_SIZE);
        paperScroll.setVvalue(0);
    }

    private void styleStatus(boolean error) {
        statusLabel.getStyleClass().removeAll("message-error", "message-ok");
        statusLabel.getStyleClass().add(error ? "message-error" : "message-ok");
    }

    @FXML
    private void onPrintAgain() {
        vm.printAgain();
    }

    @FXML
    private void onClose() {
        ((Stage) root.getScene().getWindow()).hide();
    }
}
