package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OfficeServer;
import dev.counterpoint.protocol.ProtocolJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * register refuses plain http to head office on another machine unless --insecure is given. A refused URL is told
 * apart from an accepted one by the exit code: an accepted one goes on to connect (and, in these tests, cannot: 5).
 */
class RegisterCommandTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"http://office.example:8420", "http://192.168.1.10:8420", "HTTP://10.0.0.1", "http://[2001:db8::1]:8420",
            "http://127.0.0.1.office.example"})
    void plainHttpToAnotherMachineIsRefusedAndNothingIsSent(String url) {
        Path dir = tmp.resolve("t");

        LookupCommandTest.Run run = LookupCommandTest.run("--data-dir", dir.toString(), "--lang", "en", "register", "--office", url,
                "ABCD-EFGH");

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("Not registered: " + url + " is plain http to another machine")
                .contains("Nothing was sent").contains("https://").contains("--insecure");
        assertThat(Files.exists(dir.resolve("sync.properties"))).isFalse();
    }

    @Test
    void theRefusalIsInChineseToo() {
        LookupCommandTest.Run run = LookupCommandTest.run("--data-dir", tmp.resolve("t").toString(), "--lang", "zh", "register",
                "--office", "http://office.example:8420", "ABCD-EFGH");

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("未注册：http://office.example:8420 是通往另一台机器的明文 http 地址").contains("--insecure");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1", "https://office.invalid:1"})
    void httpsAndPlainHttpToThisMachineAreTried(String url) {
        LookupCommandTest.Run run = LookupCommandTest.run("--data-dir", tmp.resolve("t").toString(), "--lang", "en", "register",
                "--office", url, "ABCD-EFGH");

        assertThat(run.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).startsWith("Head office cannot be reached");
    }

    @Test
    void insecureTriesPlainHttpToAnotherMachine() {
        LookupCommandTest.Run run = LookupCommandTest.run("--data-dir", tmp.resolve("t").toString(), "--lang", "en", "register",
                "--office", "http://office.invalid:1", "--insecure", "ABCD-EFGH");

        assertThat(run.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).startsWith("Head office cannot be reached");
    }

    @Test
    void aTerminalRegistersOverHttpOnThisMachine() {
        Path officeDir = tmp.resolve("office");
        try (OfficeServer server = new OfficeServer(OfficeDatabase.h2File(officeDir), Clock.systemUTC(), ProtocolJson.newMapper(), 4)) {
            int port = server.start("127.0.0.1", 0);
            String code = server.registrations().addTerminal("S001", "T1");

            LookupCommandTest.Run run = LookupCommandTest.run("--data-dir", tmp.resolve("t").toString(), "--lang", "en", "register",
                    "--office", "http://localhost:" + port, code);

            assertThat(run.exit()).isZero();
            assertThat(run.out()).contains("store S001, terminal T1");
        }
    }
}
