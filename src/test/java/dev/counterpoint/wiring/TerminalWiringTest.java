package dev.counterpoint.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.checkout.MemberSummaryService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The composition root builds a service at its first use, once, and only what that use needs. */
class TerminalWiringTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T06:00:00Z"), ZoneId.of("Asia/Shanghai"));

    @TempDir
    Path dir;

    @Test
    void aLookupBuildsTheMemberPanelAndNotTheSyncReceiptsImportersOrGenerators() {
        try (TerminalWiring wiring = TerminalWiring.open(dir, Locale.ENGLISH, CLOCK)) {
            // what `lookup` asks for
            wiring.scanCheck().check("2900000000018");
            assertThat(wiring.memberSummaryService().byCode("2900000000018")).isEmpty();
            assertThat(wiring.memberService().erasedCard("2900000000018")).isEmpty();

            assertThat(wiring.built()).contains("memberSummaryService", "memberUpkeep", "memberService", "scanCheck",
                    "ruleSetService").doesNotContain("syncEngine", "syncScheduler", "receiptDesk", "checkouts", "refunds",
                    "checkoutService", "adjustments", "closeDay", "backups", "memberImporter", "purchaseImporter",
                    "productImporter", "demoStoreGenerator", "memberTags");
        }
    }

    @Test
    void aStoreOpenedForTheCounterBuildsNothingUntilAskedAndClosingItBuildsNothing() {
        TerminalWiring wiring = TerminalWiring.openRulesFileLater(dir, Locale.ENGLISH, CLOCK);
        assertThat(wiring.built()).as("nothing asked for yet").isEmpty();
        wiring.close();
        assertThat(wiring.built()).as("the sync scheduler is stopped only if it was started").isEmpty();
    }

    @Test
    void theCountersServicesAreBuiltWhenItAsksForThem() {
        try (TerminalWiring wiring = TerminalWiring.inMemory(dir, Locale.ENGLISH, CLOCK)) {
            CounterServices counter = wiring.counter();
            assertThat(wiring.built()).contains("memberSummaryService", "checkouts", "refunds", "receiptDesk", "closeDay",
                    "backups", "syncScheduler").doesNotContain("memberImporter", "demoStoreGenerator", "adjustments");
            assertThat(counter.memberSummaryService()).isSameAs(wiring.memberSummaryService());
            assertThat(counter.pendingEvents().getAsLong()).isZero();
            assertThat(counter.rulesFileProblems().get()).isEmpty();
        }
    }

    @Test
    void threadsAskingAtOnceGetTheOneServiceBuilt() throws Exception {
        try (TerminalWiring wiring = TerminalWiring.inMemory(dir, Locale.ENGLISH, CLOCK)) {
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<MemberSummaryService>> asked = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    asked.add(pool.submit(() -> {
                        go.await();
                        return wiring.memberSummaryService();
                    }));
                }
                go.countDown();
                MemberSummaryService first = asked.get(0).get(30, TimeUnit.SECONDS);
                for (Future<MemberSummaryService> f : asked) {
                    assertThat(f.get(30, TimeUnit.SECONDS)).isSameAs(first);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
