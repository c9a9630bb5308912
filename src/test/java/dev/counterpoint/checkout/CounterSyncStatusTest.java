package dev.counterpoint.checkout;

import dev.counterpoint.shared.BackgroundTasks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.sync.SyncStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status bar's sync line and the close-day action, through the view model (no FX toolkit). */
class CounterSyncStatusTest {
    private static final Executor SAME_THREAD = Runnable::run;

    @TempDir
    Path dir;

    private CounterFixture fx;

    private CounterViewModel open(Locale locale) {
        fx = new CounterFixture(dir, locale, "");
        var ctx = fx.ctx;
        CounterViewModel vm = new CounterViewModel(ctx.memberService(), ctx.memberSummaryService(), ctx.checkoutService(), ctx.checkouts(),
                () -> ctx.database().jdbi().withHandle(ctx.outbox()::pendingCount), ctx.config(), locale, ctx.clock(),
                BackgroundTasks.onCallingThread(), ctx.scanCheck(), ctx.closeDay()::close, ctx.staffAccounts(), ctx.memberTags());
        vm.start();
        return vm;
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void onlineOfflineAndClockSkewAreShownInBothLanguages() {
        CounterViewModel vm = open(Locale.SIMPLIFIED_CHINESE);
        assertThat(vm.statusBar().syncTextProperty().get()).isEqualTo("离线 · 6 待同步");
        assertThat(vm.statusBar().syncOnlineProperty().get()).isFalse();
        Instant synced = Instant.parse("2026-03-10T01:58:07Z"); // 09:58:07 in Shanghai
        vm.onSyncStatus(new SyncStatus(true, true, synced, 0, 800));
        assertThat(vm.statusBar().syncTextProperty().get()).isEqualTo("在线 · 09:58:07 已同步 · 0 待同步");
        assertThat(vm.statusBar().syncWarningProperty().get()).isFalse();
        assertThat(vm.statusBar().syncOnlineProperty().get()).isTrue();
        vm.onSyncStatus(new SyncStatus(false, true, synced, 143, 800));
        assertThat(vm.statusBar().syncTextProperty().get()).isEqualTo("离线 · 上次同步 09:58:07 · 143 待同步");
        assertThat(vm.statusBar().syncOnlineProperty().get()).isFalse();
        vm.onSyncStatus(new SyncStatus(true, true, synced, 2, -300_000));
        assertThat(vm.statusBar().syncTextProperty().get()).isEqualTo("在线 · 09:58:07 已同步 · 2 待同步 · 时钟偏差 -300 秒");
        assertThat(vm.statusBar().syncWarningProperty().get()).isTrue();
    }

    @Test
    void changesSetAsideAreShownAsAWarningInBothLanguages() {
        Instant synced = Instant.parse("2026-03-10T01:58:07Z");
        CounterViewModel en = open(Locale.ENGLISH);
        en.onSyncStatus(new SyncStatus(true, true, synced, 0, 0, null, 2));
        assertThat(en.statusBar().syncTextProperty().get())
                .isEqualTo("Online · synced 09:58:07 · 0 pending · 2 change(s) from head office set aside (see the log)");
        assertThat(en.statusBar().syncWarningProperty().get()).isTrue();
        CounterViewModel zh = open(Locale.SIMPLIFIED_CHINESE);
        zh.onSyncStatus(new SyncStatus(true, true, synced, 0, 0, null, 1));
        assertThat(zh.statusBar().syncTextProperty().get()).isEqualTo("在线 · 09:58:07 已同步 · 0 待同步 · 1 条总部变更无法应用，已暂存（见日志）");
        zh.onSyncStatus(new SyncStatus(true, true, synced, 0, 0, null, 0));
        assertThat(zh.statusBar().syncWarningProperty().get()).isFalse();
    }

    @Test
    void aFailedAutomaticBackupStaysOnTheStatusBarUntilOneSucceeds() {
        Instant synced = Instant.parse("2026-03-10T01:58:07Z");
        CounterViewModel en = open(Locale.ENGLISH);
        en.onSyncStatus(new SyncStatus(true, true, synced, 0, 0));
        en.statusBar().backupDone(false);
        assertThat(en.statusBar().syncTextProperty().get())
                .isEqualTo("Online · synced 09:58:07 · 0 pending · the automatic backup failed (see the log)");
        assertThat(en.statusBar().syncWarningProperty().get()).isTrue();
        en.onSyncStatus(new SyncStatus(true, true, synced, 3, 0));
        assertThat(en.statusBar().syncTextProperty().get()).endsWith("3 pending · the automatic backup failed (see the log)");
        en.statusBar().backupDone(true);
        assertThat(en.statusBar().syncTextProperty().get()).isEqualTo("Online · synced 09:58:07 · 3 pending");
        assertThat(en.statusBar().syncWarningProperty().get()).isFalse();
        CounterViewModel zh = open(Locale.SIMPLIFIED_CHINESE);
        zh.onSyncStatus(new SyncStatus(true, true, synced, 0, 0));
        zh.statusBar().backupDone(false);
        assertThat(zh.statusBar().syncTextProperty().get()).isEqualTo("在线 · 09:58:07 已同步 · 0 待同步 · 自动备份失败（见日志）");
    }

    @Test
    void aSyncOnTheMinuteKeepsItsSeconds() {
        CounterViewModel vm = open(Locale.ENGLISH);
        vm.onSyncStatus(new SyncStatus(true, true, Instant.parse("2026-03-10T02:00:00Z"), 0, 0));
        assertThat(vm.statusBar().syncTextProperty().get()).isEqualTo("Online · synced 10:00:00 · 0 pending");
        vm.onSyncStatus(new SyncStatus(false, true, Instant.parse("2026-03-10T02:01:00.250Z"), 3, 0));
        assertThat(vm.statusBar().syncTextProperty().get()).isEqualTo("Offline · last sync 10:01:00 · 3 pending");
    }

    @Test
    void closeDayOfflineStillReportsAndSaysItIsUnconfirmed() {
        CounterViewModel vm = open(Locale.ENGLISH);
        assertThat(vm.statusBar().canCloseDay()).isTrue();
        fx.ctx.checkoutService().recordSale(fx.li.id(), 2_500L, List.of());
        vm.statusBar().closeDay("nobody", "135790");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("There is no active staff account nobody.");
        vm.statusBar().closeDay(CounterFixture.MANAGER, "135790");
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Wrong PIN for lin: 4 tries left before the account is locked.");
        assertThat(fx.ctx.database().jdbi().<Long, RuntimeException>withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM close_day").mapTo(Long.class).one())).as("nothing closed yet").isZero();

        vm.statusBar().closeDay(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN);
        assertThat(vm.messages().messageProperty().get()).isEqualTo("Day closed offline: 1 sales, ¥25.00. Not yet confirmed by head office.");
        long rows = fx.ctx.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM close_day WHERE NOT confirmed")
                .mapTo(Long.class).one());
        assertThat(rows).isEqualTo(1);

        // Once a day: a second close shows the first one's figures and closes nothing more.
        fx.ctx.checkoutService().recordSale(fx.li.id(), 1_000L, List.of());
        vm.statusBar().closeDay(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN);
        assertThat(vm.messages().messageProperty().get()).isEqualTo("This day was closed already: 1 sales, ¥25.00.");
        assertThat(fx.ctx.database().jdbi().<Long, RuntimeException>withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM close_day").mapTo(Long.class).one())).isEqualTo(1);
    }

    @Test
    void aSaleOnADayAlreadyClosedTellsTheCashierItGoesOnTheNextCloseInBothLanguages() {
        for (Locale locale : List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE)) {
            CounterViewModel vm = open(locale);
            java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
            vm.readClosesWith(day -> {
                reads.incrementAndGet();
                return fx.ctx.closeDay().closedAt(day);
            });
            vm.statusBar().signIn(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN);
            vm.onScan(new dev.counterpoint.scan.ScanEvent(fx.wang.cardCode(), dev.counterpoint.scan.ScanEvent.Source.WEDGE,
                    fx.clock.instant()));
            vm.checkout().saleAmountProperty().set("30");
            vm.checkout().recordSale();
            String before = vm.messages().messageProperty().get();
            assertThat(before).startsWith(locale == Locale.ENGLISH ? "Receipt " : "小票 ").doesNotContain("20:00");

            fx.clock.set(CounterFixture.TODAY.atTime(20, 0).atZone(CounterFixture.ZONE).toInstant());
            vm.statusBar().closeDay(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN);
            fx.clock.set(CounterFixture.TODAY.atTime(20, 40).atZone(CounterFixture.ZONE).toInstant());
            vm.statusBar().signIn(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN); // the idle sign-out took the first
            vm.checkout().saleAmountProperty().set("12");
            vm.checkout().recordSale();
            String after = vm.messages().messageProperty().get();
            if (locale == Locale.ENGLISH) {
                assertThat(after).startsWith("Receipt ").contains("¥12.00")
                        .endsWith(" This day was closed at 20:00: this sale goes on the next close's report.");
            } else {
                assertThat(after).startsWith("小票 ").contains("¥12.00").endsWith(" 本日已于 20:00 日结：这笔销售计入下次日结报表。");
            }
            vm.checkout().saleAmountProperty().set("8");
            vm.checkout().recordSale();
            assertThat(vm.messages().messageProperty().get()).contains("20:00");
            assertThat(reads).as("the close is read once for the date, not on every sale").hasValue(1);

            // The next day is not closed: read again for the new date, and no note.
            fx.clock.set(CounterFixture.TODAY.plusDays(1).atTime(9, 0).atZone(CounterFixture.ZONE).toInstant());
            vm.statusBar().signIn(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN);
            vm.checkout().saleAmountProperty().set("5");
            vm.checkout().recordSale();
            assertThat(vm.messages().messageProperty().get()).contains("¥5.00").doesNotContain("20:00");
            assertThat(reads).hasValue(2);
            fx.close();
            fx = null;
            dir = dir.resolve("again");
        }
    }
}
