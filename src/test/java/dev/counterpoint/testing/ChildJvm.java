package dev.counterpoint.testing;

import dev.counterpoint.store.DataDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command that starts a class of the test class path in its own JVM, keeping this run's key folder. */
public final class ChildJvm {
    private ChildJvm() {}

    public static List<String> command(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String keyDir = System.getProperty(DataDir.KEY_DIR_PROPERTY);
        if (keyDir != null) {
            cmd.add("-D" + DataDir.KEY_DIR_PROPERTY + "=" + keyDir); // data keys stay under target/, as in this JVM
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
