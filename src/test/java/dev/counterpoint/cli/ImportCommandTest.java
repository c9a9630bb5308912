package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.checkout.MemberSummary;
import dev.counterpoint.main.CounterpointCommand;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The import commands end to end, in-process, against a data dir on disk. */
class ImportCommandTest {
    static final String MEMBERS = "card_code,phone,name,birthday,tier,points,stored_value_fen\n";
    static final String COMPACTING = "Compacting the store\u2019s database file (an import leaves it larger than its data)\u2026";
    static final String PURCHASES = "card_code,purchased_at,sku,category,qty,amount_fen\n";

    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cl = CounterpointCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "--data-dir";
        all[1] = dir.resolve("data").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return cl.execute(all);
    }

    Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    MemberSummary member(String code) {
        try (TerminalWiring ctx = TerminalWiring.open(dir.resolve("data"), Locale.ENGLISH, Clock.systemDefaultZone())) {
            return ctx.memberSummaryService().byCode(code).orElseThrow();
        }
    }

    @Test
    void allRowsGoodExitsZeroWithTheSummaryOnStdout() throws IOException {
        Path members = file("m.csv", MEMBERS + "2900000000017,13800135678,王芳,1990-11-25,GOLD,1200,5000\n2900000000024,,李娜,,,,\n");

        int code = run("--lang", "en", "import-members", members.toString());

        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("imported 2, rejected 0" + System.lineSeparator());
        // The only line on stderr: the store's file is compacted as the command ends.
        assertThat(err.toString()).isEqualTo(COMPACTING + System.lineSeparator());
        assertThat(member("2900000000017").points()).isEqualTo(1200);
        assertThat(member("2900000000017").storedValueFen()).isEqualTo(5000);
    }

    @Test
    void someRowsRefusedExitsOneWithEachOnStderr() throws IOException {
        Path members = file("m.csv", MEMBERS + "2900000000017,12345,王芳,,,,\n2900000000024,,李娜,,,,\n2900000000024,,李娜,,,,\n");

        int code = run("--lang", "en", "import-members", members.toString());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEqualTo("imported 1, rejected 2" + System.lineSeparator());
        assertThat(err.toString().lines()).containsExactly(
                "line 2: phone \"12345\" is not a mainland mobile number",
                "line 4: card_code \"2900000000024\" repeats line 3",
                COMPACTING);
    }

    @Test
    void nothingImportedNothingCompacted() throws IOException {
        Path members = file("m.csv", MEMBERS + "2900000000017,12345,王芳,,,,\n");

        assertThat(run("--lang", "en", "import-members", members.toString())).isEqualTo(1);
        assertThat(out.toString()).isEqualTo("imported 0, rejected 1" + System.lineSeparator());
        assertThat(err.toString().lines()).containsExactly("line 2: phone \"12345\" is not a mainland mobile number");
    }

    @Test
    void withProgressTheBarEndsItsOwnLineAndEachRefusedRowHasOneToo() throws IOException {
        Path members = file("m.csv", MEMBERS + "2900000000017,12345,王芳,,,,\n2900000000024,,李娜,,,,\n");

        int code = run("--lang", "en", "import-members", "--progress", members.toString());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEqualTo("imported 1, rejected 1" + System.lineSeparator());
        // Split by line ends alone: the bar's carriage return is part of its line.
        List<String> lines = List.of(err.toString().split(System.lineSeparator()));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("line 2: phone \"12345\" is not a mainland mobile number");
        assertThat(lines.get(1)).matches("\\r\\[#{24}\\] 100%  2 rows  [\\d,]+ rows/s  0:00 left");
        assertThat(lines.get(2)).isEqualTo(COMPACTING);
    }

    @Test
    void anUnreadableFileExitsTwoAndImportsNothing() throws IOException {
        Path missing = dir.resolve("missing.csv");
        assertThat(run("--lang", "en", "import-members", missing.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("Cannot import " + missing + ": the file does not exist.");
        assertThat(out.toString()).isEmpty();

        Path wrongHeader = file("p.csv", "card,when,what\nx,y,z\n");
        assertThat(run("--lang", "en", "import-purchases", wrongHeader.toString())).isEqualTo(2);

        Path notUtf8 = dir.resolve("gbk.csv");
        Files.write(notUtf8, new byte[] {'c', 'a', 'r', 'd', (byte) 0xB0, (byte) 0xA1, '\n'});
        assertThat(run("--lang", "en", "import-members", notUtf8.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not UTF-8 text");
    }

    @Test
    void purchasesEndToEndAndChineseMessages() throws IOException {
        run("import-members", file("m.csv", MEMBERS + "2900000000017,,王芳,,,,\n").toString());
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        Path purchases = file("p.csv", PURCHASES
                + "2900000000017,2025-06-01T10:00:00+08:00,BEAN-01,咖啡豆,2,12800\n"
                + "2900000000017,2025-06-01T10:00:00+08:00,LATTE,饮品,1,3250\n"
                + "2999999999999,2025-06-01T10:00:00+08:00,TEA,茶,1,100\n");

        int code = run("--lang", "zh", "import-purchases", purchases.toString());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEqualTo("已导入 2 条，拒绝 1 条" + System.lineSeparator());
        assertThat(err.toString().lines()).containsExactly("第 4 行：card_code“2999999999999”不是本终端的会员",
                "正在压缩门店数据库文件（导入后文件会比数据大得多）……");
        assertThat(member("2900000000017").points()).isZero();
    }
}
