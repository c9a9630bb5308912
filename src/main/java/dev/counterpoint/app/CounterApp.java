package dev.counterpoint.app;

import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.stage.Stage;

/** The JavaFX application; started by {@link #run(AppContext)} with the composition root already built. */
public final class CounterApp extends Application {
    private static final AtomicReference<AppContext> CONTEXT = new AtomicReference<>();

    private CounterWindow window;

    public static void run(AppContext ctx) {
        CONTEXT.set(ctx);
        Application.launch(CounterApp.class);
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
