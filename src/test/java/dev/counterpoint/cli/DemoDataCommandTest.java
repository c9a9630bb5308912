package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.demo.Showcase;
import dev.counterpoint.main.CounterpointCommand;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoDataCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CounterpointCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void makesOnlyTheSmallDemoStore() {
        // a large store is the benchmarks' own (decision 0075): the command no longer takes a member count
        Path dataDir = dir.resolve("sized");
        Run sized = run("--data-dir", dataDir.toString(), "--lang", "en", "demo-data", "--members", "300");
        assertThat(sized.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(sized.err()).contains("Unknown options: '--members'");
        assertThat(sized.out()).doesNotContain("Demo store ready");
        assertThat(dataDir.resolve("db")).doesNotExist();
    }

    @Test
    void fillsAnEmptyDataDirThenRefusesToFillItAgain() {
        String dataDir = dir.resolve("demo-store").toString();
        Run first = run("--data-dir", dataDir, "--lang", "en", "demo-data");
        assertThat(first.exit()).isZero();
        assertThat(first.err()).isEmpty();
        assertThat(first.out())
                .contains("Demo store: 100 of 406 members written", "Demo store: 406 of 406 members written")
                .containsPattern("Demo store ready: 406 members, [0-9,]+ purchases, [0-9,]+ coupons \\([0-9,]+ used\\)")
                .contains(Showcase.BIRTHDAY.cardCode() + "  birthday in 2 days", Showcase.VIP.cardCode());

        Run again = run("--data-dir", dataDir, "--lang", "zh", "demo-data");
        assertThat(again.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(again.err()).contains("此数据目录已有 406 位会员，未写入任何演示数据");
        assertThat(again.out()).isEmpty();

        Run lookup = run("--data-dir", dataDir, "--lang", "en", "lookup", "--json", Showcase.WELCOME.cardCode());
        assertThat(lookup.exit()).isZero();
        assertThat(lookup.out()).contains("\"reason\" : \"WELCOME\"");
    }

    @Test
    void terminalDemoFillsOnlyAnEmptyStore() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-10T06:00:00Z"), ZoneId.of("Asia/Shanghai"));
        try (TerminalWiring ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock)) {
            StringWriter out = new StringWriter();
            ResourceBundle english = Messages.bundle(Locale.ENGLISH);
            assertThat(TerminalCommand.fillIfEmpty(ctx.demoStoreGenerator(), new PrintWriter(out, true), english)).isTrue();
            assertThat(out.toString()).contains("Demo store ready: 406 members");
            StringWriter again = new StringWriter();
            assertThat(TerminalCommand.fillIfEmpty(ctx.demoStoreGenerator(), new PrintWriter(again, true), english)).isFalse();
            assertThat(again.toString()).isEmpty();
            assertThat(ctx.demoStoreGenerator().memberCount()).isEqualTo(406);
        }
    }

    @Test
    void terminalAcceptsTheDemoOption() {
        CommandLine.ParseResult parsed = CounterpointCommand.commandLine().parseArgs("--data-dir", dir.toString(), "terminal", "--demo");
        assertThat(parsed.subcommand().matchedOptionValue("--demo", false)).isTrue();
    }
}
