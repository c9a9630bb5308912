package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Head office's secrets come from a file or the environment; the arguments, which ps shows, are refused. */
class OfficeSecretsTest {
    private static final String PASSWORD = "hunter2-Secret";

    @TempDir
    Path tmp;

    @Test
    void aTlsPasswordAmongTheArgumentsIsRefusedNamingTheFileAndTheVariable() {
        LookupCommandTest.Run run = LookupCommandTest.run("--data-dir", tmp.resolve("office").toString(), "office",
                "--port", "0", "--tls-keystore", tmp.resolve("ks.p12").toString(), "--tls-password", PASSWORD);

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--tls-password is no longer accepted").contains("--tls-password-file FILE")
                .contains("COUNTERPOINT_TLS_PASSWORD").doesNotContain(PASSWORD);
        assertThat(tmp.resolve("office")).doesNotExist(); // refused before anything was opened
    }

    @Test
    void aDatabasePasswordAmongTheArgumentsIsRefusedByTheOfficeAndItsSubcommands() {
        LookupCommandTest.Run office = LookupCommandTest.run("--data-dir", tmp.resolve("office").toString(), "office",
                "--port", "0", "--db", "jdbc:h2:mem:refused", "--db-password", PASSWORD);
        LookupCommandTest.Run add = LookupCommandTest.run("--data-dir", tmp.resolve("office").toString(), "office",
                "add-terminal", "--store", "S001", "--terminal", "T1", "--db", "jdbc:h2:mem:refused", "--db-password", PASSWORD);

        for (LookupCommandTest.Run run : new LookupCommandTest.Run[] {office, add}) {
            assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("--db-password is no longer accepted").contains("--db-password-file FILE")
                    .contains("COUNTERPOINT_DB_PASSWORD").doesNotContain(PASSWORD);
            assertThat(run.out()).doesNotContain("registration code");
        }
    }

    @Test
    void aPasswordFileIsReadWhenOnlyItsOwnerMayReadIt() throws Exception {
        var spec = new CommandLine(new OfficeCommand()).getCommandSpec();
        Path file = tmp.resolve("tls-password");
        Files.writeString(file, PASSWORD + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> Secret.read(spec, "--tls-password-file", file, "COUNTERPOINT_TLS_PASSWORD"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("may be read or changed by other users").hasMessageContaining("chmod 600 " + file);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(Secret.read(spec, "--tls-password-file", file, "COUNTERPOINT_TLS_PASSWORD")).isEqualTo(PASSWORD);
    }
}
