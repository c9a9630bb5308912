package dev.counterpoint.checkout;

import javafx.fxml.FXML;
import javafx.scene.control.TextField;

/** The points, stored value and top-up fields' controller. */
public final class PaymentsView {
    @FXML private TextField pointsField;
    @FXML private TextField storedValueField;
    @FXML private TextField topUpField;

    private PaymentsViewModel vm;

    void bind(PaymentsViewModel viewModel) {
        vm = viewModel;
        pointsField.textProperty().bindBidirectional(vm.pointsToRedeemProperty());
        storedValueField.textProperty().bindBidirectional(vm.storedValueToPayProperty());
        topUpField.textProperty().bindBidirectional(vm.storedValueToTopUpProperty());
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
}
