package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands run as a store runs them, each in a JVM of its own that ends with it, leave no H2 trace file in the data dir:
 * H2 writes there what went wrong with the database (failed statements with their values, uses of a closed database).
 */
class NoTraceFileTest {
    @TempDir
    Path tmp;

    @Test
    void terminalAndOfficeCommandsLeaveNoTraceFile() throws Exception {
        Path store = tmp.resolve("store");
        Path office = tmp.resolve("office");

        assertThat(run("123456\n", "--data-dir", store.toString(), "staff", "add", "li", "--name", "Li", "--role", "manager"))
                .isEqualTo(ExitCodes.OK);
        assertThat(run("", "--data-dir", store.toString(), "lookup", "2900000000018")).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run("", "--data-dir", office.toString(), "office", "add-terminal", "--store", "S001", "--terminal", "T1"))
                .isEqualTo(ExitCodes.OK);

        try (var walk = Files.walk(tmp)) {
            List<Path> traces = walk.filter(p -> p.getFileName().toString().endsWith(".trace.db")).toList();
            assertThat(traces).as("H2 trace files").isEmpty();
        }
        assertThat(store.resolve("db/counterpoint.mv.db")).exists();
        assertThat(office.resolve("office.mv.db")).exists();
    }

    private static int run(String input, String... args) throws Exception {
        Process p = new ProcessBuilder(ChildJvm.command("dev.counterpoint.main.Main", args)).redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        return p.exitValue();
    }
}
