package dev.counterpoint.store;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Where a terminal keeps its database, config and logs unless told otherwise, and where it keeps its data keys. */
public final class DataDir {
    /** System property naming the key folder (tests, or a store that keeps keys on another volume). */
    public static final String KEY_DIR_PROPERTY = "counterpoint.keyDir";
    /** The same as an environment variable, for the installed launcher. */
    public static final String KEY_DIR_ENV = "COUNTERPOINT_KEY_DIR";

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

    /**
     * The per-user folder holding data keys (decision 0038): the user's configuration folder, never the data dir's own
     * folder, so a copy of the data dir does not carry the key that opens what it seals. On Windows the local (not
     * roaming) application data, since the data dir is in the roaming one.
     */
    public static Path keyDirFor(String osName, Map<String, String> env, String userHome) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String local = env.get("LOCALAPPDATA");
            return local != null && !local.isBlank() ? Path.of(local, "Counterpoint", "keys")
                    : Path.of(userHome, "AppData", "Local", "Counterpoint", "keys");
        }
        if (os.contains("mac")) {
            return Path.of(userHome, "Library", "Preferences", "Counterpoint", "keys");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "counterpoint", "keys") : Path.of(userHome, ".config", "counterpoint", "keys");
    }

    /** True when the key folder was chosen ({@link #KEY_DIR_PROPERTY} or {@link #KEY_DIR_ENV}): keys are then files there only. */
    public static boolean keyDirChosen() {
        String property = System.getProperty(KEY_DIR_PROPERTY);
        String env = System.getenv(KEY_DIR_ENV);
        return property != null && !property.isBlank() || env != null && !env.isBlank();
    }

    /** {@link #KEY_DIR_PROPERTY}, else {@link #KEY_DIR_ENV}, else {@link #keyDirFor} this system. */
    public static Path keyDir() {
        String property = System.getProperty(KEY_DIR_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property.strip());
        }
        String env = System.getenv(KEY_DIR_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env.strip());
        }
        return keyDirFor(System.getProperty("os.name"), System.getenv(), System.getProperty("user.home"));
    }
}
