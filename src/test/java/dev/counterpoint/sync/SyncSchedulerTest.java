package dev.counterpoint.sync;

import dev.counterpoint.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.app.AppContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the scheduler reports after an attempt: online with the time of the sync, offline keeping the last one, unregistered. */
class SyncSchedulerTest {
    @TempDir
    Path tmp;

    @Test
    void reportsOnlineThenOfflineKeepingTheLastSyncTime() {
        TestClock clock = OfficeHarness.clockAt(OfficeHarness.START);
        List<SyncStatus> heard = new ArrayList<>();
        AppContext t;
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
    void anUnregisteredTerminalIsOfflineWithItsPendingCount() {
        try (AppContext t = AppContext.inMemory(tmp.resolve("u"), Locale.ENGLISH, Clock.systemUTC())) {
            t.memberService().enrol("李雷", "13900001111", null);
            assertThat(t.syncEngine()).isEmpty();
            assertThat(t.syncScheduler().runOnce()).isEqualTo(new SyncStatus(false, false, null, 1, 0));
            assertThat(new SyncScheduler(Optional.empty(), () -> 7, Clock.systemUTC(), Duration.ofMinutes(1)).runOnce().pending())
                    .isEqualTo(7);
        }
    }
}
