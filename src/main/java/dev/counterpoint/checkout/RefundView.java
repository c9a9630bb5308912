package dev.counterpoint.checkout;

import dev.counterpoint.protocol.RefundKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The void and refund screen's controller: binds the form to {@link RefundViewModel}; no logic of its own. Space ticks
 * the line selected in the list, Enter in the receipt field shows that receipt and in the PIN field confirms, F6 goes
 * back to the receipt field, Esc closes.
 */
public final class RefundView {
    @FXML private BorderPane root;
    @FXML private Label cashierLabel;
    @FXML private TextField receiptField;
    @FXML private Label refundMessageLabel;
    @FXML private VBox receiptBox;
    @FXML private Label refundReceiptLabel;
    @FXML private Label memberLabel;
    @FXML private Label paidLabel;
    @FXML private ListView<RefundViewModel.LineRow> refundLinesList;
    @FXML private Button chooseAllButton;
    @FXML private ToggleGroup kindGroup;
    @FXML private RadioButton refundRadio;
    @FXML private RadioButton voidRadio;
    @FXML private Label voidNoteLabel;
    @FXML private GridPane figuresGrid;
    @FXML private Label couponLabel;
    @FXML private Label tierLabel;
    @FXML private Label previewNoteLabel;
    @FXML private TextField refundManagerIdField;
    @FXML private PasswordField refundPinField;
    @FXML private Button confirmButton;

    private RefundViewModel vm;

    /** Loads the screen over the counter (which it keeps from the keyboard while it is open), bound, and shows it. */
    public static Stage open(Window owner, RefundViewModel viewModel) {
        FXMLLoader loader = new FXMLLoader(RefundView.class.getResource("RefundView.fxml"), viewModel.bundle());
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the void and refund screen's layout cannot be loaded", e);
        }
        RefundView view = loader.getController();
        view.bind(viewModel);
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
            root.setStyle(owner.getScene().getRoot().getStyle());
        }
        stage.setTitle(viewModel.bundle().getString("refund.screen.title"));
        Scene scene = new Scene(root);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.F6) {
                view.focusReceipt();
                e.consume();
            }
        });
        stage.setScene(scene);
        stage.show();
        view.focusReceipt();
        return stage;
    }

    public void bind(RefundViewModel viewModel) {
        if (vm != null) {
            throw new IllegalStateException("the refund screen is already bound");
        }
        vm = viewModel;
        cashierLabel.textProperty().bind(vm.cashierTextProperty());
        receiptField.textProperty().bindBidirectional(vm.receiptNoProperty());
        // once a void or refund is made the receipt field takes the keyboard again, for the next receipt's scan
        vm.reversalsProperty().addListener((o, was, now) -> focusReceipt());
        // a number looked up is selected: the next scan or typing replaces it rather than adding to it
        vm.lookupsProperty().addListener((o, was, now) -> {
            if (receiptField.isFocused()) {
                receiptField.selectAll();
            }
        });
        refundMessageLabel.textProperty().bind(vm.messageProperty());
        vm.messageKindProperty().addListener((o, was, now) -> styleMessage(now));
        styleMessage(vm.messageKindProperty().get());
        refundReceiptLabel.textProperty().bind(vm.receiptTextProperty());
        memberLabel.textProperty().bind(vm.memberTextProperty());
        paidLabel.textProperty().bind(vm.paidTextProperty());
        receiptBox.visibleProperty().bind(vm.loadedProperty());

        refundLinesList.setItems(vm.lines());
        refundLinesList.setCellFactory(l -> new LineCell());
        refundLinesList.setPlaceholder(new Label(""));
        refundLinesList.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.SPACE) {
                vm.toggle(refundLinesList.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        // Tabbing into the lines selects the first one that can be ticked, so Space works at once.
        refundLinesList.focusedProperty().addListener((o, was, now) -> {
            if (now && refundLinesList.getSelectionModel().isEmpty()) {
                vm.lines().stream().filter(r -> !r.refunded()).findFirst()
                        .ifPresent(r -> refundLinesList.getSelectionModel().select(r));
            }
        });
        vm.lines().addListener((ListChangeListener<RefundViewModel.LineRow>) c -> refundLinesList.getSelectionModel().clearSelection());
        refundLinesList.disableProperty().bind(vm.loadedProperty().not());
        chooseAllButton.disableProperty().bind(vm.linesLeftProperty().not()
                .or(vm.kindProperty().isEqualTo(RefundKind.VOID)));

        refundRadio.setUserData(RefundKind.REFUND);
        voidRadio.setUserData(RefundKind.VOID);
        refundRadio.disableProperty().bind(vm.linesLeftProperty().not());
        voidRadio.disableProperty().bind(vm.voidAllowedProperty().not());
        kindGroup.selectedToggleProperty().addListener((o, was, now) -> {
            if (now != null) {
                vm.kindProperty().set((RefundKind) now.getUserData());
            }
        });
        vm.kindProperty().addListener((o, was, now) -> (now == RefundKind.VOID ? voidRadio : refundRadio).setSelected(true));
        voidNoteLabel.textProperty().bind(vm.voidNoteProperty());
        voidNoteLabel.visibleProperty().bind(vm.voidNoteProperty().isNotEmpty());
        voidNoteLabel.managedProperty().bind(voidNoteLabel.visibleProperty());

        vm.figures().addListener((ListChangeListener<RefundViewModel.Figure>) c -> showFigures());
        showFigures();
        previewNoteLabel.textProperty().bind(vm.previewNoteProperty());
        previewNoteLabel.visibleProperty().bind(vm.previewNoteProperty().isNotEmpty());
        previewNoteLabel.managedProperty().bind(previewNoteLabel.visibleProperty());
        couponLabel.textProperty().bind(vm.couponTextProperty());
        couponLabel.visibleProperty().bind(vm.couponTextProperty().isNotEmpty());
        couponLabel.managedProperty().bind(couponLabel.visibleProperty());
        tierLabel.textProperty().bind(vm.tierTextProperty());
        tierLabel.visibleProperty().bind(vm.tierTextProperty().isNotEmpty());
        tierLabel.managedProperty().bind(tierLabel.visibleProperty());

        refundManagerIdField.textProperty().bindBidirectional(vm.managerIdProperty());
        refundPinField.textProperty().bindBidirectional(vm.managerPinProperty());
        confirmButton.textProperty().bind(vm.confirmTextProperty());
        confirmButton.disableProperty().bind(Bindings.not(vm.canConfirmProperty()));
    }

    /** The receipt field, its number selected: a scan or typing replaces it. */
    void focusReceipt() {
        Platform.runLater(() -> {
            receiptField.requestFocus();
            receiptField.selectAll();
        });
    }

    private void showFigures() {
        figuresGrid.getChildren().clear();
        int row = 0;
        for (RefundViewModel.Figure f : vm.figures()) {
            Label value = new Label(f.value());
            value.getStyleClass().add("figure-value");
            value.setMinWidth(Region.USE_PREF_SIZE);
            Label label = new Label(f.label());
            label.setWrapText(true);
            GridPane.setHalignment(value, javafx.geometry.HPos.RIGHT);
            GridPane.setHgrow(label, Priority.ALWAYS);
            figuresGrid.addRow(row++, label, value);
        }
        figuresGrid.setVisible(row > 0);
        figuresGrid.setManaged(row > 0);
    }

    private void styleMessage(CounterMessages.Kind kind) {
        refundMessageLabel.getStyleClass().removeAll("message-info", "message-success", "message-error");
        refundMessageLabel.getStyleClass().add("message-" + kind.name().toLowerCase(Locale.ROOT));
    }

    @FXML
    private void onLoad() {
        vm.load();
    }

    @FXML
    private void onChooseAll() {
        vm.chooseAll();
    }

    @FXML
    private void onManagerId() {
        refundPinField.requestFocus();
    }

    @FXML
    private void onConfirm() {
        vm.confirm();
    }

    @FXML
    private void onClose() {
        ((Stage) root.getScene().getWindow()).hide();
    }

    /** A line: its check box (bound to the row), the amount, and "refunded" or "voided" on one taken back already. */
    private final class LineCell extends ListCell<RefundViewModel.LineRow> {
        private final CheckBox box = new CheckBox();
        private final Label amount = new Label();
        private final Label refunded = new Label();
        private final HBox graphic;
        private RefundViewModel.LineRow bound;

        LineCell() {
            box.setFocusTraversable(false);
            box.setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(box, Priority.ALWAYS);
            amount.getStyleClass().add("line-amount");
            amount.setMinWidth(Region.USE_PREF_SIZE);
            refunded.getStyleClass().add("refunded-tag");
            refunded.setMinWidth(Region.USE_PREF_SIZE);
            graphic = new HBox(10, box, refunded, amount);
            graphic.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(RefundViewModel.LineRow item, boolean empty) {
            super.updateItem(item, empty);
            if (bound != null) {
                box.selectedProperty().unbindBidirectional(bound.chosenProperty());
                box.disableProperty().unbind();
                bound = null;
            }
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            bound = item;
            box.setText(item.text());
            box.selectedProperty().bindBidirectional(item.chosenProperty());
            box.disableProperty().bind(item.lockedProperty());
            amount.setText(item.amount());
            refunded.setText(item.takenBackText());
            refunded.setVisible(item.refunded());
            refunded.setManaged(item.refunded());
            box.getStyleClass().remove("line-refunded");
            if (item.refunded()) {
                box.getStyleClass().add("line-refunded");
            }
            setGraphic(graphic);
        }
    }
}
