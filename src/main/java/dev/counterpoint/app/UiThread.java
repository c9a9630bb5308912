package dev.counterpoint.app;

import java.util.concurrent.Executor;
import javafx.application.Platform;
import javafx.scene.Parent;

/** The one way results get back to the FX thread. View models take it as a plain {@link Executor}. */
public final class UiThread implements Executor {
    private static final UiThread INSTANCE = new UiThread();

    private UiThread() {}

    public static Executor executor() {
        return INSTANCE;
    }

    /**
     * As {@link #executor()}, and lays {@code root} out as soon as each result has been applied. Otherwise the layout
     * of what a result changed (a member's history and offers: rows of cells, 1–2 ms) waits for the next pulse and
     * only then begins; done here, while the pulse is still to come, that pulse finds it done. Only layout: a CSS
     * pass forced from the root ({@code applyCss}) restyles every node of the scene and cost more than it saved;
     * the lists style their new cells as they lay them out, and the pulse styles the rest.
     */
    public static Executor layingOut(Parent root) {
        return command -> Platform.runLater(() -> {
            try {
                command.run();
            } finally {
                root.layout();
            }
        });
    }

    @Override
    public void execute(Runnable command) {
        Platform.runLater(command);
    }
}
