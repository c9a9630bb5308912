package dev.counterpoint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.shared.Messages;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.testfx.api.FxToolkit;

/** Every FXML file in fxml/ loads, in both languages, from where the pom puts it on the class path. */
class FxmlLoadTest {
    static final Path FXML_ROOT = Path.of("fxml");

    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @TestFactory
    Stream<DynamicTest> everyFxmlFileLoads() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(FXML_ROOT)) {
            files = walk.filter(p -> p.toString().endsWith(".fxml")).sorted().toList();
        }
        assertThat(files).as("FXML files under fxml/").isNotEmpty();
        return files.stream().flatMap(f -> Stream.of(Locale.ENGLISH, Messages.CHINESE)
                .map(locale -> DynamicTest.dynamicTest(f + " [" + locale + "]", () -> load(f, locale))));
    }

    private static void load(Path file, Locale locale) throws Exception {
        String resource = "dev/counterpoint/" + FXML_ROOT.relativize(file).toString().replace('\\', '/');
        URL url = FxmlLoadTest.class.getClassLoader().getResource(resource);
        assertThat(url).as("on the class path at " + resource).isNotNull();
        CompletableFuture<Parent> loaded = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                loaded.complete(new FXMLLoader(url, Messages.bundle(locale)).load());
            } catch (IOException | RuntimeException e) {
                loaded.completeExceptionally(e);
            }
        });
        Parent root = loaded.get(30, TimeUnit.SECONDS);
        assertThat(root.getChildrenUnmodifiable()).isNotEmpty();
    }
}
