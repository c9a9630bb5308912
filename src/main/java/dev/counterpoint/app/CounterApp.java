package dev.counterpoint.app;

import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.stage.Stage;

/** The JavaFX application; started by {@link #run(AppContext)} with the composition root already built. */
public final class CounterApp extends Application {
    private static final AtomicReference<AppContext> CONTEXT = new AtomicReference<>();

    public static void run(AppContext ctx) {
        CONTEXT.set(ctx);
        Application.launch(CounterApp.class);
    }

    @Override
    public void start(Stage stage) {
        throw new UnsupportedOperationException("counter window: being built");
    }
}
