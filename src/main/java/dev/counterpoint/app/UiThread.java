package dev.counterpoint.app;

import java.util.concurrent.Executor;
import javafx.application.Platform;

/**
 * The one way results get back to the FX thread: a window builds its view models' {@code BackgroundTasks} on it, and
 * a device (the serial scanner) reports through it. View models never see it.
 */
public final class UiThread implements Executor {
    private static final UiThread INSTANCE = new UiThread();

    private UiThread() {}

    public static Executor executor() {
        return INSTANCE;
    }

    @Override
    public void execute(Runnable command) {
        Platform.runLater(command);
    }
}
