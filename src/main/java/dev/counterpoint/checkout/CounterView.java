package dev.counterpoint.checkout;

import dev.counterpoint.protocol.Tier;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import java.util.Optional;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.control.ButtonType;
import javafx.scene.control.PasswordField;
import javafx.scene.control.Dialog;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The counter window's controller: binds controls to {@link CounterViewModel} and forwards user
 * actions. Created by FXMLLoader with no arguments; the view model arrives afterwards through {@link #bind}.
 *
 * <p>Keys: F1 redeems the top suggestion, F2 records the sale, F3 goes to the search field, F9 opens the
 * manager's rule editor, Esc clears.
 */
public final class CounterView {
    /** Longer than a scan's lookup, short enough that slow work (closing the day) shows at once. */
    private static final Duration BUSY_LABEL_DELAY = Duration.millis(300);

    @FXML private BorderPane root;
    @FXML private VBox scanArea;
    @FXML private Label lastScanLabel;
    @FXML private TextField searchField;
    @FXML private Label messageLabel;
    @FXML private VBox placeholder;
    @FXML private VBox memberCard;
    @FXML private Label nameLabel;
    @FXML private Label tierLabel;
    @FXML private FlowPane tagsPane;
    @FXML private Label cardLabel;
    @FXML private Label phoneLabel;
    @FXML private Label lastVisitLabel;
    @FXML private Label pointsLabel;
    @FXML private Label storedValueLabel;
    @FXML private Label pointsExpiringLabel;
    @FXML private Label tierProgressLabel;
    @FXML private TextField topUpField;
    @FXML private Label favouritesLabel;
    @FXML private TableView<CounterViewModel.PurchaseRow> purchasesTable;
    @FXML private TableColumn<CounterViewModel.PurchaseRow, String> dateColumn;
    @FXML private TableColumn<CounterViewModel.PurchaseRow, String> itemsColumn;
    @FXML private TableColumn<CounterViewModel.PurchaseRow, String> amountColumn;
    @FXML private TableColumn<CounterViewModel.PurchaseRow, String> receiptColumn;
    @FXML private VBox resultsPane;
    @FXML private ListView<CounterViewModel.MemberRow> resultsList;
    @FXML private VBox enrolPane;
    @FXML private TextField enrolNameField;
    @FXML private TextField enrolPhoneField;
    @FXML private TextField enrolBirthdayField;
    @FXML private CheckBox enrolPrivacyCheck;
    @FXML private CheckBox enrolSmsCheck;
    @FXML private CheckBox enrolWechatCheck;
    @FXML private VBox actionsColumn;
    @FXML private ListView<CounterViewModel.SuggestionRow> suggestionsList;
    @FXML private Button redeemTopButton;
    @FXML private Button closeDayButton;
    @FXML private Button signInButton;
    @FXML private Label staffLabel;
    @FXML private Button redeemSelectedButton;
    @FXML private TextField saleAmountField;
    @FXML private TextField lineSkuField;
    @FXML private TextField lineCategoryField;
    @FXML private TextField lineQtyField;
    @FXML private TextField lineAmountField;
    @FXML private ListView<CounterViewModel.LineRow> linesList;
    @FXML private Label receiptLabel;
    @FXML private TextField pointsField;
    @FXML private TextField storedValueField;
    @FXML private Label storeLabel;
    @FXML private Label busyLabel;
    @FXML private Label syncLabel;
    @FXML private Label scannerLabel;

    private CounterViewModel vm;
    private Runnable openRules = () -> { };

    /** What the Rules button (F9) opens: the manager's rule editor, supplied by the window. */
    public void setOnOpenRules(Runnable action) {
        openRules = action;
    }
    private Runnable onScannerSettings = () -> { };

    /** Connects the loaded controls to the view model; called once, right after loading. */
    public void bind(CounterViewModel viewModel) {
        if (vm != null) {
            throw new IllegalStateException("the counter view is already bound");
        }
        vm = viewModel;

        lastScanLabel.textProperty().bind(vm.lastScanProperty());
        messageLabel.textProperty().bind(vm.messageProperty());
        vm.messageKindProperty().addListener((o, was, now) -> styleMessage(now));
        styleMessage(vm.messageKindProperty().get());

        searchField.textProperty().bindBidirectional(vm.searchQueryProperty());
        searchField.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.DOWN && vm.searchResultsShownProperty().get()) {
                resultsList.requestFocus();
                resultsList.getSelectionModel().selectFirst();
                e.consume();
            }
        });

        showOnly(placeholder, Bindings.createBooleanBinding(() -> !vm.memberShownProperty().get()
                        && !vm.searchResultsShownProperty().get() && !vm.enrolShownProperty().get(),
                vm.memberShownProperty(), vm.searchResultsShownProperty(), vm.enrolShownProperty()));
        showOnly(memberCard, vm.memberShownProperty());
        showOnly(resultsPane, vm.searchResultsShownProperty());
        showOnly(enrolPane, vm.enrolShownProperty());

        nameLabel.textProperty().bind(vm.nameProperty());
        tierLabel.textProperty().bind(vm.tierTextProperty());
        vm.tierProperty().addListener((o, was, now) -> styleTier(now));
        cardLabel.textProperty().bind(vm.cardCodeProperty());
        phoneLabel.textProperty().bind(vm.phoneProperty());
        lastVisitLabel.textProperty().bind(vm.lastVisitProperty());
        pointsLabel.textProperty().bind(vm.pointsProperty());
        storedValueLabel.textProperty().bind(vm.storedValueProperty());
        pointsExpiringLabel.textProperty().bind(vm.pointsExpiringProperty());
        tierProgressLabel.textProperty().bind(vm.tierProgressProperty());
        vm.tags().addListener((ListChangeListener<String>) c -> showTags(vm.tags()));
        favouritesLabel.textProperty().bind(Bindings.createStringBinding(() -> vm.favourites().isEmpty()
                ? vm.bundle().getString("counter.favourites.none")
                : String.join("   ", vm.favourites()), vm.favourites()));

        purchasesTable.setItems(vm.purchases());
        dateColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().date()));
        itemsColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().items()));
        amountColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().amount()));
        receiptColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().receiptNo()));
        purchasesTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        resultsList.setItems(vm.searchResults());
        resultsList.setCellFactory(l -> textCell(r -> r.name() + "    " + r.phone() + "    " + r.cardCode()));
        resultsList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                vm.pick(resultsList.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        resultsList.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && resultsList.getSelectionModel().getSelectedItem() != null) {
                vm.pick(resultsList.getSelectionModel().getSelectedItem());
            }
        });
        vm.searchResultsShownProperty().addListener((o, was, now) -> {
            if (now) {
                resultsList.getSelectionModel().selectFirst();
            }
        });

        enrolNameField.textProperty().bindBidirectional(vm.enrolNameProperty());
        enrolPhoneField.textProperty().bindBidirectional(vm.enrolPhoneProperty());
        enrolBirthdayField.textProperty().bindBidirectional(vm.enrolBirthdayProperty());
        enrolPrivacyCheck.selectedProperty().bindBidirectional(vm.enrolPrivacyNoticeProperty());
        enrolSmsCheck.selectedProperty().bindBidirectional(vm.enrolMarketingSmsProperty());
        enrolWechatCheck.selectedProperty().bindBidirectional(vm.enrolMarketingWechatProperty());
        vm.enrolShownProperty().addListener((o, was, now) -> {
            if (now) {
                (enrolNameField.getText().isEmpty() ? enrolNameField : enrolPhoneField).requestFocus();
            }
        });

        suggestionsList.setItems(vm.suggestions());
        suggestionsList.setCellFactory(l -> new SuggestionCell());
        Label noSuggestion = new Label();
        noSuggestion.textProperty().bind(Bindings.when(vm.memberShownProperty())
                .then(vm.bundle().getString("counter.suggestions.none")).otherwise(""));
        suggestionsList.setPlaceholder(noSuggestion);
        suggestionsList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                onRedeemSelected();
                e.consume();
            }
        });
        redeemTopButton.disableProperty().bind(Bindings.isEmpty(vm.suggestions()));
        redeemSelectedButton.disableProperty().bind(suggestionsList.getSelectionModel().selectedItemProperty().isNull());

        saleAmountField.textProperty().bindBidirectional(vm.saleAmountProperty());
        lineSkuField.textProperty().bindBidirectional(vm.lineSkuProperty());
        lineCategoryField.textProperty().bindBidirectional(vm.lineCategoryProperty());
        lineQtyField.textProperty().bindBidirectional(vm.lineQtyProperty());
        lineAmountField.textProperty().bindBidirectional(vm.lineAmountProperty());
        linesList.setItems(vm.lines());
        linesList.setCellFactory(l -> textCell(CounterViewModel.LineRow::text));
        linesList.setPlaceholder(new Label(vm.bundle().getString("counter.line.none")));
        linesList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) {
                vm.removeLine(linesList.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        receiptLabel.textProperty().bind(vm.receiptProperty());
        pointsField.textProperty().bindBidirectional(vm.pointsToRedeemProperty());
        storedValueField.textProperty().bindBidirectional(vm.storedValueToPayProperty());
        topUpField.textProperty().bindBidirectional(vm.storedValueToTopUpProperty());

        actionsColumn.disableProperty().bind(vm.memberShownProperty().not());

        storeLabel.textProperty().bind(vm.storeTextProperty());
        syncLabel.textProperty().bind(vm.syncTextProperty());
        vm.syncWarningProperty().addListener((o, was, warning) -> styleSync());
        vm.syncOnlineProperty().addListener((o, was, online) -> styleSync());
        styleSync();
        closeDayButton.setVisible(vm.canCloseDay());
        closeDayButton.setManaged(vm.canCloseDay());
        closeDayButton.setOnAction(e -> askStaffAndPin("counter.closeDay", "counter.closeDay.pinPrompt", "closeDay")
                .ifPresent(p -> vm.closeDay(p.id(), p.pin())));
        staffLabel.textProperty().bind(vm.staffTextProperty());
        // A counter left alone signs its cashier out (the view model decides when; this only asks).
        javafx.animation.Timeline idle = new javafx.animation.Timeline(new javafx.animation.KeyFrame(
                javafx.util.Duration.seconds(30), e -> vm.signOutIfIdle()));
        idle.setCycleCount(javafx.animation.Animation.INDEFINITE);
        idle.play();
        signInButton.setOnAction(e -> askStaffAndPin("counter.staff.signInButton", "counter.staff.signInPrompt", "signIn")
                .ifPresent(p -> vm.signIn(p.id(), p.pin())));
        showBusyIfItLasts();
        scannerLabel.textProperty().bind(vm.scannerTextProperty());
        vm.scannerProblemProperty().addListener((o, was, now) -> styleScanner(now));
        styleScanner(vm.scannerProblemProperty().get());

        root.addEventHandler(KeyEvent.KEY_PRESSED, this::onShortcut);
    }

    private void onShortcut(KeyEvent e) {
        switch (e.getCode()) {
            case F1 -> vm.redeemTop();
            case F2 -> vm.recordSale();
            case F3 -> searchField.requestFocus();
            case F9 -> openRules.run();
            case ESCAPE -> vm.clear();
            default -> {
                return;
            }
        }
        e.consume();
    }

    /** What the scanner settings button opens (the window wires it: it owns the scanners). */
    public void setOnScannerSettings(Runnable action) {
        onScannerSettings = action;
    }

    @FXML
    private void onScannerSettings() {
        onScannerSettings.run();
    }

    /** What the printer settings button (beside the scanner's) and the reprint button (F4) do; the window wires them. */
    private Runnable onPrinterSettings = () -> { };
    private Runnable onReprint = () -> { };

    public void setOnPrinterSettings(Runnable action) {
        onPrinterSettings = action;
    }

    public void setOnReprint(Runnable action) {
        onReprint = action;
    }

    @FXML
    private void onPrinterSettings() {
        onPrinterSettings.run();
    }

    @FXML
    private void onReprint() {
        onReprint.run();
    }

    @FXML
    private void onShowCard() {
        vm.showCard();
    }

    /** Online, offline and a warning (clock skew, parked changes) each look different. */
    private void styleSync() {
        syncLabel.getStyleClass().removeAll("sync-online", "sync-offline", "sync-skewed");
        syncLabel.getStyleClass().add(vm.syncWarningProperty().get() ? "sync-skewed"
                : vm.syncOnlineProperty().get() ? "sync-online" : "sync-offline");
    }

    private void styleScanner(boolean problem) {
        scannerLabel.getStyleClass().remove("scanner-problem");
        if (problem) {
            scannerLabel.getStyleClass().add("scanner-problem");
        }
    }

    @FXML
    private void onSearch() {
        vm.search();
    }

    @FXML
    private void onEnrol() {
        vm.enrol();
    }

    @FXML
    private void onCancelEnrol() {
        vm.cancelEnrolment();
    }

    @FXML
    private void onRedeemTop() {
        vm.redeemTop();
    }

    @FXML
    private void onRedeemSelected() {
        CounterViewModel.SuggestionRow row = suggestionsList.getSelectionModel().getSelectedItem();
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

    @FXML
    private void onRedeemPoints() {
        vm.redeemPoints();
    }

    @FXML
    private void onPayStoredValue() {
        vm.payWithStoredValue();
    }

    @FXML
    private void onTopUp() {
        vm.topUp();
    }

    @FXML
    private void onOpenRules() {
        openRules.run();
    }

    private static void showOnly(Node node, javafx.beans.value.ObservableBooleanValue shown) {
        node.visibleProperty().bind(shown);
        node.managedProperty().bind(shown);
    }

    private void styleMessage(CounterViewModel.MessageKind kind) {
        messageLabel.getStyleClass().removeAll("message-info", "message-success", "message-error");
        messageLabel.getStyleClass().add("message-" + kind.name().toLowerCase(Locale.ROOT));
    }

    /**
     * The busy label appears only for work that lasts: a scan's lookup takes a few milliseconds, and a label
     * flashing for a frame at every scan is noise to the cashier (and a restyle of the status bar each time).
     */
    private void showBusyIfItLasts() {
        PauseTransition delay = new PauseTransition(BUSY_LABEL_DELAY);
        delay.setOnFinished(e -> busyLabel.setVisible(true));
        busyLabel.setVisible(false);
        vm.busyProperty().addListener((o, was, busy) -> {
            if (busy) {
                delay.playFromStart();
            } else {
                delay.stop();
                busyLabel.setVisible(false);
            }
        });
    }

    private void styleTier(Tier tier) {
        tierLabel.getStyleClass().removeIf(s -> s.startsWith("tier-") && !s.equals("tier-badge"));
        if (tier != null) {
            tierLabel.getStyleClass().add("tier-" + tier.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Keeps the tag labels already there (new ones would each need styling) and changes only their text. */
    private void showTags(List<String> tags) {
        List<Node> shown = tagsPane.getChildren();
        while (shown.size() > tags.size()) {
            shown.remove(shown.size() - 1);
        }
        for (int i = 0; i < tags.size(); i++) {
            if (i < shown.size()) {
                ((Label) shown.get(i)).setText(tags.get(i));
            } else {
                Label l = new Label(tags.get(i));
                l.getStyleClass().add("tag");
                shown.add(l);
            }
        }
    }

    private static <T> ListCell<T> textCell(java.util.function.Function<T, String> text) {
        return new ListCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : text.apply(item));
            }
        };
    }

    /** Two lines: what the coupon is, then why it is offered; the first one carries the F1 hint. */
    private final class SuggestionCell extends ListCell<CounterViewModel.SuggestionRow> {
        private final Label title = new Label();
        private final Label reason = new Label();
        private final VBox box = new VBox(2, title, reason);

        SuggestionCell() {
            title.getStyleClass().add("suggestion-title");
            reason.getStyleClass().add("suggestion-reason");
        }

        @Override
        protected void updateItem(CounterViewModel.SuggestionRow item, boolean empty) {
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

    /** A staff id and PIN, as typed in a dialog. */
    private record StaffPin(String id, String pin) {
    }

    /**
     * Signing in, and closing the day (a manager's step): the staff id and PIN are asked for in a small dialog over the
     * counter; its fields are named {@code <idPrefix>IdField} and {@code <idPrefix>PinField}.
     */
    private Optional<StaffPin> askStaffAndPin(String titleKey, String headerKey, String idPrefix) {
        Dialog<StaffPin> dialog = new Dialog<>();
        dialog.initOwner(closeDayButton.getScene().getWindow());
        dialog.setTitle(vm.bundle().getString(titleKey));
        dialog.setHeaderText(vm.bundle().getString(headerKey));
        TextField id = new TextField();
        id.setId(idPrefix + "IdField");
        id.setPromptText(vm.bundle().getString("staff.idPrompt"));
        PasswordField pin = new PasswordField();
        pin.setId(idPrefix + "PinField");
        pin.setPromptText(vm.bundle().getString("counter.rules.pinPrompt"));
        dialog.getDialogPane().setContent(new VBox(6, id, pin));
        dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        dialog.getDialogPane().getStyleClass().add("pin-dialog");
        dialog.getDialogPane().setStyle(closeDayButton.getScene().getRoot().getStyle());
        dialog.setResultConverter(b -> b == ButtonType.OK ? new StaffPin(id.getText(), pin.getText()) : null);
        Platform.runLater(id::requestFocus);
        return dialog.showAndWait();
    }
}
