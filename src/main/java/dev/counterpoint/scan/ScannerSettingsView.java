package dev.counterpoint.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javafx.beans.property.ObjectProperty;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.StringConverter;

/** The scanner settings screen's controller: binds controls to {@link ScannerSettingsViewModel}. */
public final class ScannerSettingsView {
    @FXML private VBox root;
    @FXML private ComboBox<String> portBox;
    @FXML private ComboBox<String> baudBox;
    @FXML private ChoiceBox<Integer> dataBitsBox;
    @FXML private ChoiceBox<ScannerSettings.Parity> parityBox;
    @FXML private ChoiceBox<ScannerSettings.StopBits> stopBitsBox;
    @FXML private ChoiceBox<ScannerSettings.Framing> framingBox;
    @FXML private TextField suffixField;
    @FXML private TextField prefixField;
    @FXML private TextField wedgePrefixField;
    @FXML private TextField wedgeSuffixField;
    @FXML private ChoiceBox<ScannerSettings.WedgeTerminator> wedgeTerminatorBox;
    @FXML private Label messageLabel;

    private ScannerSettingsViewModel vm;

    /** Loads the screen, binds it and shows it as a window over {@code owner}. */
    public static Stage open(Window owner, ScannerSettingsViewModel viewModel) {
        FXMLLoader loader = new FXMLLoader(ScannerSettingsView.class.getResource("ScannerSettingsView.fxml"),
                viewModel.bundle());
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the scanner settings layout cannot be loaded", e);
        }
        ScannerSettingsView view = loader.getController();
        view.bind(viewModel);
        root.setStyle(owner.getScene().getRoot().getStyle());
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle(viewModel.bundle().getString("scanner.settings.title"));
        stage.setScene(new Scene(root));
        stage.show();
        return stage;
    }

    public void bind(ScannerSettingsViewModel viewModel) {
        if (vm != null) {
            throw new IllegalStateException("the scanner settings view is already bound");
        }
        vm = viewModel;
        portBox.setItems(vm.ports());
        portBox.getEditor().textProperty().bindBidirectional(vm.portProperty());
        portBox.valueProperty().addListener((o, was, now) -> {
            if (now != null) {
                vm.portProperty().set(now);
            }
        });
        baudBox.getItems().setAll(ScannerSettingsViewModel.COMMON_BAUDS.stream().map(String::valueOf).toList());
        baudBox.getEditor().textProperty().bindBidirectional(vm.baudProperty());
        baudBox.valueProperty().addListener((o, was, now) -> {
            if (now != null) {
                vm.baudProperty().set(now);
            }
        });
        dataBitsBox.getItems().setAll(ScannerSettingsViewModel.DATA_BITS);
        dataBitsBox.valueProperty().bindBidirectional(vm.dataBitsProperty());
        choices(parityBox, ScannerSettings.Parity.values(), vm.parityProperty());
        choices(stopBitsBox, ScannerSettings.StopBits.values(), vm.stopBitsProperty());
        choices(framingBox, ScannerSettings.Framing.values(), vm.framingProperty());
        choices(wedgeTerminatorBox, ScannerSettings.WedgeTerminator.values(), vm.wedgeTerminatorProperty());
        suffixField.textProperty().bindBidirectional(vm.suffixProperty());
        suffixField.disableProperty().bind(vm.framingProperty().isNotEqualTo(ScannerSettings.Framing.SUFFIX));
        prefixField.textProperty().bindBidirectional(vm.prefixProperty());
        wedgePrefixField.textProperty().bindBidirectional(vm.wedgePrefixProperty());
        wedgeSuffixField.textProperty().bindBidirectional(vm.wedgeSuffixProperty());
        messageLabel.textProperty().bind(vm.messageProperty());
        vm.messageIsErrorProperty().addListener((o, was, now) -> styleMessage(now));
        styleMessage(vm.messageIsErrorProperty().get());
    }

    private <E extends Enum<E>> void choices(ChoiceBox<E> box, E[] values, ObjectProperty<E> property) {
        box.getItems().setAll(Arrays.asList(values));
        box.setConverter(new StringConverter<>() {
            @Override
            public String toString(E value) {
                return vm.label(value);
            }

            @Override
            public E fromString(String text) {
                return box.getItems().stream().filter(v -> vm.label(v).equals(text)).findFirst().orElse(null);
            }
        });
        box.valueProperty().bindBidirectional(property);
    }

    private void styleMessage(boolean error) {
        messageLabel.getStyleClass().removeAll("message-error", "message-ok");
        messageLabel.getStyleClass().add(error ? "message-error" : "message-ok");
    }

    @FXML
    private void onRefresh() {
        vm.refreshPorts();
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
