package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataDirTest {
    @Test
    void followsEachOperatingSystemsConvention() {
        assertThat(DataDir.defaultFor("Windows 11", Map.of("APPDATA", "C:\\Users\\li\\AppData\\Roaming"), "C:\\Users\\li"))
                .isEqualTo(Path.of("C:\\Users\\li\\AppData\\Roaming", "Counterpoint"));
        assertThat(DataDir.defaultFor("Mac OS X", Map.of(), "/Users/li"))
                .isEqualTo(Path.of("/Users/li/Library/Application Support/Counterpoint"));
        assertThat(DataDir.defaultFor("Linux", Map.of(), "/home/li")).isEqualTo(Path.of("/home/li/.local/share/counterpoint"));
        assertThat(DataDir.defaultFor("Linux", Map.of("XDG_DATA_HOME", "/data"), "/home/li")).isEqualTo(Path.of("/data/counterpoint"));
    }

    @Test
    void keysAreKeptInTheUsersConfigurationFolderNotBesideTheData() {
        assertThat(DataDir.keyDirFor("Windows 11", Map.of("LOCALAPPDATA", "C:\\Users\\li\\AppData\\Local"), "C:\\Users\\li"))
                .isEqualTo(Path.of("C:\\Users\\li\\AppData\\Local", "Counterpoint", "keys"));
        assertThat(DataDir.keyDirFor("Mac OS X", Map.of(), "/Users/li"))
                .isEqualTo(Path.of("/Users/li/Library/Preferences/Counterpoint/keys"));
        assertThat(DataDir.keyDirFor("Linux", Map.of(), "/home/li")).isEqualTo(Path.of("/home/li/.config/counterpoint/keys"));
        assertThat(DataDir.keyDirFor("Linux", Map.of("XDG_CONFIG_HOME", "/cfg"), "/home/li")).isEqualTo(Path.of("/cfg/counterpoint/keys"));
    }
}
