package dev.counterpoint.receipt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import javafx.beans.InvalidationListener;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

/**
 * The receipt preview's controller: the rows in a monospaced font whose Chinese characters are exactly two columns
 * wide, so the screen shows the paper as it prints. Print again and Close; the counter's F4 and Esc do the same.
 */
public final class ReceiptPreviewView {
    /** Monospaced families with double-width Chinese, best first; the first installed is used. */
    static final List<String> MONO_FAMILIES = List.of("Noto Sans Mono CJK SC", "Sarasa Mono SC", "NSimSun", "SimSun",
            "MS Gothic", "Monospaced");
    static final double FONT_SIZE = 15;
    static final double VIEWPORT_HEIGHT = 470;
    /** A bold row, a double-size row ({@code .paper .label:bold}, {@code :large} in the CSS). */
    static final PseudoClass BOLD = PseudoClass.getPseudoClass("bold");
    static final PseudoClass LARGE = PseudoClass.getPseudoClass("large");

    @FXML private Label titleLabel;
    @FXML private ScrollPane paperScroll;
    @FXML private VBox paper;
    @FXML private Label statusLabel;
    @FXML private Button printAgainButton;

    private ReceiptPreviewViewModel vm;
    private String family;
    /** A row's face, the paper's measure. */
    private Font normal;
    /** The paper's width laid out for, in columns (0: none yet). */
    private int laidOutWidth;

    /** What the Close button does: the counter puts the preview away. */
    private Runnable onClose = () -> { };

    /**
     * Loads the preview and binds it. The counter lays it over its member column and shows it for each receipt
     * (decision 0065): a node made visible, not a window shown again, which JavaFX would style from scratch each time.
     */
    public static Parent load(ReceiptPreviewViewModel viewModel, String rootStyle, Runnable onClose) {
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
        view.onClose = onClose;
        root.setStyle(rootStyle);
        root.setAccessibleText(viewModel.bundle().getString("receipt.preview.window"));
        return root;
    }

    public void bind(ReceiptPreviewViewModel viewModel) {
        if (vm != null) {
            throw new IllegalStateException("the receipt preview is already bound");
        }
        vm = viewModel;
        family = Font.getFamilies().stream().filter(Set.copyOf(MONO_FAMILIES)::contains)
                .min((a, b) -> MONO_FAMILIES.indexOf(a) - MONO_FAMILIES.indexOf(b)).orElse("Monospaced");
        normal = Font.font(family, FontWeight.NORMAL, FONT_SIZE);
        // the rows' family and size, inherited by each row's label; bold and large rows by pseudo-class (the CSS)
        paper.setStyle("-fx-font-family: '" + family + "'; -fx-font-size: " + FONT_SIZE + "px;");
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

    /**
     * Puts the receipt's rows on the paper. The labels of earlier receipts are kept and given the new rows' text (a
     * receipt is shown right after each sale, and new labels would each be styled anew in the next pulse), and a row's
     * face by pseudo-class: a font set in code makes JavaFX restyle the label from scratch (its style matched again,
     * inside the sale being shown), where a pseudo-class takes the style it had for that state before. Labels beyond
     * this receipt's rows are hidden, not removed, so that a longer receipt after a shorter one (a sale paid with points
     * after one with a coupon) finds them styled. Only rows beyond every earlier receipt get new ones, and the paper is
     * measured again only when its width changes.
     */
    private void rebuild() {
        List<ReceiptPreviewViewModel.PreviewRow> rows = vm.rows();
        var labels = paper.getChildren();
        for (int i = 0; i < Math.max(rows.size(), labels.size()); i++) {
            Label label;
            if (i < labels.size()) {
                label = (Label) labels.get(i);
            } else {
                label = new Label();
                label.setTextOverrun(OverrunStyle.CLIP);
                label.setMinWidth(Region.USE_PREF_SIZE);
                labels.add(label);
            }
            boolean used = i < rows.size();
            label.setVisible(used);
            label.setManaged(used);
            if (used) {
                ReceiptPreviewViewModel.PreviewRow row = rows.get(i);
                label.setText(row.text().isEmpty() ? " " : row.text());
                label.pseudoClassStateChanged(BOLD, row.bold());
                label.pseudoClassStateChanged(LARGE, row.large());
            }
        }
        if (laidOutWidth != vm.widthProperty().get()) {
            laidOutWidth = vm.widthProperty().get();
            layOutPaper();
        }
        paperScroll.setVvalue(0);
    }

    /** The paper as wide as its columns, the window around it. */
    private void layOutPaper() {
        double column = new Text("0").getLayoutBounds().getWidth();
        Text probe = new Text("0".repeat(laidOutWidth));
        probe.setFont(normal);
        double paperWidth = Math.ceil(probe.getLayoutBounds().getWidth()) + 1;
        paper.setMinWidth(paperWidth + 24);
        paper.setMaxWidth(paperWidth + 24);
        paperScroll.setPrefViewportWidth(paperWidth + 48 + column);
        // a long receipt scrolls: the window stays on a counter's screen with its buttons in sight
        paperScroll.setPrefViewportHeight(VIEWPORT_HEIGHT);
        // what became of the print wraps under the paper instead of widening the window
        statusLabel.setPrefWidth(paperWidth + 60 + column);
        statusLabel.setMinHeight(Region.USE_PREF_SIZE);
    }

    private void styleStatus(boolean error) {
        // by pseudo-class (.message:error), as the counter's message line is styled by kind: see ScanBarView
        statusLabel.pseudoClassStateChanged(PseudoClass.getPseudoClass("error"), error);
        statusLabel.pseudoClassStateChanged(PseudoClass.getPseudoClass("ok"), !error);
    }

    @FXML
    private void onPrintAgain() {
        vm.printAgain();
    }

    @FXML
    private void onClose() {
        onClose.run();
    }
}
