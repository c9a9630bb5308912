package dev.counterpoint.app;

import dev.counterpoint.wiring.CounterServices;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JavaFX application, started by {@link #run} while the store is still being opened on another thread: the toolkit
 * starts and the layout loads meanwhile (two cores at most tills), and the window is shown, and takes scans, only once
 * the store is open. The store is its opener's: it closes it once {@link #run} returns.
 */
public final class CounterApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(CounterApp.class);
    private static final AtomicReference<Startup> STARTUP = new AtomicReference<>();

    private CounterWindow window;

    /** The store being opened, the counter's language, and how a failure to open it is told to the user. */
    private record Startup(CompletableFuture<CounterServices> services, Locale locale, String errorTitle,
            Function<Throwable, String> describe) {
    }

    /**
     * Shows the counter once {@code services} completes, or, if it fails, an error dialog saying why (described by
     * {@code describe}); returns when the window or the dialog is closed. The caller reports the failure as well.
     */
    public static void run(CompletableFuture<CounterServices> services, Locale locale, String errorTitle,
            Function<Throwable, String> describe) {
        STARTUP.set(new Startup(services, locale, errorTitle, describe));
        // JavaFX's own texts (dialog buttons, a text field's menu) follow the default locale, read once: the
        // counter's language, not the machine's, before any control class loads.
        Locale.setDefault(locale);
        Application.launch(CounterApp.class);
    }

    @Override
    public void start(Stage stage) {
        Startup startup = STARTUP.getAndSet(null);
        if (startup == null) {
            throw new IllegalStateException("start the counter with CounterApp.run(services, ...)");
        }
        CounterWindow.Layout layout = CounterWindow.Layout.load(startup.locale());
        CounterServices services;
        try {
            services = startup.services().join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            Alert alert = new Alert(Alert.AlertType.ERROR, startup.describe().apply(cause), ButtonType.OK);
            alert.setTitle(startup.errorTitle());
            alert.setHeaderText(startup.errorTitle());
            alert.showAndWait();
            Platform.exit();
            return;
        }
        window = CounterWindow.create(services, layout);
        stage.setTitle(window.title());
        stage.setScene(window.scene());
        stage.setMinWidth(1024);
        stage.setMinHeight(640);
        stage.show();
        // The start-up benchmark waits for this line: the window is shown and the database open.
        LOG.info("ready to scan");
    }

    /** The window's background work, let finish (it may still be writing); the store is closed after, by its opener. */
    @Override
    public void stop() {
        if (window != null) {
            window.close();
        }
    }
}
