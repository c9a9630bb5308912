package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.testing.ChildJvm;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the cashier saw confirmed survives the terminal process being killed (kill -9, no shutdown hook). */
class DurabilityTest {
    @TempDir
    Path dir;

    @Test
    void confirmedSalesSurviveAKilledProcess() throws Exception {
        Process child = new ProcessBuilder(ChildJvm.command(SaleThenHang.class.getName(), dir.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("CONFIRMED"));
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(line).as("the child confirmed its sales").isNotNull();
        String code = line.substring("CONFIRMED ".length()).strip();

        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            long sales = ctx.database().jdbi().withHandle(h ->
                    h.createQuery("SELECT COUNT(*) FROM purchase").mapTo(Long.class).one());
            long events = ctx.database().jdbi().withHandle(h ->
                    h.createQuery("SELECT COUNT(*) FROM outbox_event").mapTo(Long.class).one());
            assertThat(sales).isEqualTo(20);
            assertThat(events).isEqualTo(21);
            // the next receipt follows the last one the killed process made: no numbers lost with the process
            long last = ctx.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT MAX(CAST(SUBSTRING(receipt_no, LENGTH(receipt_no) - 5) AS BIGINT)) FROM purchase")
                    .mapTo(Long.class).one());
            var member = ctx.memberService().findByCode(code).orElseThrow();
            String next = ctx.checkoutService().recordSale(member.id(), 500L, java.util.List.of()).receiptNo();
            assertThat(last).isEqualTo(20);
            assertThat(next).endsWith("-%06d".formatted(last + 1));
        }
    }
}
