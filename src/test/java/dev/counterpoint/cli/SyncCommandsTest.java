package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OfficeServer;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** office add-terminal / revoke-terminal, register, sync and close-day through picocli, against a head office on loopback. */
class SyncCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void registerSyncAndCloseDayOnlineThenOffline() {
        Path officeDir = tmp.resolve("office");
        Path terminal = tmp.resolve("terminal");
        OfficeServer server = new OfficeServer(OfficeDatabase.h2File(officeDir), Clock.systemUTC(), ProtocolJson.newMapper(), 4);
        int port = server.start("127.0.0.1", 0);
        String url = "http://127.0.0.1:" + port;
        try {
            LookupCommandTest.Run added = LookupCommandTest.run("office", "add-terminal", "--data-dir", officeDir.toString(),
                    "--store", "S007", "--terminal", "T2");
            assertThat(added.exit()).isZero();
            List<String> lines = added.out().lines().toList();
            String code = lines.get(lines.size() - 1);
            assertThat(code).matches("[2-9A-Z]{4}(-[2-9A-Z]{4}){5}");

            LookupCommandTest.Run bad = LookupCommandTest.run("--data-dir", terminal.toString(), "--lang", "en", "register", "--office", url, "XXXX-XXXX");
            assertThat(bad.exit()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(bad.err()).contains("refused").contains("unknown or already used registration code");

            LookupCommandTest.Run registered = LookupCommandTest.run("--data-dir", terminal.toString(), "--lang", "en",
                    "register", "--office", url, code.toLowerCase());
            assertThat(registered.exit()).isZero();
            assertThat(registered.out()).contains("store S007, terminal T2");

            LookupCommandTest.Run synced = LookupCommandTest.run("--data-dir", terminal.toString(), "--lang", "en", "sync");
            assertThat(synced.exit()).isZero();
            assertThat(synced.out()).contains("Pushed 0 events, pulled 2 changes."); // head office's member-QR and phone-box keys

            assertThat(LookupCommandTest.runWithInput("246810\n", "--data-dir", terminal.toString(), "--lang", "en", "staff", "add",
                    "li", "--name", "李店长", "--role", "manager").exit()).isZero();
            LookupCommandTest.Run closed = LookupCommandTest.runWithInput("246810\n", "--data-dir", terminal.toString(), "--lang",
                    "en", "close-day", "--manager", "li");
            assertThat(closed.exit()).isZero();
            assertThat(closed.out()).contains("Z-report").contains("store S007").contains("Confirmed by head office");

            LookupCommandTest.Run revoked = LookupCommandTest.run("office", "revoke-terminal", "--data-dir", officeDir.toString(),
                    "--store", "S007", "--terminal", "T2");
            assertThat(revoked.exit()).isZero();
            LookupCommandTest.Run refused = LookupCommandTest.run("--data-dir", terminal.toString(), "--lang", "en", "sync");
            assertThat(refused.exit()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(refused.err()).contains("refused this terminal");
        } finally {
            server.close();
        }
        LookupCommandTest.Run offline = LookupCommandTest.run("--data-dir", terminal.toString(), "--lang", "en", "sync");
        assertThat(offline.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(offline.err()).startsWith("Head office cannot be reached").contains("Nothing is lost").doesNotContain("Exception:");
        // The day was closed (and confirmed) already: closing it again prints that report, without asking head office.
        LookupCommandTest.Run closedAgain = LookupCommandTest.runWithInput("246810\n", "--data-dir", terminal.toString(), "--lang",
                "en", "close-day", "--manager", "li");
        assertThat(closedAgain.exit()).isZero();
        assertThat(closedAgain.out()).contains("This day was closed already").contains("Sales: 0")
                .contains("Confirmed by head office");
        LookupCommandTest.Run closedOffline = LookupCommandTest.runWithInput("246810\n", "--data-dir", terminal.toString(),
                "--lang", "en", "close-day", "--manager", "li", "--date", "2000-01-01");
        assertThat(closedOffline.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(closedOffline.out()).contains("Sales: 0").contains("Not yet confirmed by head office.");
    }

    @Test
    void memberEditChangesTheProfileAndQueuesOneEvent() {
        Path dir = tmp.resolve("edit");
        String card;
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
            card = ctx.memberService().enrol("王芳", "13800135678", null).cardCode();
        }
        LookupCommandTest.Run edited = LookupCommandTest.run("--data-dir", dir.toString(), "--lang", "en", "member-edit", card,
                "--name", "王小芳", "--birthday", "1990-03-13");
        assertThat(edited.exit()).isZero();
        assertThat(edited.out()).contains("Saved: 王小芳 (" + card + "), birthday 1990-03-13.");
        LookupCommandTest.Run bad = LookupCommandTest.run("--data-dir", dir.toString(), "--lang", "en", "member-edit", card, "--name", " ");
        assertThat(bad.exit()).isEqualTo(ExitCodes.REFUSED);
        LookupCommandTest.Run unknown = LookupCommandTest.run("--data-dir", dir.toString(), "--lang", "en", "member-edit", "0000");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
            long updates = ctx.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM outbox_event WHERE type = 'member.updated'").mapTo(Long.class).one());
            assertThat(updates).isEqualTo(1);
        }
    }

    @Test
    void syncOnAnUnregisteredTerminalSaysHowToRegister() {
        LookupCommandTest.Run run = LookupCommandTest.run("--data-dir", tmp.resolve("t").toString(), "--lang", "en", "sync");
        assertThat(run.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).contains("not registered").contains("register --office URL CODE");
    }
}
