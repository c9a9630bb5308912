package dev.counterpoint.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JavaFX application; started by {@link #run(AppContext)} with the composition root already built. */
public final class CounterApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(CounterApp.class);
    private static final AtomicReference<AppContext> CONTEXT = new AtomicReference<>();

    private CounterWindow window;

    public static void run(AppContext ctx) {
        CONTEXT.set(ctx);
        Application.launch(CounterApp.class);
    }

    /**
     * Shows why the terminal cannot start and waits until it is acknowledged. Without a display (a
     * console or CI) there is nowhere to show it; the caller prints it anyway.
     */
    public static void showStartupError(String title, String message) {
        CountDownLatch closed = new CountDownLatch(1);
        try {
            Platform.startup(() -> {
                Alert alert = new Alert(Alert.AlertType.ERROR, message, ButtonType.OK);
                alert.setTitle(title);
                alert.setHeaderText(title);
                alert.setOnHidden(e -> closed.countDown());
                alert.show();
            });
            closed.await();
            Platform.exit();
        } catch (UnsupportedOperationException | IllegalStateException noDisplay) {
            LOG.debug("no display for the start-up error dialog", noDisplay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start(Stage stage) {
        AppContext ctx = CONTEXT.get();
        if (ctx == null) {
            throw new IllegalStateException("start the counter with CounterApp.run(context)");
        }
        window = CounterWindow.create(ctx);
        stage.setTitle(window.title());
        stage.setScene(window.scene());
        stage.setMinWidth(1024);
        stage.setMinHeight(640);
        stage.show();
        // The start-up benchmark waits for this line: the window is shown and the database open.
        LOG.info("ready to scan");
    }

    /** Background work first (it may still be writing), then the database. */
    @Override
    public void stop() {
        if (window != null) {
            window.close();
        }
        AppContext ctx = CONTEXT.getAndSet(null);
        if (ctx != null) {
            ctx.close();
        }
    }
}
