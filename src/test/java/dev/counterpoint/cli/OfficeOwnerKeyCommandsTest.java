package dev.counterpoint.cli;

import static dev.counterpoint.cli.LookupCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner keys are made, listed and revoked by name at head office; tokens are minted only for cards it knows. */
class OfficeOwnerKeyCommandsTest {
    @TempDir
    Path tmp;

    private String office() {
        return tmp.resolve("office").toString();
    }

    private static String lastLine(String out) {
        List<String> lines = out.lines().toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void aNamedScopedKeyIsMadeListedAndRevoked() {
        LookupCommandTest.Run made = run("--data-dir", office(), "office", "owner-key", "--name", "kpi-board", "--scope",
                "read", "--days", "30");
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(lastLine(made.out())).startsWith("cpo1.");
        assertThat(made.out()).contains("'kpi-board' (read, 30 days");

        LookupCommandTest.Run listed = run("--data-dir", office(), "office", "owner-keys");
        assertThat(listed.exit()).isZero();
        assertThat(listed.out()).contains("kpi-board").contains("read").contains("active").doesNotContain(lastLine(made.out()));

        assertThat(run("--data-dir", office(), "office", "revoke-owner-key", "kpi-board").exit()).isZero();
        assertThat(run("--data-dir", office(), "office", "owner-keys").out()).contains("revoked");
        assertThat(run("--data-dir", office(), "office", "revoke-owner-key", "kpi-board").exit()).isEqualTo(ExitCodes.NOT_FOUND);
        // Each subcommand closed the office's file behind it: none is left open (H2 keeps its lock file while it is).
        assertThat(tmp.resolve("office").resolve("office.lock.db")).doesNotExist();
    }

    @Test
    void aBadScopeOrValidityIsRefusedAndNoKeyIsMade() {
        LookupCommandTest.Run scope = run("--data-dir", office(), "office", "owner-key", "--scope", "read,everything");
        assertThat(scope.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(scope.err()).contains("unknown scope 'everything'");
        LookupCommandTest.Run days = run("--data-dir", office(), "office", "owner-key", "--days", "5000");
        assertThat(days.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("--data-dir", office(), "office", "owner-keys").out()).doesNotContain("active");
    }

    @Test
    void noTokenIsMintedForACardHeadOfficeDoesNotKnow() {
        LookupCommandTest.Run unknown = run("--data-dir", office(), "office", "member-qr", "2900000000018");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).contains("knows no card 2900000000018");
        assertThat(unknown.out()).doesNotContain("CP1.");
    }
}
