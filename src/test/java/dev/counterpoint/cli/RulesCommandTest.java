package dev.counterpoint.cli;

import static dev.counterpoint.cli.LookupCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.wiring.TerminalWiring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rules} says why a hand-edited rules file was refused; a manager imports a rules file with the PIN. */
class RulesCommandTest {
    @TempDir
    Path dir;

    /** Writes the set in force back as the rules file with a higher version and earn rates 100 times as fast. */
    private String handEdit() throws Exception {
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
            String inForce = ctx.ruleSetRepository().toJson(ctx.ruleSetService().active());
            assertThat(ctx.ruleSetService().active().version()).isEqualTo(2);
            assertThat(inForce).contains("\"winBackAfterDays\" : 30");
            String edited = inForce.replace("\"version\" : 2", "\"version\" : 3")
                    .replace("\"winBackAfterDays\" : 30", "\"winBackAfterDays\" : 45");
            Files.writeString(ctx.ruleSetService().file(), edited, StandardCharsets.UTF_8);
            return edited;
        }
    }

    @Test
    void theRulesCommandSaysWhyAndAManagerImportsTheFileWithThePin() throws Exception {
        handEdit();
        LookupCommandTest.Run shown = run("--data-dir", dir.toString(), "--lang", "en", "rules");
        assertThat(shown.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(shown.err()).contains("changed outside the app").contains("rules.json.refused");
        Path refused = dir.resolve("rules.json.refused");

        LookupCommandTest.Run noManager = LookupCommandTest.runWithInput("123456\n", "--data-dir", dir.toString(), "--lang",
                "en", "rules", "--import", refused.toString(), "--manager", "li");
        assertThat(noManager.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
            ctx.staffAccounts().addFirst("li", "店长李", dev.counterpoint.protocol.StaffRole.MANAGER, "246810");
        }
        LookupCommandTest.Run wrong = LookupCommandTest.runWithInput("123456\n", "--data-dir", dir.toString(), "--lang", "en",
                "rules", "--import", refused.toString(), "--manager", "li");
        assertThat(wrong.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        assertThat(wrong.err()).contains("Wrong PIN for li");

        LookupCommandTest.Run imported = LookupCommandTest.runWithInput("246810\n", "--data-dir", dir.toString(), "--lang",
                "en", "rules", "--import", refused.toString(), "--manager", "li");
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("version 3 is in force");
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
            assertThat(ctx.rulesFileProblems()).isEmpty();
            assertThat(ctx.ruleSetService().active().version()).isEqualTo(3);
            assertThat(ctx.ruleSetService().active().winBackAfterDays()).isEqualTo(45);
            String payload = ctx.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT payload FROM outbox_event WHERE type = 'rules.changed'").mapTo(String.class).one());
            assertThat(payload)
                    .contains("import by li");
            assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'RULES_CHANGED'")).isEqualTo(1);
        }
        LookupCommandTest.Run again = LookupCommandTest.runWithInput("246810\n", "--data-dir", dir.toString(), "--lang", "en",
                "rules", "--import", refused.toString(), "--manager", "li");
        assertThat(again.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(again.err()).contains("not newer");
    }
}
