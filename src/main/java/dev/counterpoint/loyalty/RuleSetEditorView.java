package dev.counterpoint.loyalty;

import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import dev.counterpoint.shared.UserMessage;
import java.util.ResourceBundle;
import javafx.beans.property.StringProperty;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.util.StringConverter;

/** The rule editor's controller: binds the form to {@link RuleSetEditorViewModel}; no logic of its own. */
public final class RuleSetEditorView {
    @FXML private BorderPane root;
    @FXML private Label inForceLabel;
    @FXML private Label editorMessageLabel;
    @FXML private HBox pinBox;
    @FXML private PasswordField pinField;
    @FXML private TextField managerIdField;
    @FXML private javafx.scene.control.CheckBox storedValueEarnsBox;
    @FXML private javafx.scene.control.CheckBox refundRestoresCouponBox;
    @FXML private javafx.scene.control.CheckBox clawbackBelowZeroBox;
    @FXML private ScrollPane formScroll;
    @FXML private ComboBox<TierBasis> tierBasisBox;
    @FXML private Label silverLabel;
    @FXML private TextField silverField;
    @FXML private Label goldLabel;
    @FXML private TextField goldField;
    @FXML private Label diamondLabel;
    @FXML private TextField diamondField;
    @FXML private TextField reviewDateField;
    @FXML private Label earnNormalLabel;
    @FXML private TextField earnNormalField;
    @FXML private Label earnSilverLabel;
    @FXML private TextField earnSilverField;
    @FXML private Label earnGoldLabel;
    @FXML private TextField earnGoldField;
    @FXML private Label earnDiamondLabel;
    @FXML private TextField earnDiamondField;
    @FXML private ComboBox<RuleSet.PointsExpiry> pointsExpiryBox;
    @FXML private TextField lifetimeField;
    @FXML private TextField perYuanField;
    @FXML private TextField reminderField;
    @FXML private TextField birthdayField;
    @FXML private TextField winBackField;
    @FXML private TextField welcomeField;
    @FXML private TextField historyField;
    @FXML private TextField offlineField;
    @FXML private TextField bonusesField;
    @FXML private ListView<String> problemsList;
    @FXML private Button saveButton;

    private RuleSetEditorViewModel vm;
    private Runnable close = () -> { };

    public void bind(RuleSetEditorViewModel viewModel, Runnable onClose) {
        if (vm != null) {
            throw new IllegalStateException("the rule editor is already bound");
        }
        vm = viewModel;
        close = onClose;
        ResourceBundle b = vm.bundle();
        inForceLabel.textProperty().bind(vm.inForceProperty());
        editorMessageLabel.textProperty().bind(vm.messageProperty());
        vm.messageIsErrorProperty().addListener((o, was, error) -> styleMessage(error));
        pinField.textProperty().bindBidirectional(vm.pinProperty());
        pinBox.visibleProperty().bind(vm.unlockedProperty().not());
        pinBox.managedProperty().bind(vm.unlockedProperty().not());
        formScroll.disableProperty().bind(vm.unlockedProperty().not());
        saveButton.disableProperty().bind(vm.unlockedProperty().not());

        tierBasisBox.getItems().setAll(TierBasis.values());
        tierBasisBox.setConverter(names(b, "rules.editor.basis.", TierBasis.values()));
        tierBasisBox.valueProperty().bindBidirectional(vm.tierBasisProperty());
        pointsExpiryBox.getItems().setAll(RuleSet.PointsExpiry.values());
        pointsExpiryBox.setConverter(names(b, "rules.editor.expiry.", RuleSet.PointsExpiry.values()));
        pointsExpiryBox.valueProperty().bindBidirectional(vm.pointsExpiryProperty());

        field(silverLabel, "rules.editor.threshold", Tier.SILVER, silverField, vm.thresholdProperty(Tier.SILVER));
        field(goldLabel, "rules.editor.threshold", Tier.GOLD, goldField, vm.thresholdProperty(Tier.GOLD));
        field(diamondLabel, "rules.editor.threshold", Tier.DIAMOND, diamondField, vm.thresholdProperty(Tier.DIAMOND));
        field(earnNormalLabel, "rules.editor.earn", Tier.NORMAL, earnNormalField, vm.earnProperty(Tier.NORMAL));
        field(earnSilverLabel, "rules.editor.earn", Tier.SILVER, earnSilverField, vm.earnProperty(Tier.SILVER));
        field(earnGoldLabel, "rules.editor.earn", Tier.GOLD, earnGoldField, vm.earnProperty(Tier.GOLD));
        field(earnDiamondLabel, "rules.editor.earn", Tier.DIAMOND, earnDiamondField, vm.earnProperty(Tier.DIAMOND));
        reviewDateField.textProperty().bindBidirectional(vm.reviewDateProperty());
        lifetimeField.textProperty().bindBidirectional(vm.lifetimeDaysProperty());
        perYuanField.textProperty().bindBidirectional(vm.pointsPerYuanProperty());
        reminderField.textProperty().bindBidirectional(vm.reminderDaysProperty());
        birthdayField.textProperty().bindBidirectional(vm.birthdayDaysProperty());
        winBackField.textProperty().bindBidirectional(vm.winBackDaysProperty());
        welcomeField.textProperty().bindBidirectional(vm.welcomeDaysProperty());
        historyField.textProperty().bindBidirectional(vm.historyDaysProperty());
        offlineField.textProperty().bindBidirectional(vm.offlineAllowanceProperty());
        bonusesField.textProperty().bindBidirectional(vm.bonusesProperty());
        managerIdField.textProperty().bindBidirectional(vm.managerIdProperty());
        storedValueEarnsBox.selectedProperty().bindBidirectional(vm.storedValueEarnsProperty());
        refundRestoresCouponBox.selectedProperty().bindBidirectional(vm.refundRestoresCouponProperty());
        clawbackBelowZeroBox.selectedProperty().bindBidirectional(vm.clawbackBelowZeroProperty());
        problemsList.setItems(vm.problems());
        problemsList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
            }
        });
        styleMessage(vm.messageIsErrorProperty().get());
    }

    @FXML
    private void onUnlock() {
        vm.unlock();
    }

    @FXML
    private void onSave() {
        vm.save();
    }

    @FXML
    private void onClose() {
        close.run();
    }

    private void field(Label label, String key, Tier tier, TextField field, StringProperty value) {
        ResourceBundle b = vm.bundle();
        label.setText(new UserMessage(key, b.getString(tier.messageKey())).format(b));
        field.textProperty().bindBidirectional(value);
    }

    private void styleMessage(boolean error) {
        editorMessageLabel.getStyleClass().remove("message-error");
        if (error) {
            editorMessageLabel.getStyleClass().add("message-error");
        }
    }

    private static <E extends Enum<E>> StringConverter<E> names(ResourceBundle b, String prefix, E[] values) {
        return new StringConverter<>() {
            @Override
            public String toString(E e) {
                return e == null ? "" : b.getString(prefix + e.name());
            }

            @Override
            public E fromString(String s) {
                for (E e : values) {
                    if (toString(e).equals(s)) {
                        return e;
                    }
                }
                return null;
            }
        };
    }
}
