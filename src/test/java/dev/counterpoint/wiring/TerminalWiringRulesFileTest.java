package dev.counterpoint.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rules.json only shows the rules in force: a file changed by hand is refused when the data dir is opened (at once for
 * the commands, at the counter's first ask after its window shows), kept aside, and written again (the import by a
 * manager is in {@code cli.RulesCommandTest}).
 */
class TerminalWiringRulesFileTest {
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
    void aHandEditedRulesFileIsRefusedAtTheCounterKeptAsideAndWrittenAgain() throws Exception {
        String edited = handEdit();
        try (TerminalWiring ctx = TerminalWiring.openRulesFileLater(dir, Locale.ENGLISH, Clock.systemUTC())) {
            assertThat(ctx.rulesFileProblems()).singleElement()
                    .satisfies(p -> assertThat(p.key()).isEqualTo("rules.error.handEdited"));
            assertThat(ctx.ruleSetService().active().version()).isEqualTo(2);
            assertThat(ctx.ruleSetService().file()).content().contains("\"version\" : 2");
            assertThat(dir.resolve("rules.json.refused")).hasContent(edited);
            assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event WHERE type = 'rules.changed'")).isZero();
        }
        // Refused once: the file now shows the rules in force again.
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
            assertThat(ctx.rulesFileProblems()).isEmpty();
        }
    }
}
