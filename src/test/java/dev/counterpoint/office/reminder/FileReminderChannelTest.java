package dev.counterpoint.office.reminder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.ConsentChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file channel: one JSON object a line with exactly the five fields, in a file only its owner may read. */
class FileReminderChannelTest {
    @TempDir
    Path tmp;

    @Test
    void eachMessageIsOneLineOfExactlyCardCodeKindChannelToAndText() throws IOException {
        Path file = tmp.resolve("reminders.jsonl");
        ReminderChannel channel = ReminderChannels.open(ChannelSpec.parse("file:" + file), null, null, Clock.systemUTC());

        channel.send(new ReminderMessage("cp-1", "2900000000018", ReminderKind.POINTS_EXPIRING, "sms", "13800135678",
                "林雨桐，您有300积分有效期至3月20日，过期作废，请及时到店使用。回T退订"));
        channel.send(new ReminderMessage("cp-2", "2900000000025", ReminderKind.WIN_BACK, "sms", "13900001111",
                "a \"quoted\"\nline"));

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("{\"card_code\":\"2900000000018\",\"kind\":\"points_expiring\",\"channel\":\"sms\","
                + "\"to\":\"13800135678\",\"text\":\"林雨桐，您有300积分有效期至3月20日，过期作废，请及时到店使用。回T退订\"}");
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        List<String> fields = new ArrayList<>();
        second.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("card_code", "kind", "channel", "to", "text");
        assertThat(second.path("text").asText()).isEqualTo("a \"quoted\"\nline");
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(channel.consent()).isEqualTo(ConsentChannel.MARKETING_SMS);
    }

    @Test
    void aFileOthersMayReadOrAFolderThatIsNotThereIsRefusedBeforeAnythingIsSent() throws IOException {
        Path open = tmp.resolve("open.jsonl");
        Files.writeString(open, "");
        if (Files.getFileStore(open).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
            assertThatThrownBy(() -> ReminderChannels.open(ChannelSpec.parse("file:" + open), null, null, Clock.systemUTC()))
                    .hasMessageContaining("may be read or changed by other users");
        }
        assertThatThrownBy(() -> ReminderChannels.open(ChannelSpec.parse("file:" + tmp.resolve("no/such/dir/r.jsonl")), null,
                null, Clock.systemUTC())).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ReminderChannels.open(ChannelSpec.parse("file:" + tmp), null, null, Clock.systemUTC()))
                .hasMessageContaining("not a plain file");
    }

    /** An office stopping interrupts its run: a line written is reported sent, or it would be sent again later. */
    @Test
    void aMessageWrittenWhileTheOfficeIsStoppingIsReportedSent() throws IOException {
        Path file = tmp.resolve("r.jsonl");
        ReminderChannel channel = ReminderChannels.open(ChannelSpec.parse("file:" + file), null, null, Clock.systemUTC());
        Thread.currentThread().interrupt();
        ReminderChannel.Delivery delivery;
        try {
            delivery = channel.send(new ReminderMessage("cp-1", "2900000000018", ReminderKind.BIRTHDAY, "sms", "13800135678", "hi"));
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is left for the run to see").isTrue();
        }
        assertThat(delivery).isInstanceOf(ReminderChannel.Delivery.Sent.class);
        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    @Test
    void aFileMovedAwayBetweenMessagesIsMadeAgainOwnerOnly() throws IOException {
        Path file = tmp.resolve("r.jsonl");
        ReminderChannel channel = ReminderChannels.open(ChannelSpec.parse("file:" + file), null, null, Clock.systemUTC());
        Files.move(file, tmp.resolve("r.jsonl.1"));

        assertThat(channel.send(new ReminderMessage("cp-1", "2900000000018", ReminderKind.BIRTHDAY, "sms", "13800135678", "hi")))
                .isInstanceOf(ReminderChannel.Delivery.Sent.class);
        assertThat(Files.readAllLines(file)).hasSize(1);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }
}
