package dev.counterpoint.app;

import java.util.concurrent.Executor;
import javafx.application.Platform;

/** The one way results get back to the FX thread. View models take it as a plain {@link Executor}. */
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
