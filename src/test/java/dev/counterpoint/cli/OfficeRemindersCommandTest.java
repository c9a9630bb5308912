package dev.counterpoint.cli;

import static dev.counterpoint.cli.LookupCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.counterpoint.member.Phones;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.PhoneBoxes;
import dev.counterpoint.office.Registrations;
import dev.counterpoint.office.reminder.ReminderSettings;
import dev.counterpoint.protocol.PhoneBox;
import dev.counterpoint.protocol.ProtocolJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code office reminders --data-dir DIR --channel CHANNEL [--date D]}: its help, its refusals (exit 2, nothing sent), a
 * run on the file channel (the consenting member's line, the full number in the file only, never on the console), a
 * second run that sends nothing, the quiet hours and a failed send (exit 6); and the office's daily schedule, started
 * by {@code office} from {@code reminders.properties}. Quiet hours are none unless a test sets them: the tests run at
 * whatever hour the machine's clock says.
 */
class OfficeRemindersCommandTest {
    private static final String PHONE = "13800135678";
    private static final String CARD = "2900000000018";
    private static final String OTHER_PHONE = "13900001111";
    private static final String OTHER_CARD = "2900000000025";

    @TempDir
    Path tmp;

    private Path office() {
        return tmp.resolve("office");
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneId.of("Asia/Shanghai"));
    }

    /** The birthday the fixture's members have: tomorrow in the chain's zone (Asia/Shanghai as shipped). */
    private static LocalDate birthday() {
        return today().plusDays(1).minusYears(30);
    }

    /** The line the file channel writes for the consenting member: exactly these fields, the full number included. */
    private static String expectedLine() {
        MonthDay md = MonthDay.from(birthday());
        LocalDate next = md.atYear(today().getYear()).isBefore(today()) ? md.atYear(today().getYear() + 1) : md.atYear(today().getYear());
        return "{\"card_code\":\"" + CARD + "\",\"kind\":\"birthday\",\"channel\":\"sms\",\"to\":\"" + PHONE
                + "\",\"text\":\"林雨桐，" + next.getMonthValue() + "月" + next.getDayOfMonth()
                + "日是您的生日，提前祝您生日快乐，期待您的光临！回T退订\"}";
    }

    /**
     * Two members with a phone box and a birthday tomorrow, in the office's H2 file: 林雨桐 gave SMS marketing consent,
     * 王建国 withdrew his. Quiet hours none.
     */
    private void officeWithTwoBirthdays() throws IOException {
        try (OfficeDatabase db = OfficeDatabase.h2File(office())) {
            PhoneBoxes boxes = new PhoneBoxes(db.jdbi(), Clock.systemUTC(), ProtocolJson.newMapper(), db.settingSeal());
            Phones chain = new Phones(java.util.HexFormat.of().parseHex(
                    new Registrations(db.jdbi(), Clock.systemUTC(), db.settingSeal()).chainPhoneKey()));
            db.jdbi().useHandle(h -> {
                for (String[] m : new String[][] {{CARD, "林雨桐", PHONE, "true"}, {OTHER_CARD, "王建国", OTHER_PHONE, "false"}}) {
                    UUID id = UUID.randomUUID();
                    h.createUpdate("""
                            INSERT INTO member(id, card_code, display_name, phone_hmac, phone_masked, phone_box, birthday, tier,
                                               home_store, enrolled_at, enrolled_hlc, enrolled_via, status)
                            VALUES (:id, :card, :name, :hmac, :masked, :box, :b, 'NORMAL', 'S001', :at, 1, 'COUNTER', 'ACTIVE')""")
                            .bind("id", id).bind("card", m[0]).bind("name", m[1]).bind("masked", Phones.mask(m[2]))
                            .bind("hmac", chain.hmac(m[2]))
                            .bind("box", PhoneBox.seal(PhoneBox.publicKey(boxes.publicKey()), m[2])).bind("b", birthday())
                            .bind("at", OffsetDateTime.now().minusYears(1)).execute();
                    h.createUpdate("""
                            INSERT INTO member_consent(member_id, channel, granted, recorded_at, store_id, terminal_id, hlc, event_id)
                            VALUES (:m, 'MARKETING_SMS', :granted, :at, 'S001', 'T1', 1, :e)""")
                            .bind("m", id).bind("granted", Boolean.parseBoolean(m[3])).bind("at", OffsetDateTime.now().minusYears(1))
                            .bind("e", UUID.randomUUID()).execute();
                }
            });
        }
        writeSettings("quiet.hours=none\n");
    }

    private void writeSettings(String text) throws IOException {
        Files.writeString(office().resolve(ReminderSettings.FILE), text);
    }

    /** The commands leave the office's H2 file open for the process's end, as a real run does: shut it here. */
    @AfterEach
    void shutTheOfficeFile() {
        if (Files.isDirectory(office())) {
            OfficeDatabase.h2File(office()).close();
        }
    }

    @Test
    void helpSaysWhatItDoesAndEveryOption() {
        LookupCommandTest.Run help = run("office", "reminders", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--channel=CHANNEL").contains("--date=YYYY-MM-DD").contains("--consent")
                .contains("--secret-file").contains("file:PATH").contains("webhook:URL").contains("sms:URL").contains("quiet hours");
    }

    @Test
    void aBadChannelDateOrSecretIsRefusedWithExit2AndNothingIsSent() throws IOException {
        officeWithTwoBirthdays();
        String office = office().toString();

        LookupCommandTest.Run unknown = run("office", "reminders", "--data-dir", office, "--channel", "pigeon:rooftop");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("--channel: unknown channel \"pigeon\"");
        LookupCommandTest.Run plain = run("office", "reminders", "--data-dir", office, "--channel", "webhook:http://hooks.example.com/r");
        assertThat(plain.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(plain.err()).contains("plain http://");
        assertThat(run("office", "reminders", "--data-dir", office).exit()).as("--channel is required").isEqualTo(ExitCodes.USAGE);
        Path out = tmp.resolve("out.jsonl");
        LookupCommandTest.Run badDate = run("office", "reminders", "--data-dir", office, "--channel", "file:" + out, "--date",
                "10/03/2026");
        assertThat(badDate.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badDate.err()).contains("--date must be YYYY-MM-DD");
        LookupCommandTest.Run future = run("office", "reminders", "--data-dir", office, "--channel", "file:" + out, "--date",
                today().plusDays(2).toString());
        assertThat(future.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(future.err()).contains("is after today");
        LookupCommandTest.Run consent = run("office", "reminders", "--data-dir", office, "--channel", "file:" + out, "--consent",
                "email");
        assertThat(consent.exit()).isEqualTo(ExitCodes.USAGE);
        Path secret = tmp.resolve("secret");
        Files.writeString(secret, "key\n");
        if (Files.getFileStore(secret).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
            LookupCommandTest.Run shared = run("office", "reminders", "--data-dir", office, "--channel",
                    "sms:https://sms.example.com/v2/sms/single_send.json", "--secret-file", secret.toString());
            assertThat(shared.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(shared.err()).contains("may be read or changed by other users");
        }
        writeSettings("quiet.hours=all night\n");
        LookupCommandTest.Run settings = run("office", "reminders", "--data-dir", office, "--channel", "file:" + out);
        assertThat(settings.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(settings.err()).contains(ReminderSettings.FILE).contains("quiet hours must be HH:mm-HH:mm");

        assertThat(Files.exists(out) ? Files.readString(out) : "").isEmpty();
    }

    @Test
    void aRunOnTheFileChannelWritesTheConsentingMemberOnlyWithTheFullNumberInTheFileAloneAndARerunSendsNothing()
            throws IOException {
        officeWithTwoBirthdays();
        Path out = tmp.resolve("reminders.jsonl");
        String head = "reminders due on " + today() + " (Asia/Shanghai), channel file:" + out
                + ", for members with sms marketing consent";

        LookupCommandTest.Run first = run("office", "reminders", "--data-dir", office().toString(), "--channel", "file:" + out);

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out().lines()).containsExactly(head, "due: 2 (birthday 2)", "sent: 1", "skipped: 1",
                "  1 no marketing consent for this channel", "failed: 0");
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).containsExactly(expectedLine());
        assertThat(first.out() + first.err()).doesNotContain(PHONE).doesNotContain(OTHER_PHONE);
        if (Files.getFileStore(out).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        }

        LookupCommandTest.Run again = run("office", "reminders", "--data-dir", office().toString(), "--channel", "file:" + out,
                "--date", today().toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out().lines()).as("the sent one is done; the other still has no consent").containsExactly(head,
                "due: 1 (birthday 1)", "sent: 0", "skipped: 1", "  1 no marketing consent for this channel", "failed: 0");
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).containsExactly(expectedLine());
    }

    @Test
    void inTheQuietHoursNothingIsLookedAtOrSent() throws IOException {
        officeWithTwoBirthdays();
        LocalTime now = LocalTime.now(ZoneId.of("Asia/Shanghai")).truncatedTo(ChronoUnit.MINUTES);
        writeSettings("quiet.hours=" + now.minusHours(1) + "-" + now.plusHours(1) + "\n");
        Path out = tmp.resolve("reminders.jsonl");

        LookupCommandTest.Run quiet = run("office", "reminders", "--data-dir", office().toString(), "--channel", "file:" + out);

        assertThat(quiet.exit()).isZero();
        assertThat(quiet.out()).contains("quiet hours (" + now.minusHours(1) + "-" + now.plusHours(1) + " Asia/Shanghai")
                .contains("nothing was sent").doesNotContain("due:");
        assertThat(Files.readString(out)).isEmpty();
    }

    @Test
    void theOfficeRunsTheDailyRemindersOnTheChannelItsSettingsNameAndNotAgainTheSameDay() throws Exception {
        officeWithTwoBirthdays();
        Path out = tmp.resolve("daily.jsonl");
        writeSettings("quiet.hours=none\nschedule.time=00:00\nschedule.channel=file:" + out + "\n");
        AtomicReference<LookupCommandTest.Run> ended = new AtomicReference<>();
        Thread server = new Thread(() -> ended.set(run("office", "--data-dir", office().toString(), "--host", "127.0.0.1",
                "--port", "0")), "office-under-test");

        server.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((!Files.exists(out) || Files.size(out) == 0) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            server.interrupt(); // stands for the shutdown hook: the office closes the schedule, the server and the database
            server.join(Duration.ofSeconds(60).toMillis());
        }

        assertThat(server.isAlive()).isFalse();
        assertThat(ended.get().out()).contains("head office listening on http://127.0.0.1:");
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).containsExactly(expectedLine());
        try (OfficeDatabase db = OfficeDatabase.h2File(office())) {
            List<Boolean> runs = db.jdbi().withHandle(h -> h.createQuery("SELECT scheduled FROM reminder_run")
                    .mapTo(Boolean.class).list());
            assertThat(runs).as("one run, the schedule's").containsExactly(true);
        }
        LookupCommandTest.Run byHand = run("office", "reminders", "--data-dir", office().toString(), "--channel", "file:" + out);
        assertThat(byHand.out()).contains("sent: 0");
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).hasSize(1);
    }

    @Test
    void aScheduleWhoseChannelCannotOpenStopsTheOfficeBeforeItListens() throws IOException {
        officeWithTwoBirthdays();
        writeSettings("quiet.hours=none\nschedule.time=10:00\nschedule.channel=sms:https://sms.example.com/v2/sms/single_send.json\n");

        // With the schedule not read the office would listen until stopped: the timeout says so rather than hanging.
        LookupCommandTest.Run refused = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run("office", "--data-dir",
                office().toString(), "--host", "127.0.0.1", "--port", "0"));

        assertThat(refused.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("schedule.channel in reminders.properties: sms: needs the gateway's API key");
        assertThat(refused.out()).doesNotContain("listening");
    }

    @Test
    void aSendThatFailsExitsWith1AndSaysWhichCardWithoutItsNumber() throws IOException {
        officeWithTwoBirthdays();
        AtomicInteger calls = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
        });
        receiver.start();
        try {
            LookupCommandTest.Run failed = run("office", "reminders", "--data-dir", office().toString(), "--channel",
                    "webhook:http://127.0.0.1:" + receiver.getAddress().getPort() + "/r");

            assertThat(failed.exit()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(failed.out()).contains("failed: 1 (tried again by the next run)")
                    .contains("  card " + CARD + ", birthday: the webhook webhook:http://127.0.0.1:")
                    .contains("answered HTTP 400").doesNotContain(PHONE).doesNotContain(OTHER_CARD);
            assertThat(calls).hasValue(1);
        } finally {
            receiver.stop(0);
        }
    }
}
