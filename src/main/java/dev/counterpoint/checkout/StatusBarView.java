package dev.counterpoint.checkout;

import java.util.Optional;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/** The status bar's controller; signing in and closing the day ask for a staff id and PIN in a small dialog. */
public final class StatusBarView {
    private static final PseudoClass ONLINE = PseudoClass.getPseudoClass("online");
    private static final PseudoClass OFFLINE = PseudoClass.getPseudoClass("offline");
    private static final PseudoClass SKEWED = PseudoClass.getPseudoClass("skewed");
    private static final PseudoClass PROBLEM = PseudoClass.getPseudoClass("problem");

    /** Longer than a scan's lookup, short enough that slow work (closing the day) shows at once. */
    private static final Duration BUSY_LABEL_DELAY = Duration.millis(300);

    @FXML private Label storeLabel;
    @FXML private Label busyLabel;
    @FXML private Label syncLabel;
    @FXML private Label scannerLabel;
    @FXML private Label staffLabel;
    @FXML private Button signInButton;
    @FXML private Button closeDayButton;

    private StatusBarViewModel vm;
    private Runnable openRules = () -> { };
    private Runnable onScannerSettings = () -> { };
    private Runnable onPrinterSettings = () -> { };

    void bind(StatusBarViewModel viewModel) {
        vm = viewModel;
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
        Timeline idle = new Timeline(new KeyFrame(Duration.seconds(30), e -> vm.signOutIfIdle()));
        idle.setCycleCount(Animation.INDEFINITE);
        idle.play();
        signInButton.setOnAction(e -> askStaffAndPin("counter.staff.signInButton", "counter.staff.signInPrompt", "signIn")
                .ifPresent(p -> vm.signIn(p.id(), p.pin())));
        showBusyIfItLasts();
        scannerLabel.textProperty().bind(vm.scannerTextProperty());
        // a text shortened for want of room is read whole by pointing at it
        for (Label l : new Label[] {storeLabel, scannerLabel, syncLabel}) {
            Tooltip whole = new Tooltip();
            whole.textProperty().bind(l.textProperty());
            l.setTooltip(whole);
        }
        vm.scannerProblemProperty().addListener((o, was, now) -> styleScanner(now));
        styleScanner(vm.scannerProblemProperty().get());
    }

    void setOnOpenRules(Runnable action) {
        openRules = action;
    }

    void setOnScannerSettings(Runnable action) {
        onScannerSettings = action;
    }

    /** The printer settings, beside the scanner's. */
    void setOnPrinterSettings(Runnable action) {
        onPrinterSettings = action;
    }

    /** The manager's rule editor (the Rules button, F9). */
    void openRules() {
        openRules.run();
    }

    @FXML
    private void onOpenRules() {
        openRules.run();
    }

    @FXML
    private void onScannerSettings() {
        onScannerSettings.run();
    }

    @FXML
    private void onPrinterSettings() {
        onPrinterSettings.run();
    }

    /**
     * Online, offline and a warning (clock skew, parked changes) each look different: by pseudo-class
     * ({@code .sync-status:online}), as the message line is styled by kind (see ScanBarView).
     */
    private void styleSync() {
        boolean warning = vm.syncWarningProperty().get();
        boolean online = vm.syncOnlineProperty().get();
        syncLabel.pseudoClassStateChanged(SKEWED, warning);
        syncLabel.pseudoClassStateChanged(ONLINE, !warning && online);
        syncLabel.pseudoClassStateChanged(OFFLINE, !warning && !online);
    }

    private void styleScanner(boolean problem) {
        scannerLabel.pseudoClassStateChanged(PROBLEM, problem);
    }

    /**
     * The busy label appears only for work that lasts: a scan's lookup takes a few milliseconds, and a label
     * flashing for a frame at every scan is noise to the cashier (and a restyle of the status bar each time).
     */
    private void showBusyIfItLasts() {
        PauseTransition delay = new PauseTransition(BUSY_LABEL_DELAY);
        delay.setOnFinished(e -> busyLabel.setVisible(true));
        // no room kept for it while hidden: the bar's other texts have it
        busyLabel.managedProperty().bind(busyLabel.visibleProperty());
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

    /** A staff id and PIN, as typed in a dialog. */
    private record StaffPin(String id, String pin) {
    }

    /**
     * Signing in, and closing the day (a manager's step): the staff id and PIN are asked for in a small dialog over the
     * counter; its fields are named {@code <idPrefix>IdField} and {@code <idPrefix>PinField}.
     */
    private Optional<StaffPin> askStaffAndPin(String titleKey, String headerKey, String idPrefix) {
        var bundle = vm.bundle();
        Dialog<StaffPin> dialog = new Dialog<>();
        dialog.initOwner(closeDayButton.getScene().getWindow());
        dialog.setTitle(bundle.getString(titleKey));
        dialog.setHeaderText(bundle.getString(headerKey));
        TextField id = new TextField();
        id.setId(idPrefix + "IdField");
        id.setPromptText(bundle.getString("staff.idPrompt"));
        PasswordField pin = new PasswordField();
        pin.setId(idPrefix + "PinField");
        pin.setPromptText(bundle.getString("counter.rules.pinPrompt"));
        dialog.getDialogPane().setContent(new VBox(6, id, pin));
        dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        dialog.getDialogPane().getStyleClass().add("pin-dialog");
        dialog.getDialogPane().setStyle(closeDayButton.getScene().getRoot().getStyle());
        dialog.setResultConverter(b -> b == ButtonType.OK ? new StaffPin(id.getText(), pin.getText()) : null);
        Platform.runLater(id::requestFocus);
        return dialog.showAndWait();
    }
}
