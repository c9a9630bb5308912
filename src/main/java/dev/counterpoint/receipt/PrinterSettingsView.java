package dev.counterpoint.receipt;

import java.io.IOException;
import java.io.UncheckedIOException;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.StringConverter;

/** The printer settings screen's controller: binds controls to {@link PrinterSettingsViewModel}. */
public final class PrinterSettingsView {
    @FXML private VBox root;
    @FXML private ChoiceBox<PrinterSettings.Kind> kindBox;
    @FXML private ComboBox<String> portBox;
    @FXML private ComboBox<String> baudBox;
    @FXML private ComboBox<String> printerBox;
    @FXML private ComboBox<String> widthBox;
    @FXML private CheckBox autoPrintCheck;
    @FXML private Button testButton;
    @FXML private Label messageLabel;

    private PrinterSettingsViewModel vm;

    /** Loads the screen, binds it and shows it as a window over {@code owner}. */
    public static Stage open(Window owner, PrinterSettingsViewModel viewModel) {
        FXMLLoader loader = new FXMLLoader(PrinterSettingsView.class.getResource("PrinterSettingsView.fxml"),
                viewModel.bundle());
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the printer settings layout cannot be loaded", e);
        }
        PrinterSettingsView view = loader.getController();
        view.bind(viewModel);
        root.setStyle(owner.getScene().getRoot().getStyle());
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle(viewModel.bundle().getString("printer.settings.title"));
        stage.setScene(new Scene(root));
        stage.show();
        return stage;
    }

    public void bind(PrinterSettingsViewModel viewModel) {
        if (vm != null) {
            throw new IllegalStateException("the printer settings view is already bound");
        }
        vm = viewModel;
        kindBox.getItems().setAll(PrinterSettings.Kind.values());
        kindBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(PrinterSettings.Kind value) {
                return vm.label(value);
            }

            @Override
            public PrinterSettings.Kind fromString(String text) {
                return kindBox.getItems().stream().filter(v -> vm.label(v).equals(text)).findFirst().orElse(null);
            }
        });
        kindBox.valueProperty().bindBidirectional(vm.kindProperty());
        editable(portBox, vm.portProperty());
        portBox.setItems(vm.ports());
        editable(baudBox, vm.baudProperty());
        baudBox.getItems().setAll(PrinterSettingsViewModel.COMMON_BAUDS.stream().map(String::valueOf).toList());
        editable(printerBox, vm.printerNameProperty());
        printerBox.setItems(vm.printers());
        editable(widthBox, vm.widthProperty());
        widthBox.getItems().setAll(PrinterSettingsViewModel.COMMON_WIDTHS.stream().map(String::valueOf).toList());
        portBox.disableProperty().bind(vm.kindProperty().isNotEqualTo(PrinterSettings.Kind.SERIAL));
        baudBox.disableProperty().bind(vm.kindProperty().isNotEqualTo(PrinterSettings.Kind.SERIAL));
        printerBox.disableProperty().bind(vm.kindProperty().isNotEqualTo(PrinterSettings.Kind.SYSTEM));
        autoPrintCheck.selectedProperty().bindBidirectional(vm.autoPrintProperty());
        testButton.disableProperty().bind(vm.testingProperty());
        messageLabel.textProperty().bind(vm.messageProperty());
        vm.messageIsErrorProperty().addListener((o, was, now) -> styleMessage(now));
        styleMessage(vm.messageIsErrorProperty().get());
    }

    private static void editable(ComboBox<String> box, javafx.beans.property.StringProperty property) {
        box.getEditor().textProperty().bindBidirectional(property);
        box.valueProperty().addListener((o, was, now) -> {
            if (now != null) {
                property.set(now);
            }
        });
    }

    private void styleMessage(boolean error) {
        messageLabel.getStyleClass().removeAll("message-error", "message-ok");
        messageLabel.getStyleClass().add(error ? "message-error" : "message-ok");
    }

    @FXML
    private void onRefresh() {
        vm.refresh();
    }

    @FXML
    private void onTest() {
        vm.testPrint();
    }

    @FXML
    private void onSave() {
        if (vm.save()) {
            onClose();
        }
    }

    @FXML
    private void onClose() {
        ((Stage) root.getScene().getWindow()).close();
    }
}
