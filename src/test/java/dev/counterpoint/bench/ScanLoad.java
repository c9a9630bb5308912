package dev.counterpoint.bench;

import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * The memory benchmark's child process: opens the store as the counter does, shows {@code n} random members'
 * panels, writes a marker file, then waits to be measured and killed. Args: data dir, scans, marker file.
 */
public final class ScanLoad {
    private ScanLoad() {}

    public static void main(String[] args) throws Exception {
        TerminalWiring ctx = TerminalWiring.open(Path.of(args[0]), Locale.ENGLISH, Clock.systemDefaultZone());
        List<String> cards = BenchStore.randomCards(ctx.database().jdbi(), Integer.parseInt(args[1]));
        for (String card : cards) {
            ctx.memberSummaryService().byCode(card).orElseThrow();
        }
        Files.writeString(Path.of(args[2]), "scanned\n");
        Thread.sleep(60_000);
        ctx.close();
    }
}
