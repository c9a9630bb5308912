package dev.counterpoint.receipt;

import dev.counterpoint.shared.BackgroundTasks;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.function.Consumer;
import java.util.function.Function;
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
 * The printer settings screen without its controls: none, a serial port (listed or typed) and its baud, or a printer
 * the operating system lists; the paper's width; whether receipts print by themselves. Saving validates, writes
 * {@link PrinterSettings#FILE_NAME} and hands the settings on; a test print sends a test page with the settings as
 * they stand on the screen, saved or not.
 */
public final class PrinterSettingsViewModel {
    public static final List<Integer> COMMON_BAUDS = List.of(9600, 19200, 38400, 57600, 115200);
    /** 58 mm paper: 32 columns; 76 mm: 42; 80 mm: 48. */
    public static final List<Integer> COMMON_WIDTHS = List.of(32, 42, 48);

    private final Path dataDir;
    private final Supplier<List<String>> portLister;
    private final Supplier<List<String>> printerLister;
    private final Function<PrinterSettings, UserMessage> testPrint;
    private final Consumer<PrinterSettings> onSaved;
    private final ResourceBundle bundle;
    private final BackgroundTasks tasks;

    private final ObjectProperty<PrinterSettings.Kind> kind = new SimpleObjectProperty<>();
    private final ObservableList<String> ports = FXCollections.observableArrayList();
    private final ObservableList<String> printers = FXCollections.observableArrayList();
    private final StringProperty port = new SimpleStringProperty("");
    private final StringProperty baud = new SimpleStringProperty("");
    private final StringProperty printerName = new SimpleStringProperty("");
    private final StringProperty width = new SimpleStringProperty("");
    private final BooleanProperty autoPrint = new SimpleBooleanProperty(true);
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty messageIsError = new SimpleBooleanProperty(false);
    private final BooleanProperty testing = new SimpleBooleanProperty(false);

    /**
     * @param testPrint sends a test page with the given settings and says how it went (slow: run on {@code work})
     */
    public PrinterSettingsViewModel(PrinterSettings current, Path dataDir, Supplier<List<String>> portLister,
                                    Supplier<List<String>> printerLister, Function<PrinterSettings, UserMessage> testPrint,
                                    Locale locale, BackgroundTasks tasks, Consumer<PrinterSettings> onSaved) {
        this.dataDir = dataDir;
        this.portLister = portLister;
        this.printerLister = printerLister;
        this.testPrint = testPrint;
        this.onSaved = onSaved;
        this.bundle = Messages.bundle(locale);
        this.tasks = tasks;
        kind.set(current.kind());
        port.set(current.port());
        baud.set(Integer.toString(current.baud()));
        printerName.set(current.printerName());
        width.set(Integer.toString(current.width()));
        autoPrint.set(current.autoPrint());
        refresh();
    }

    /** Asks the operating system again which serial ports and printers it has. */
    public void refresh() {
        ports.setAll(portLister.get());
        printers.setAll(printerLister.get());
    }

    /** The settings on the screen, checked; empty (with the reason shown) when something is wrong. */
    Optional<PrinterSettings> candidate() {
        PrinterSettings.Kind k = kind.get() == null ? PrinterSettings.Kind.NONE : kind.get();
        int baudRate = number(baud.get());
        if (baudRate <= 0) {
            return refuse(new UserMessage("printer.settings.baudInvalid", nullToEmpty(baud.get())));
        }
        int columns = number(width.get());
        if (columns < ReceiptLayout.MIN_WIDTH || columns > ReceiptLayout.MAX_WIDTH) {
            return refuse(new UserMessage("printer.settings.widthInvalid", nullToEmpty(width.get()),
                    ReceiptLayout.MIN_WIDTH, ReceiptLayout.MAX_WIDTH));
        }
        String p = nullToEmpty(port.get()).strip();
        String n = nullToEmpty(printerName.get()).strip();
        if (k == PrinterSettings.Kind.SERIAL && p.isEmpty()) {
            return refuse(new UserMessage("printer.settings.portNeeded"));
        }
        if (k == PrinterSettings.Kind.SYSTEM && n.isEmpty()) {
            return refuse(new UserMessage("printer.settings.nameNeeded"));
        }
        try {
            return Optional.of(new PrinterSettings(k, p, baudRate, n, columns, autoPrint.get()));
        } catch (IllegalArgumentException e) {
            return refuse(new UserMessage("printer.settings.textInvalid"));
        }
    }

    /** Validates and saves; false (with the reason shown) if something is wrong. */
    public boolean save() {
        Optional<PrinterSettings> s = candidate();
        if (s.isEmpty()) {
            return false;
        }
        s.get().save(dataDir);
        onSaved.accept(s.get());
        message.set(new UserMessage("printer.settings.saved").format(bundle));
        messageIsError.set(false);
        return true;
    }

    /** Sends a test page with the settings on the screen (not saved by this). */
    public void testPrint() {
        Optional<PrinterSettings> s = candidate();
        if (s.isEmpty() || testing.get()) {
            return;
        }
        testing.set(true);
        message.set(new UserMessage("printer.settings.testing").format(bundle));
        messageIsError.set(false);
        tasks.run(() -> {
            try {
                return testPrint.apply(s.get());
            } catch (RuntimeException e) {
                return new UserMessage("receipt.test.failed", new UserMessage("receipt.printer.unexpected", s.get().where()));
            }
        }, shown -> {
            testing.set(false);
            message.set(shown.format(bundle));
            messageIsError.set(!"receipt.test.sent".equals(shown.key()));
        });
    }

    private <T> Optional<T> refuse(UserMessage why) {
        message.set(why.format(bundle));
        messageIsError.set(true);
        return Optional.empty();
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(nullToEmpty(s).strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The localised name of a printer kind. */
    public String label(PrinterSettings.Kind value) {
        return value == null ? "" : bundle.getString("printer.settings.kind." + value.name());
    }

    public ResourceBundle bundle() { return bundle; }
    public ObjectProperty<PrinterSettings.Kind> kindProperty() { return kind; }
    public ObservableList<String> ports() { return ports; }
    public ObservableList<String> printers() { return printers; }
    public StringProperty portProperty() { return port; }
    public StringProperty baudProperty() { return baud; }
    public StringProperty printerNameProperty() { return printerName; }
    public StringProperty widthProperty() { return width; }
    public BooleanProperty autoPrintProperty() { return autoPrint; }
    public ReadOnlyStringProperty messageProperty() { return message; }
    public ReadOnlyBooleanProperty messageIsErrorProperty() { return messageIsError; }
    public ReadOnlyBooleanProperty testingProperty() { return testing; }
}
