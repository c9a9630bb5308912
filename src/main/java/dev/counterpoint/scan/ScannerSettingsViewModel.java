package dev.counterpoint.scan;

import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The scanner settings screen without its controls: the ports the OS reports (a typed path is just as
 * good: ptys and some adapters are never listed), line settings, framing, and the wedge's framing.
 * Saving validates, writes {@link ScannerSettings#FILE_NAME} and hands the new settings on.
 */
public final class ScannerSettingsViewModel {
    public static final List<Integer> COMMON_BAUDS = List.of(1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200);
    public static final List<Integer> DATA_BITS = List.of(8, 7, 6, 5);

    private final Path dataDir;
    private final Supplier<List<String>> portLister;
    private final Consumer<ScannerSettings> onSaved;
    private final ResourceBundle bundle;

    private final ObservableList<String> ports = FXCollections.observableArrayList();
    private final StringProperty port = new SimpleStringProperty("");
    private final StringProperty baud = new SimpleStringProperty("");
    private final ObjectProperty<Integer> dataBits = new SimpleObjectProperty<>();
    private final ObjectProperty<ScannerSettings.Parity> parity = new SimpleObjectProperty<>();
    private final ObjectProperty<ScannerSettings.StopBits> stopBits = new SimpleObjectProperty<>();
    private final ObjectProperty<ScannerSettings.Framing> framing = new SimpleObjectProperty<>();
    private final StringProperty suffix = new SimpleStringProperty("");
    private final StringProperty prefix = new SimpleStringProperty("");
    private final StringProperty wedgePrefix = new SimpleStringProperty("");
    private final StringProperty wedgeSuffix = new SimpleStringProperty("");
    private final ObjectProperty<ScannerSettings.WedgeTerminator> wedgeTerminator = new SimpleObjectProperty<>();
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty messageIsError = new SimpleBooleanProperty(false);

    public ScannerSettingsViewModel(ScannerSettings current, Path dataDir, Supplier<List<String>> portLister,
                                    Locale locale, Consumer<ScannerSettings> onSaved) {
        this.dataDir = dataDir;
        this.portLister = portLister;
        this.onSaved = onSaved;
        this.bundle = Messages.bundle(locale);
        port.set(current.port());
        baud.set(Integer.toString(current.baud()));
        dataBits.set(current.dataBits());
        parity.set(current.parity());
        stopBits.set(current.stopBits());
        framing.set(current.framing());
        suffix.set(ScannerSettings.escape(current.suffix()));
        prefix.set(ScannerSettings.escape(current.prefix()));
        wedgePrefix.set(current.wedgePrefix());
        wedgeSuffix.set(current.wedgeSuffix());
        wedgeTerminator.set(current.wedgeTerminator());
        refreshPorts();
    }

    /** Asks the OS again which serial ports it has. */
    public void refreshPorts() {
        ports.setAll(portLister.get());
    }

    /** Validates and saves; false (with the reason shown) if something is wrong. */
    public boolean save() {
        int baudRate;
        try {
            baudRate = Integer.parseInt(baud.get().strip());
        } catch (NumberFormatException | NullPointerException e) {
            baudRate = 0;
        }
        if (baudRate <= 0) {
            return refuse(new UserMessage("scanner.settings.baudInvalid", baud.get()));
        }
        String suffixText;
        String prefixText;
        try {
            suffixText = ScannerSettings.unescape(nullToEmpty(suffix.get()));
            prefixText = ScannerSettings.unescape(nullToEmpty(prefix.get()));
        } catch (IllegalArgumentException e) {
            return refuse(new UserMessage("scanner.settings.escapeInvalid"));
        }
        if (framing.get() == ScannerSettings.Framing.SUFFIX && suffixText.isEmpty()) {
            return refuse(new UserMessage("scanner.settings.suffixNeeded"));
        }
        String wp = nullToEmpty(wedgePrefix.get());
        String ws = nullToEmpty(wedgeSuffix.get());
        if (!(wp + ws).chars().allMatch(c -> BurstDetector.scannerCharacter((char) c))) {
            return refuse(new UserMessage("scanner.settings.wedgeAffixInvalid"));
        }
        ScannerSettings settings = new ScannerSettings(nullToEmpty(port.get()), baudRate, dataBits.get(), parity.get(),
                stopBits.get(), framing.get(), suffixText, prefixText, wp, ws, wedgeTerminator.get());
        settings.save(dataDir);
        onSaved.accept(settings);
        message.set(new UserMessage("scanner.settings.saved").format(bundle));
        messageIsError.set(false);
        return true;
    }

    private boolean refuse(UserMessage why) {
        message.set(why.format(bundle));
        messageIsError.set(true);
        return false;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The localised name of a setting's value (parity, stop bits, framing, wedge terminator). */
    public String label(Enum<?> value) {
        return value == null ? "" : bundle.getString("scanner.settings." + value.getDeclaringClass().getSimpleName()
                + "." + value.name());
    }

    public ResourceBundle bundle() { return bundle; }
    public ObservableList<String> ports() { return ports; }
    public StringProperty portProperty() { return port; }
    public StringProperty baudProperty() { return baud; }
    public ObjectProperty<Integer> dataBitsProperty() { return dataBits; }
    public ObjectProperty<ScannerSettings.Parity> parityProperty() { return parity; }
    public ObjectProperty<ScannerSettings.StopBits> stopBitsProperty() { return stopBits; }
    public ObjectProperty<ScannerSettings.Framing> framingProperty() { return framing; }
    public StringProperty suffixProperty() { return suffix; }
    public StringProperty prefixProperty() { return prefix; }
    public StringProperty wedgePrefixProperty() { return wedgePrefix; }
    public StringProperty wedgeSuffixProperty() { return wedgeSuffix; }
    public ObjectProperty<ScannerSettings.WedgeTerminator> wedgeTerminatorProperty() { return wedgeTerminator; }
    public ReadOnlyStringProperty messageProperty() { return message; }
    public ReadOnlyBooleanProperty messageIsErrorProperty() { return messageIsError; }
}
