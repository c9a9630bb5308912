package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The terminal's credential is kept sealed under the data key (decision 0040). */
class SyncSettingsTest {
    private static final String CREDENTIAL = "cpt1.a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ0123456";

    @TempDir
    Path dir;

    @Test
    void theCredentialIsNotInTheFileInTheClearAndReadsBack() throws Exception {
        new SyncSettings(URI.create("https://office.example:8420"), CREDENTIAL).save(dir);

        String file = Files.readString(dir.resolve(SyncSettings.FILE_NAME));
        assertThat(file).contains("office.url=https").contains("credential.sealed=sealed1\\:").doesNotContain(CREDENTIAL);
        assertThat(SyncSettings.load(dir)).hasValueSatisfying(s -> assertThat(s.credential()).isEqualTo(CREDENTIAL));
    }

    @Test
    void aCredentialAnEarlierVersionKeptInTheClearIsSealedAtItsFirstRead() throws Exception {
        Files.writeString(dir.resolve(SyncSettings.FILE_NAME), "office.url=http\\://127.0.0.1\\:8420\ncredential=" + CREDENTIAL + "\n");

        assertThat(SyncSettings.load(dir)).hasValueSatisfying(s -> assertThat(s.credential()).isEqualTo(CREDENTIAL));
        assertThat(Files.readString(dir.resolve(SyncSettings.FILE_NAME))).doesNotContain(CREDENTIAL);
        assertThat(SyncSettings.load(dir)).hasValueSatisfying(s -> assertThat(s.credential()).isEqualTo(CREDENTIAL));
    }

    @Test
    void aSealedCredentialCopiedIntoAnotherDataDirDoesNotOpen() throws Exception {
        new SyncSettings(URI.create("https://office.example:8420"), CREDENTIAL).save(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Files.copy(dir.resolve("a").resolve(SyncSettings.FILE_NAME), dir.resolve("b").resolve(SyncSettings.FILE_NAME));

        assertThatThrownBy(() -> SyncSettings.load(dir.resolve("b"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sealed under another data key").hasMessageContaining("register again");
        assertThat(SyncSettings.exists(dir.resolve("b"))).isTrue(); // registering again knows it was registered before
    }
}
