package dev.counterpoint.checkout;

import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;

/** The sale's controller: the suggested coupons (F1, Enter), the amount and item lines, completing it (F2). */
public final class CheckoutView {
    /** The last receipt again (the button by the receipt line; F4 anywhere): the window wires it. */
    private Runnable onReprint = () -> { };
    @FXML private ListView<MemberPanelFormat.SuggestionRow> suggestionsList;
    @FXML private Button redeemTopButton;
    @FXML private Button redeemSelectedButton;
    @FXML private TextField saleAmountField;
    @FXML private TextField lineSkuField;
    @FXML private TextField lineCategoryField;
    @FXML private TextField lineQtyField;
    @FXML private TextField lineAmountField;
    @FXML private ListView<CheckoutViewModel.LineRow> linesList;
    @FXML private Label receiptLabel;

    private CheckoutViewModel vm;

    /** @param panel the member the sale is for: their suggestions are offered */
    void bind(CheckoutViewModel viewModel, MemberPanelViewModel panel) {
        vm = viewModel;
        suggestionsList.setItems(panel.suggestions());
        suggestionsList.setCellFactory(l -> new SuggestionCell());
        Label noSuggestion = new Label();
        noSuggestion.textProperty().bind(Bindings.when(panel.memberShownProperty())
                .then(panel.bundle().getString("counter.suggestions.none")).otherwise(""));
        suggestionsList.setPlaceholder(noSuggestion);
        suggestionsList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                onRedeemSelected();
                e.consume();
            }
        });
        redeemTopButton.disableProperty().bind(Bindings.isEmpty(panel.suggestions()));
        redeemSelectedButton.disableProperty().bind(suggestionsList.getSelectionModel().selectedItemProperty().isNull());

        saleAmountField.textProperty().bindBidirectional(vm.saleAmountProperty());
        lineSkuField.textProperty().bindBidirectional(vm.lineSkuProperty());
        lineCategoryField.textProperty().bindBidirectional(vm.lineCategoryProperty());
        lineQtyField.textProperty().bindBidirectional(vm.lineQtyProperty());
        lineAmountField.textProperty().bindBidirectional(vm.lineAmountProperty());
        linesList.setItems(vm.lines());
        linesList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(CheckoutViewModel.LineRow item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.text());
            }
        });
        linesList.setPlaceholder(new Label(panel.bundle().getString("counter.line.none")));
        linesList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) {
                vm.removeLine(linesList.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        receiptLabel.textProperty().bind(vm.receiptProperty());
        // The amount is what the cashier types next: once a member is shown, and whenever the sale asks for it.
        // (After the pulse that enables the sale's column, which follows the member.)
        vm.amountWantedProperty().addListener((o, was, now) -> Platform.runLater(saleAmountField::requestFocus));
        panel.memberShownProperty().addListener((o, was, now) -> {
            if (now) {
                Platform.runLater(saleAmountField::requestFocus);
            }
        });
    }

    @FXML
    private void onRedeemTop() {
        vm.redeemTop();
    }

    @FXML
    private void onRedeemSelected() {
        MemberPanelFormat.SuggestionRow row = suggestionsList.getSelectionModel().getSelectedItem();
        if (row != null) {
            vm.redeem(row);
        }
    }

    @FXML
    private void onRecordSale() {
        vm.recordSale();
    }

    @FXML
    private void onAddLine() {
        vm.addLine();
    }

    /** Two lines: what the coupon is, then why it is offered; the first one carries the F1 hint. */
    private static final class SuggestionCell extends ListCell<MemberPanelFormat.SuggestionRow> {
        private final Label title = new Label();
        private final Label reason = new Label();
        private final VBox box = new VBox(2, title, reason);

        SuggestionCell() {
            title.getStyleClass().add("suggestion-title");
            reason.getStyleClass().add("suggestion-reason");
        }

        @Override
        protected void updateItem(MemberPanelFormat.SuggestionRow item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            title.setText(getIndex() == 0 ? item.title() + "   [F1]" : item.title());
            reason.setText(item.reason());
            setGraphic(box);
        }
    }

    void setOnReprint(Runnable action) {
        onReprint = action;
    }

    @FXML
    private void onReprint() {
        onReprint.run();
    }
}
