package dev.counterpoint.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/**
 * The start-up benchmark's baseline: a bare JavaFX window that writes the same marker line once shown. Launched
 * from a plain main class as the counter is ({@code Main} → {@code CounterApp}): the java launcher refuses a main
 * class that extends Application when JavaFX is on the class path.
 */
public final class HelloFxApp {
    private HelloFxApp() {}

    public static void main(String[] args) {
        Application.launch(Window.class, args);
    }

    public static final class Window extends Application {

    @Override
    public void start(Stage stage) {
        stage.setScene(new Scene(new Label("hello"), 1024, 640));
        stage.show();
        try {
            Files.writeString(Path.of(getParameters().getRaw().get(0)), "ready to scan\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
    }
}
