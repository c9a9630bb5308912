package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** office import-members through picocli: the summary, each refused row, and the exit codes. */
class OfficeImportMembersCommandTest {
    @TempDir
    Path tmp;

    @Test
    void importsAtHeadOfficeNamingEachRefusedRowAndRefusesAnUnknownStore() throws Exception {
        Path officeDir = tmp.resolve("office");
        assertThat(LookupCommandTest.run("office", "add-terminal", "--data-dir", officeDir.toString(), "--store", "S001",
                "--terminal", "T1").exit()).isZero();
        Path file = tmp.resolve("members.csv");
        Files.writeString(file, """
                card_code,phone,name,birthday,tier,points,stored_value_fen
                C-1,13800138001,王芳,1990-05-01,GOLD,100,0
                C-2,12345,李雷,,NORMAL,0,0
                """, StandardCharsets.UTF_8);

        LookupCommandTest.Run run = LookupCommandTest.run("--lang", "en", "office", "import-members", "--data-dir",
                officeDir.toString(), "--store", "S001", file.toString());
        assertThat(run.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.out()).contains("imported 1, rejected 1");
        assertThat(run.err()).contains("line 3: phone \"12345\" is not a mainland mobile number");

        LookupCommandTest.Run again = LookupCommandTest.run("--lang", "zh", "office", "import-members", "--data-dir",
                officeDir.toString(), "--store", "S001", file.toString());
        assertThat(again.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(again.out()).contains("已导入 0 条，拒绝 2 条");
        assertThat(again.err()).contains("第 2 行：card_code“C-1”已在数据库中");

        LookupCommandTest.Run unknown = LookupCommandTest.run("--lang", "en", "office", "import-members", "--data-dir",
                officeDir.toString(), "--store", "S404", file.toString());
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("head office knows no store S404").contains("Nothing was imported.");
    }
}
