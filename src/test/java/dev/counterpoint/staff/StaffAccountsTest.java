package dev.counterpoint.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staff accounts: own PINs kept as slow hashes, roles, lockout after wrong PINs, the old manager PIN file converted. */
class StaffAccountsTest {
    @TempDir
    Path dir;
    final TestClock clock = new TestClock(Instant.parse("2026-11-23T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
    TerminalWiring ctx;

    @AfterEach
    void close() {
        if (ctx != null) {
            ctx.close();
        }
    }

    private long count(String sql) {
        return ctx.database().queryLong(sql);
    }

    @Test
    void fiveWrongPinsLockTheAccountForFiveMinutesLoggedAndAudited() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock);
        StaffAccounts staff = ctx.staffAccounts();
        staff.addFirst("li", "李店长", StaffRole.MANAGER, "246810");

        for (int left = 4; left >= 1; left--) {
            int expected = left;
            assertThatThrownBy(() -> staff.authenticate("li", "000000")).isInstanceOfSatisfying(BusinessRuleException.class,
                    e -> assertThat(e.userMessage().args()).containsExactly("li", expected));
        }
        assertThatThrownBy(() -> staff.authenticate("li", "000000")).hasMessage("staff.error.locked");
        // Locked: even the right PIN is refused until the lock runs out.
        assertThatThrownBy(() -> staff.authenticate("li", "246810")).hasMessage("staff.error.locked");
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'STAFF_LOCKED' AND subject = 'li'")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(staff.authenticate("li", "246810").role()).isEqualTo(StaffRole.MANAGER);
        // A right PIN clears the count: four more wrong ones do not lock it.
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> staff.authenticate("li", "000000")).hasMessage("staff.error.pinWrong");
        }
        assertThat(staff.authenticate("li", "246810").id()).isEqualTo("li");
    }

    @Test
    void pinsAreSlowSaltedHashesNeverTheDigitsAndAccountsFollowTheirRoles() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock);
        StaffAccounts staff = ctx.staffAccounts();
        assertThatThrownBy(() -> staff.addFirst("wu", "吴", StaffRole.CASHIER, "135790")).hasMessage("staff.error.firstManager");
        Staff li = staff.addFirst("li", "李店长", StaffRole.MANAGER, "246810");
        assertThatThrownBy(() -> staff.addFirst("zhao", "赵", StaffRole.MANAGER, "135790")).hasMessage("staff.error.needsApproval");
        assertThatThrownBy(() -> staff.add(li, "wu", "吴", StaffRole.CASHIER, "1234")).hasMessage("staff.error.pinFormat");
        Staff wu = staff.add(li, "wu", "吴", StaffRole.CASHIER, "135790");
        assertThatThrownBy(() -> staff.add(wu, "zhou", "周", StaffRole.CASHIER, "135791")).hasMessage("staff.error.role");
        assertThatThrownBy(() -> staff.add(li, "boss", "老板", StaffRole.OWNER, "135792")).hasMessage("staff.error.role")
                .satisfies(e -> {
                    // the role in words, in either language, never its code
                    UserMessage said = ((BusinessRuleException) e).userMessage();
                    assertThat(said.format(Locale.ENGLISH)).isEqualTo("Staff li may not do this: it needs the owner role.");
                    assertThat(said.format(Locale.SIMPLIFIED_CHINESE)).isEqualTo("员工 li 无权执行此操作：需要店主权限。");
                });
        assertThatThrownBy(() -> staff.add(li, "wu", "吴", StaffRole.CASHIER, "135790")).hasMessage("staff.error.exists");
        assertThatThrownBy(() -> staff.authenticate("wu", "135790", StaffRole.MANAGER)).hasMessage("staff.error.role");

        String hash = ctx.database().jdbi().withHandle(h -> h.createQuery("SELECT pin_hash FROM staff WHERE id = 'wu'")
                .mapTo(String.class).one());
        assertThat(hash).startsWith("pbkdf2-sha256:600000:").doesNotContain("135790");
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE type = 'staff.account'")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'STAFF_ADDED'")).isEqualTo(2);

        assertThatThrownBy(() -> staff.changePin("wu", "000000", "975310")).hasMessage("staff.error.pinWrong");
        staff.changePin("wu", "135790", "975310");
        assertThat(staff.authenticate("wu", "975310").id()).isEqualTo("wu");
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'PIN_CHANGED' AND staff_id = 'wu'")).isEqualTo(1);
    }

    @Test
    void theOldManagerPinFileBecomesTheManagerAccountWithTheSamePinAndIsDeleted() throws Exception {
        // What earlier versions wrote: PBKDF2, 120,000 iterations, readable by anyone.
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("2468".toCharArray(), salt, 120_000, 256)).getEncoded();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("manager-pin"), "pbkdf2-sha256:120000:" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(derived) + "\n", StandardCharsets.US_ASCII);

        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock);

        assertThat(dir.resolve("manager-pin")).doesNotExist();
        assertThat(ctx.staffAccounts().find("manager")).hasValueSatisfying(a -> assertThat(a.role()).isEqualTo(StaffRole.MANAGER));
        assertThat(ctx.staffAccounts().authenticate("manager", "2468", StaffRole.MANAGER).id()).isEqualTo("manager");
        String hash = ctx.database().jdbi().withHandle(h -> h.createQuery("SELECT pin_hash FROM staff WHERE id = 'manager'")
                .mapTo(String.class).one());
        assertThat(hash).as("made stronger at its first use").startsWith("pbkdf2-sha256:600000:");
        assertThat(ctx.staffAccounts().authenticate("manager", "2468").id()).isEqualTo("manager");
    }
}
