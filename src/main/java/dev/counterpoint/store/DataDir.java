package dev.counterpoint.store;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Where a terminal keeps its database, config and logs unless told otherwise. */
public final class DataDir {
    private DataDir() {}

    public static Path defaultFor(String osName, Map<String, String> env, String userHome) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String appData = env.get("APPDATA");
            return Path.of(appData != null ? appData : userHome, "Counterpoint");
        }
        if (os.contains("mac")) {
            return Path.of(userHome, "Library", "Application Support", "Counterpoint");
        }
        String xdg = env.get("XDG_DATA_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "counterpoint") : Path.of(userHome, ".local", "share", "counterpoint");
    }

    public static Path defaultDir() {
        return defaultFor(System.getProperty("os.name"), System.getenv(), System.getProperty("user.home"));
    }
}
