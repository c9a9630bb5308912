package dev.counterpoint.checkout;

import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

/** The enrolment form's controller. */
public final class EnrolmentView {
    @FXML private VBox enrolPane;
    @FXML private Label enrolCardLabel;
    @FXML private TextField enrolNameField;
    @FXML private TextField enrolPhoneField;
    @FXML private TextField enrolBirthdayField;
    @FXML private CheckBox enrolPrivacyCheck;
    @FXML private CheckBox enrolSmsCheck;
    @FXML private CheckBox enrolWechatCheck;

    private MemberLookupViewModel vm;

    void bind(MemberLookupViewModel viewModel) {
        vm = viewModel;
        enrolPane.visibleProperty().bind(vm.enrolShownProperty());
        enrolPane.managedProperty().bind(vm.enrolShownProperty());
        enrolCardLabel.textProperty().bind(vm.enrolCardTextProperty());
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
    }

    @FXML
    private void onEnrol() {
        vm.enrol();
    }

    @FXML
    private void onCancelEnrol() {
        vm.cancelEnrolment();
    }
}
