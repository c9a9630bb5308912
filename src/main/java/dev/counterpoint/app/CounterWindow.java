package dev.counterpoint.app;

import dev.counterpoint.checkout.CounterView;
import com.fazecast.jSerialComm.SerialPort;
import dev.counterpoint.checkout.CounterViewModel;
import dev.counterpoint.checkout.RefundView;
import dev.counterpoint.checkout.RefundViewModel;
import dev.counterpoint.scan.ScanEvent;
import dev.counterpoint.loyalty.RuleSetEditorView;
import dev.counterpoint.loyalty.RuleSetEditorViewModel;
import dev.counterpoint.member.MemberCardView;
import dev.counterpoint.member.MemberCardViewModel;
import dev.counterpoint.receipt.PrinterSettingsView;
import dev.counterpoint.receipt.PrinterSettingsViewModel;
import dev.counterpoint.receipt.ReceiptPreviewView;
import dev.counterpoint.receipt.ReceiptPreviewViewModel;
import dev.counterpoint.receipt.SystemReceiptPrinter;
import dev.counterpoint.sync.CloseDay;
import dev.counterpoint.scan.ScannerSettings;
import dev.counterpoint.scan.ScannerSettingsView;
import dev.counterpoint.scan.ScannerSettingsViewModel;
import dev.counterpoint.scan.SerialScanSource;
import dev.counterpoint.scan.WedgeKeyFilter;
import dev.counterpoint.shared.BackgroundTasks;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.wiring.CounterServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Font;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counter window's scene, wired: view model over the counter's services, the FXML view bound
 * to it, the wedge filter on the scene. {@link CounterApp} shows it; UI tests open the same thing.
 */
public final class CounterWindow implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CounterWindow.class);

    /**
     * CJK-capable families, best first. JavaFX's default font shows boxes for Chinese on machines without
     * a TrueType CJK font, and CSS uses only the first name of a family list, so the first one installed
     * is chosen here and set on the root.
     */
    static final List<String> CJK_FAMILIES = List.of("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
            "WenQuanYi Micro Hei", "Microsoft YaHei", "Microsoft YaHei UI", "PingFang SC", "SimHei", "Noto Sans SC");

    private final CounterServices services;
    /** The scanner settings in use: those it started with, then each saved on the settings screen; FX thread only. */
    private ScannerSettings scannerSettings;
    private final ExecutorService background;
    /** Receipts are made and printed here, apart from the counter's database thread: a slow printer holds nothing up. */
    private final ExecutorService receiptThread;
    /** Automatic backups: their own thread, so a backup never holds up a scan on the database thread. */
    private final ScheduledExecutorService backupThread;
    private final BackgroundTasks backupTasks;
    private final CounterViewModel viewModel;
    private final ReceiptPreviewViewModel receipts;
    /** The void and refund screen while it is open (one at a time), and its view model: scans go to it meanwhile. */
    private Stage refundStage;
    private RefundViewModel refundScreen;
    /** Work to start once the next frame is laid out; FX thread only. */
    private final List<Runnable> afterNextPulse = new ArrayList<>();
    /** The receipt preview, laid over the member column at the first receipt; FX thread only. */
    private Parent receiptPane;
    private final Scene scene;
    private final String title;
    /**
     * Both scan sources feed {@link CounterViewModel#onScan} on the FX thread (the void and refund screen while it is
     * open); replaced when settings change.
     */
    private WedgeKeyFilter wedge;
    private SerialScanSource serial;

    /**
     * The counter's layout, loaded before the store is open: FXML, CSS and fonts are most of what the FX thread
     * does at start, and they need only the language. {@link #create(CounterServices, Layout)} wires it to the store.
     */
    public static final class Layout {
        private final Locale locale;
        private final FXMLLoader loader;
        private final Parent root;
        private final Scene scene;

        private Layout(Locale locale) {
            this.locale = locale;
            this.loader = new FXMLLoader(CounterView.class.getResource("CounterView.fxml"), Messages.bundle(locale));
            try {
                root = loader.load();
            } catch (IOException e) {
                throw new UncheckedIOException("the counter window's layout cannot be loaded", e);
            }
            cjkFamily(Set.copyOf(Font.getFamilies())).ifPresentOrElse(
                    family -> root.setStyle("-fx-font-family: '" + family + "';"),
                    () -> LOG.warn("no CJK font found (tried {}); Chinese text may show as boxes", CJK_FAMILIES));
            // Styling the tree (the stylesheets parsed, every control's skin built) and laying it out is most of what
            // showing the window costs; done here it overlaps the store's opening instead of following it.
            scene = new Scene(root, 1280, 720);
            root.applyCss();
            root.layout();
        }

        /** Loads the layout in this language; call on the FX thread. */
        public static Layout load(Locale locale) {
            return new Layout(locale);
        }
    }

    private CounterWindow(CounterServices services, Layout layout) {
        if (!layout.locale.equals(services.locale())) {
            throw new IllegalArgumentException("layout in " + layout.locale + " for a counter in " + services.locale());
        }
        this.services = services;
        this.scannerSettings = services.scannerSettings();
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "counter-db");
            t.setDaemon(true);
            return t;
        });
        this.receiptThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "counter-receipts");
            t.setDaemon(true);
            return t;
        });
        this.backupThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "counter-backup");
            t.setDaemon(true);
            return t;
        });
        this.backupTasks = new BackgroundTasks(UiThread.executor(), backupThread);
        ResourceBundle bundle = layout.loader.getResources();
        this.receipts = new ReceiptPreviewViewModel(services.receiptDesk(), services.locale(),
                new BackgroundTasks(UiThread.executor(), receiptThread));
        BackgroundTasks counterTasks = new BackgroundTasks(UiThread.executor(), background);
        counterTasks.beforeWaiting(Platform::requestNextPulse);
        this.viewModel = new CounterViewModel(services.memberService(), services.memberSummaryService(), services.checkoutService(),
                services.checkouts(), services.pendingEvents(), services.config(),
                services.locale(), services.clock(), counterTasks, services.scanCheck(),
                (day, manager) -> {
                    CloseDay.Result r = services.closeDay().close(day, manager);
                    receipts.dayClosed(r.report(), r.throughSeq(), r.digest(), r.confirmed(), r.reprinted(), manager);
                    UiThread.executor().execute(() -> backUp(() -> services.backups().closeOfDay(day)));
                    return r;
                }, services.staffAccounts(), services.memberTags());
        // Each checkout gets its receipt: kept in the checkout's transaction, printed if the settings say so, and shown
        // over the member column.
        viewModel.checkout().onCheckout(receipts);
        // A sale after this terminal closed its day says so; the close is read once per date.
        viewModel.readClosesWith(services.closeDay()::closedAt);
        receipts.shownProperty().addListener((o, was, now) -> showReceipt());
        // The next member (or Esc) puts the last receipt away.
        viewModel.memberPanel().cardCodeProperty().addListener((o, was, now) -> {
            if (!now.equals(was)) {
                putReceiptAway();
            }
        });
        Parent root = layout.root;
        // Laid out as soon as a result is applied: otherwise the layout of what it changed (a member's history and
        // offers: rows of cells, 1–2 ms) waits for the next pulse and only then begins, and the lists may need a
        // second pulse to fill their cells. Only layout: a CSS pass forced from the root restyles every node of
        // the scene and costs more than it saves; the lists style their new cells as they lay them out.
        viewModel.afterEachResult(root::layout);
        // What waits for the next frame (the member panel read again after a checkout) starts once that frame is laid
        // out, so that its work neither shares the cores with the frame that shows the receipt nor is laid out in it.
        Scene counter = layout.scene;
        counter.addPostLayoutPulseListener(() -> {
            if (!afterNextPulse.isEmpty()) {
                List<Runnable> due = List.copyOf(afterNextPulse);
                afterNextPulse.clear();
                due.forEach(Runnable::run);
            }
        });
        viewModel.afterNextFrame(work -> {
            Window shownIn = counter.getWindow();
            if (shownIn == null || !shownIn.isShowing()) {
                work.run();
                return;
            }
            afterNextPulse.add(work);
            Platform.requestNextPulse();
        });
        CounterView view = layout.loader.getController();
        view.bind(viewModel);
        view.setOnOpenRules(() -> openRuleEditor(bundle));
        view.setOnOpenRefunds(this::openRefunds);
        view.setOnScannerSettings(this::openScannerSettings);
        view.setOnPrinterSettings(this::openPrinterSettings);
        view.setOnReprint(receipts::reprintLast);
        viewModel.memberPanel().cardRequestProperty().addListener((o, was, card) -> {
            if (card != null) {
                Stage shown = MemberCardView.open(root.getScene().getWindow(), new MemberCardViewModel(card, services.locale()));
                // the next customer's card may be scanned while this one is still up
                WedgeKeyFilter cardWedge = new WedgeKeyFilter(shown.getScene(), services.config().wedgeMaxGapMillis(),
                        services.config().wedgeMinLength(), scannerSettings, services.clock());
                cardWedge.start(viewModel::onScan);
                shown.setOnHidden(e -> cardWedge.close());
            }
        });
        this.scene = layout.scene;
        startScanners(scannerSettings);
        this.title = bundle.getString("counter.title") + " · " + services.config().storeName();
        // The rules file is read first on the database thread, so no scan is looked up before a newer set in it is in force.
        viewModel.start(() -> services.rulesFileProblems().get().stream().findFirst()
                .map(p -> new UserMessage("rules.fileRefused", p.format(bundle))));
        services.syncScheduler().setListener(viewModel::onSyncStatus);
        viewModel.onMemberShown(services.syncScheduler()::fetchHistory);
        services.syncScheduler().start();
        // The day's backup (decision 0072): looked for a minute after the start and every quarter of an hour after,
        // made when the day, by the terminal's clock, has none yet.
        backupThread.scheduleWithFixedDelay(() -> UiThread.executor().execute(() -> backUp(services.backups()::dailyIfDue)),
                1, 15, TimeUnit.MINUTES);
        // F5: sync now, without waiting for the next scheduled round (the counter does not wait for it either).
        // F4: the receipt shown, else the last one, printed again.
        scene.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.F5) {
                services.syncScheduler().syncNow();
                e.consume();
            } else if (e.getCode() == KeyCode.F4) {
                if (receiptPane != null && receiptPane.isVisible()) {
                    receipts.printAgain();
                } else {
                    receipts.reprintLast();
                }
                e.consume();
            }
        });
        // Esc with the receipt shown puts it away, as its Close [Esc] button does, and nothing more: the member stays on
        // the counter. With no receipt shown, Esc goes on to clear the counter (its own handler takes the key).
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && receiptPane != null && receiptPane.isVisible()) {
                putReceiptAway();
                e.consume();
            }
        });
    }

    /**
     * An automatic backup on the backup thread; a failure is logged and shown on the status bar, never more: the till
     * goes on. Called on the UI thread.
     */
    private void backUp(Supplier<Optional<Path>> backup) {
        backupTasks.run(() -> {
            try {
                backup.get();
                return true;
            } catch (RuntimeException e) {
                LOG.warn("an automatic backup failed", e);
                return false;
            }
        }, viewModel.statusBar()::backupDone);
    }

    /** The manager's rule editor in its own window over the counter; it asks for the manager PIN first. */
    private void openRuleEditor(ResourceBundle bundle) {
        // Its own tasks on the counter's database thread: its refusals are shown in the editor, not on the counter.
        RuleSetEditorViewModel editor = new RuleSetEditorViewModel(services.ruleSetService(), services.staffAccounts(), services.locale(),
                new BackgroundTasks(UiThread.executor(), background));
        FXMLLoader loader = new FXMLLoader(RuleSetEditorView.class.getResource("RuleSetEditorView.fxml"), bundle);
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the rule editor's layout cannot be loaded", e);
        }
        Stage stage = new Stage();
        loader.<RuleSetEditorView>getController().bind(editor, stage::close);
        cjkFamily(Set.copyOf(Font.getFamilies())).ifPresent(family -> root.setStyle("-fx-font-family: '" + family + "';"));
        stage.setTitle(bundle.getString("rules.editor.title"));
        stage.initModality(Modality.APPLICATION_MODAL);
        if (scene.getWindow() != null) {
            stage.initOwner(scene.getWindow());
        }
        stage.setScene(new Scene(root));
        stage.show();
    }

    /**
     * The void and refund screen over the counter, for the cashier signed in (the counter says to sign in first when
     * nobody is). Its work runs on the counter's database thread; its receipt goes to the preview as a checkout's does.
     */
    private void openRefunds() {
        if (refundStage != null && refundStage.isShowing()) {
            refundStage.toFront();
            return;
        }
        viewModel.refundScreen(services.refunds(), new BackgroundTasks(UiThread.executor(), background)).ifPresent(screen -> {
            screen.onRefunded(receipts::refunded);
            refundStage = RefundView.open(scene.getWindow(), screen);
            refundScreen = screen;
            // A serial scan while the screen is up is a receipt number for it. A keyboard-wedge scan is typed into the
            // receipt field, which has the keyboard when the screen opens and after each void or refund; no wedge filter
            // sits on the screen, which has a PIN field whose quick typing it could take for a scan.
            Window owner = scene.getWindow();
            if (owner != null) {
                // at the counter's right, over the sale, leaving the member column's left for the receipt preview
                refundStage.setX(owner.getX() + Math.max(24, owner.getWidth() - refundStage.getWidth() - 24));
                refundStage.setY(owner.getY() + 40);
            }
            placeReceipt();
            // back at the counter, the receipt of what was just reversed stays in sight and the counter has the keyboard
            refundStage.setOnHidden(e -> {
                screen.close();
                refundScreen = null;
                placeReceipt();
                if (owner instanceof Stage counter) {
                    counter.requestFocus();
                }
            });
            screen.open();
        });
    }

    /** A scan, on the FX thread: a receipt number while the void and refund screen is open, else a member's code. */
    private void onScan(ScanEvent scan) {
        if (refundScreen != null) {
            refundScreen.scanned(scan.code());
        } else {
            viewModel.onScan(scan);
        }
    }

    /** (Re)starts the wedge filter and, if a port is set, the serial scanner; on the FX thread. */
    private void startScanners(ScannerSettings settings) {
        stopScanners();
        wedge = new WedgeKeyFilter(scene, services.config().wedgeMaxGapMillis(), services.config().wedgeMinLength(), settings,
                services.clock());
        wedge.start(this::onScan);
        if (settings.serialEnabled()) {
            serial = new SerialScanSource(settings, services.clock(), UiThread.executor(), viewModel.statusBar()::showScannerStatus);
            serial.start(this::onScan);
        } else {
            viewModel.statusBar().showSerialOff();
        }
    }

    private void stopScanners() {
        if (wedge != null) {
            wedge.close();
            wedge = null;
        }
        if (serial != null) {
            // waits for one read timeout at most: the port must be free before it is opened again
            serial.close();
            serial = null;
        }
    }

    private void openScannerSettings() {
        ScannerSettingsViewModel settings = new ScannerSettingsViewModel(scannerSettings, services.dataDir(),
                CounterWindow::osPorts, services.locale(), saved -> {
                    scannerSettings = saved;
                    startScanners(saved);
                });
        ScannerSettingsView.open(scene.getWindow(), settings);
    }

    private void openPrinterSettings() {
        PrinterSettingsViewModel settings = new PrinterSettingsViewModel(services.receiptDesk().settings(), services.dataDir(),
                CounterWindow::osPorts, SystemReceiptPrinter::names, services.receiptDesk()::testPrint, services.locale(),
                new BackgroundTasks(UiThread.executor(), receiptThread), services.receiptDesk()::use);
        PrinterSettingsView.open(scene.getWindow(), settings);
    }

    /**
     * Shows the receipt just made over the member column, where the served member's history was, leaving the sale and
     * the offers in sight; one preview, made at the first receipt and made visible again for each. It is part of the
     * counter's scene (decision 0065): the keyboard stays with the counter, and showing it styles nothing anew.
     */
    private void showReceipt() {
        if (receiptPane == null) {
            receiptPane = ReceiptPreviewView.load(receipts, scene.getRoot().getStyle(), this::putReceiptAway);
            if (receiptPane instanceof Region r) {
                // its own size, not the column's: a short column scrolls the paper
                r.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
            }
            StackPane.setMargin(receiptPane, new Insets(8));
            ((StackPane) scene.lookup("#memberColumn")).getChildren().add(receiptPane);
            placeReceipt();
        }
        receiptPane.setVisible(true);
    }

    /** The preview in the middle of the member column, or at its left while the void and refund screen is over the rest. */
    private void placeReceipt() {
        if (receiptPane != null) {
            StackPane.setAlignment(receiptPane, refundScreen != null ? Pos.TOP_LEFT : Pos.TOP_CENTER);
        }
    }

    /** The receipt shown goes away (the next member, Esc, its Close button). */
    private void putReceiptAway() {
        if (receiptPane != null) {
            receiptPane.setVisible(false);
        }
    }

    /** The receipts of this counter: what the preview shows. */
    public ReceiptPreviewViewModel receipts() {
        return receipts;
    }

    /** The serial ports the OS lists, by path (ptys and some adapters are not listed: they can be typed). */
    private static List<String> osPorts() {
        return Arrays.stream(SerialPort.getCommPorts()).map(SerialPort::getSystemPortPath).sorted().toList();
    }

    /** Builds the window's scene; call on the FX thread. */
    public static CounterWindow create(CounterServices services) {
        return new CounterWindow(services, Layout.load(services.locale()));
    }

    /** Wires a layout loaded while the store was opening; call on the FX thread. */
    public static CounterWindow create(CounterServices services, Layout layout) {
        return new CounterWindow(services, layout);
    }

    static Optional<String> cjkFamily(Set<String> installed) {
        return CJK_FAMILIES.stream().filter(installed::contains).findFirst();
    }

    public Scene scene() {
        return scene;
    }

    public CounterViewModel viewModel() {
        return viewModel;
    }

    public String title() {
        return title;
    }

    /** Lets the running database task finish, then stops the background thread. */
    @Override
    public void close() {
        stopScanners();
        receiptThread.shutdown();
        background.shutdown();
        backupThread.shutdown();
        try {
            // a backup under way is let finish: one cut off leaves only its partial file, removed at the next
            if (!backupThread.awaitTermination(30, TimeUnit.SECONDS)) {
                backupThread.shutdownNow();
            }
            if (!background.awaitTermination(5, TimeUnit.SECONDS)) {
                background.shutdownNow();
            }
            // a receipt on its way to the printer is let finish (a serial print is bounded by its write timeout)
            if (!receiptThread.awaitTermination(12, TimeUnit.SECONDS)) {
                receiptThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            background.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
