package dev.counterpoint.cli;

import static dev.counterpoint.cli.LookupCommandTest.run;
import static dev.counterpoint.cli.LookupCommandTest.runWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.console.ConsoleUsers;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Console accounts are made, given new passwords and removed at head office; passwords come from standard input only. */
class OfficeUserCommandsTest {
    @TempDir
    Path tmp;

    private String office() {
        return tmp.resolve("office").toString();
    }

    @Test
    void anOwnerAndAManagerAreAddedWithPasswordsFromStandardInputAndCanSignIn() throws Exception {
        LookupCommandTest.Run owner = runWithInput("correct horse battery\n", "--data-dir", office(), "office", "add-user", "boss",
                "--role", "owner");
        assertThat(owner.exit()).as(owner.err()).isZero();
        assertThat(owner.out()).contains("console account boss added (owner, every store)");
        LookupCommandTest.Run manager = runWithInput("  spaces count too  \n", "--data-dir", office(), "office", "add-user", "li",
                "--role", "manager", "--store", "S002");
        assertThat(manager.exit()).as(manager.err()).isZero();

        LookupCommandTest.Run passwd = runWithInput("another good password\n", "--data-dir", office(), "office", "passwd", "boss");
        assertThat(passwd.exit()).as(passwd.err()).isZero();
        assertThat(passwd.out()).contains("sessions have ended");
        assertThat(run("--data-dir", office(), "office", "remove-user", "li").exit()).isZero();
        assertThat(run("--data-dir", office(), "office", "remove-user", "li").exit()).isEqualTo(ExitCodes.NOT_FOUND);

        try (OfficeDatabase db = OfficeDatabase.h2File(tmp.resolve("office"))) {
            ConsoleUsers users = new ConsoleUsers(db.jdbi(), Clock.systemUTC());
            assertThat(users.signIn("boss", "another good password", "127.0.0.1")).isInstanceOf(ConsoleUsers.Accepted.class);
            assertThat(users.signIn("boss", "correct horse battery", "127.0.0.1")).isInstanceOf(ConsoleUsers.Refused.class);
            assertThat(users.list()).extracting(ConsoleUsers.Account::username).containsExactly("boss");
            // Only an Argon2id hash is kept.
            String stored = db.jdbi().withHandle(h -> h.createQuery("SELECT password_hash FROM console_user WHERE username = 'boss'")
                    .mapTo(String.class).one());
            assertThat(stored).startsWith("$argon2id$").doesNotContain("another good password");
        }
    }

    @Test
    void badRolesStoresNamesAndPasswordsAreRefusedAndNothingIsAdded() {
        assertThat(runWithInput("correct horse battery\n", "--data-dir", office(), "office", "add-user", "x", "--role", "cashier")
                .exit()).isEqualTo(ExitCodes.USAGE);
        LookupCommandTest.Run noStore = runWithInput("correct horse battery\n", "--data-dir", office(), "office", "add-user", "x",
                "--role", "manager");
        assertThat(noStore.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noStore.err()).contains("--store");
        assertThat(runWithInput("correct horse battery\n", "--data-dir", office(), "office", "add-user", "x", "--role", "owner",
                "--store", "S001").exit()).isEqualTo(ExitCodes.USAGE);
        LookupCommandTest.Run short_ = runWithInput("short\n", "--data-dir", office(), "office", "add-user", "x", "--role", "owner");
        assertThat(short_.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(short_.err()).contains("10 to 200 characters");
        assertThat(run("--data-dir", office(), "office", "add-user", "x", "--role", "owner").err())
                .contains("no password was given on standard input");
        assertThat(runWithInput("correct horse battery\n", "--data-dir", office(), "office", "add-user", "a b", "--role", "owner")
                .exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(runWithInput("correct horse battery\n", "--data-dir", office(), "office", "add-user", "x", "--role", "owner")
                .exit()).isZero();
        assertThat(runWithInput("correct horse battery\n", "--data-dir", office(), "office", "add-user", "x", "--role", "owner")
                .exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(runWithInput("correct horse battery\n", "--data-dir", office(), "office", "passwd", "nobody").exit())
                .isEqualTo(ExitCodes.NOT_FOUND);
    }
}
