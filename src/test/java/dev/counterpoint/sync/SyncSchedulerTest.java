package dev.counterpoint.sync;

import dev.counterpoint.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.checkout.MemberSummary;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.member.Member;
import dev.counterpoint.office.OfficeServer;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the scheduler reports after an attempt: online with the time of the sync, offline keeping the last one,
 * unregistered; and the history of a member shown while head office could not be reached, fetched at the next sync.
 */
class SyncSchedulerTest {
    @TempDir
    Path tmp;

    @Test
    void reportsOnlineThenOfflineKeepingTheLastSyncTime() {
        TestClock clock = OfficeHarness.clockAt(OfficeHarness.START);
        List<SyncStatus> heard = new ArrayList<>();
        TerminalWiring t;
        try (OfficeHarness office = OfficeHarness.h2()) {
            t = office.terminal(tmp.resolve("t"), "S001", "T1", clock);
            t.memberService().enrol("李雷", "13900001111", null);
            SyncScheduler scheduler = t.syncScheduler();
            scheduler.setListener(heard::add);
            SyncStatus online = scheduler.runOnce();
            assertThat(online).isEqualTo(new SyncStatus(true, true, OfficeHarness.START, 0, online.officeOffsetMs()));
            t.memberService().enrol("韩梅梅", "13900002222", null);
            clock.advance(Duration.ofMinutes(3));
            office.server.close();
            SyncStatus offline = scheduler.runOnce();
            assertThat(offline.online()).isFalse();
            assertThat(offline.lastSync()).isEqualTo(OfficeHarness.START);
            assertThat(offline.pending()).isEqualTo(1);
            assertThat(heard).containsExactly(online, offline);
        }
    }

    @Test
    void aMemberShownWhileHeadOfficeIsUnreachableGetsTheirHistoryAtTheNextSync() throws Exception {
        TestClock clock = OfficeHarness.clockAt(OfficeHarness.START);
        List<SyncStatus> heard = new CopyOnWriteArrayList<>();
        try (OfficeHarness office = OfficeHarness.h2()) {
            TerminalWiring s1 = office.terminal(tmp.resolve("s1"), "S001", "T1", clock);
            TerminalWiring s2 = office.terminal(tmp.resolve("s2"), "S002", "T1", clock);
            Member member = s1.memberService().enrol("林晓", "13812345678", null);
            s1.checkoutService().recordSale(member.id(), 8_800L, List.of());
            OfficeSyncContract.engine(s1).syncOnce();
            SyncScheduler scheduler = s2.syncScheduler();
            scheduler.setListener(heard::add);
            assertThat(scheduler.runOnce().online()).isTrue();
            assertThat(s2.memberSummaryService().byId(member.id()).orElseThrow().chainHeld()).isFalse();

            office.server.close();
            scheduler.fetchHistory(member.id()); // the counter shows the member
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (heard.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(heard).hasSize(2);
            assertThat(heard.get(1).online()).as("the failed request is shown at once").isFalse();
            assertThat(heard.get(1).historyOf()).isNull();

            OfficeServer back = new OfficeServer(office.db, Clock.systemUTC(), office.json, 8);
            back.start("127.0.0.1", office.port);
            try {
                heard.clear();
                assertThat(scheduler.runOnce().online()).isTrue();
                assertThat(heard).extracting(SyncStatus::historyOf).containsExactly(null, member.id());
                MemberSummary shown = s2.memberSummaryService().byId(member.id()).orElseThrow();
                assertThat(shown.chainHeld()).isTrue();
                assertThat(shown.recentPurchases()).extracting(Purchase::storeId).containsExactly("S001");

                heard.clear();
                scheduler.runOnce();
                assertThat(heard).as("asked for once").hasSize(1).extracting(SyncStatus::historyOf).containsOnlyNulls();
            } finally {
                back.close();
            }
        }
    }

    @Test
    void anUnregisteredTerminalIsOfflineWithItsPendingCount() {
        try (TerminalWiring t = TerminalWiring.inMemory(tmp.resolve("u"), Locale.ENGLISH, Clock.systemUTC())) {
            t.memberService().enrol("李雷", "13900001111", null);
            assertThat(t.syncEngine()).isEmpty();
            assertThat(t.syncScheduler().runOnce()).isEqualTo(new SyncStatus(false, false, null, 1, 0));
            assertThat(new SyncScheduler(Optional.empty(), () -> 7, Clock.systemUTC(), Duration.ofMinutes(1)).runOnce().pending())
                    .isEqualTo(7);
        }
    }
}
