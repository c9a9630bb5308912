package dev.counterpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules file is read at open for the commands, and when first asked for the counter (after its window shows). */
class AppContextRulesFileTest {
    @TempDir
    Path dir;

    /** Writes the set in force back as the rules file with a higher version and another win-back delay. */
    private void writeNewerRulesFile() throws Exception {
        try (AppContext ctx = AppContext.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
            String inForce = ctx.ruleSetRepository().toJson(ctx.ruleSetService().active());
            assertThat(ctx.ruleSetService().active().version()).isEqualTo(2);
            Files.writeString(ctx.ruleSetService().file(), inForce.replace("\"version\" : 2", "\"version\" : 3")
                    .replace("\"winBackAfterDays\" : 30", "\"winBackAfterDays\" : 45"), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theCounterReadsTheRulesFileWhenItFirstAsksForItsProblems() throws Exception {
        writeNewerRulesFile();
        try (AppContext ctx = AppContext.openRulesFileLater(dir, Locale.ENGLISH, Clock.systemUTC())) {
            assertThat(ctx.ruleSetService().active().version()).as("not read at open").isEqualTo(2);

            assertThat(ctx.rulesFileProblems()).isEmpty();
            assertThat(ctx.ruleSetService().active().version()).isEqualTo(3);
            assertThat(ctx.ruleSetService().active().winBackAfterDays()).isEqualTo(45);
        }
    }

    @Test
    void theCommandsReadItAtOpen() throws Exception {
        writeNewerRulesFile();
        try (AppContext ctx = AppContext.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
            assertThat(ctx.ruleSetService().active().version()).isEqualTo(3);
            assertThat(ctx.rulesFileProblems()).isEmpty();
        }
    }
}
