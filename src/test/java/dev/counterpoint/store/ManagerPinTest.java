package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagerPinTest {
    @TempDir
    Path dir;

    @Test
    void thePinIsKeptOnlyAsASaltedHashAndVerified() throws Exception {
        ManagerPin pin = new ManagerPin(dir);
        assertThat(pin.isSet()).isFalse();
        assertThat(pin.verify("1234")).isFalse();

        pin.set("2468");

        String stored = Files.readString(dir.resolve(ManagerPin.FILE_NAME), StandardCharsets.US_ASCII);
        assertThat(stored).startsWith("pbkdf2-sha256:120000:").doesNotContain("2468");
        assertThat(pin.verify("2468")).isTrue();
        assertThat(pin.verify("2469")).isFalse();
        assertThat(pin.verify(null)).isFalse();
        new ManagerPin(dir).set("2468");
        assertThat(Files.readString(dir.resolve(ManagerPin.FILE_NAME), StandardCharsets.US_ASCII))
                .as("a fresh salt each time").isNotEqualTo(stored);
    }

    @Test
    void malformedPinsAndFilesAreRefused() throws Exception {
        ManagerPin pin = new ManagerPin(dir);
        assertThatThrownBy(() -> pin.set("12a4")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ManagerPin.wellFormed("123")).isFalse();
        assertThat(ManagerPin.wellFormed("123456789")).isFalse();
        Files.writeString(dir.resolve(ManagerPin.FILE_NAME), "1234\n", StandardCharsets.US_ASCII);
        assertThat(pin.verify("1234")).as("a plain PIN in the file is not accepted").isFalse();
    }
}
