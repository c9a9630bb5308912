package dev.counterpoint.sync;

import static dev.counterpoint.sync.OfficeSyncContract.engine;
import static dev.counterpoint.sync.OfficeSyncContract.localEventIds;
import static dev.counterpoint.sync.OfficeSyncContract.officeEventIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.checkout.CheckoutReceipt;
import dev.counterpoint.checkout.CheckoutRequest;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.store.Backups;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore drill (decision 0072): a store backs up, sells on and syncs, is restored from the backup, and syncs
 * again. What it sold after the backup comes back from head office; nothing is sent twice; no receipt number repeats.
 */
class BackupRestoreDrillTest {
    @TempDir
    Path tmp;
    final OfficeHarness office = OfficeHarness.h2();

    @AfterEach
    void stop() {
        office.close();
    }

    private long officePoints(UUID member) {
        return office.officeLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?", member);
    }

    private long officeSv(UUID member) {
        return office.officeLong("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = ?", member);
    }

    private static long points(TerminalWiring t, UUID m) {
        return t.database().jdbi().withHandle(h -> t.pointsLedger().balance(h, m));
    }

    private static long sv(TerminalWiring t, UUID m) {
        return t.database().jdbi().withHandle(h -> t.storedValueLedger().balanceFen(h, m));
    }

    private static CheckoutReceipt sell(TerminalWiring t, Member m, long fen, long points, long svFen, Staff cashier) {
        return t.checkouts().complete(new CheckoutRequest(m.id(), fen, List.of(), CheckoutRequest.CouponChoice.NONE,
                points, svFen), cashier);
    }

    @Test
    void aStoreRestoredFromItsBackupGetsItsLaterCheckoutsBackAndNumbersNoReceiptTwice() {
        TestClock clock = OfficeHarness.clockAt(OfficeHarness.START);
        Path dir = tmp.resolve("S005");
        office.terminal(dir, "S005", "T1", clock).close();
        Path backup = tmp.resolve("usb/S005.backup");
        List<String> receipts = new ArrayList<>();
        Member member;
        Staff li;
        try (TerminalWiring t = TerminalWiring.open(dir, Locale.ENGLISH, clock)) {
            li = t.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
            member = t.memberService().enrol("陈思远", "13800001111", null);
            t.checkoutService().topUp(member.id(), 20_000);
            receipts.add(sell(t, member, 30_000, 0, 0, li).receiptNo());
            engine(t).syncOnce();
            t.backups().backupTo(backup);

            clock.advance(Duration.ofHours(2));
            receipts.add(sell(t, member, 8_000, 100, 2_000, li).receiptNo());
            receipts.add(sell(t, member, 12_000, 0, 5_000, li).receiptNo());
            // more receipts than H2 sets aside for its sequence in the file (32), which the backup holds as taken
            for (int i = 0; i < 40; i++) {
                receipts.add(sell(t, member, 1_000, 0, 0, li).receiptNo());
            }
            engine(t).syncOnce();
            assertThat(points(t, member.id())).isEqualTo(officePoints(member.id()));
        }
        long pointsBefore = officePoints(member.id());
        long svBefore = officeSv(member.id());
        long heldBefore = office.officeLong("SELECT COUNT(*) FROM inbox WHERE store_id = 'S005'");

        Backups.Restored restored = Backups.restore(dir, backup);
        assertThat(restored.storeId()).isEqualTo("S005");

        try (TerminalWiring t = TerminalWiring.open(dir, Locale.ENGLISH, clock)) {
            // the backup's state: the two later checkouts are not here yet
            assertThat(sv(t, member.id())).isEqualTo(20_000);
            SyncReport first = engine(t).syncOnce();
            assertThat(first.verdicts().keySet()).allMatch("ACCEPTED"::equals);

            assertThat(points(t, member.id())).isEqualTo(pointsBefore).isEqualTo(officePoints(member.id()));
            assertThat(sv(t, member.id())).isEqualTo(svBefore).isEqualTo(officeSv(member.id())).isEqualTo(13_000);
            // Nothing was sent twice: head office holds what it held, and the outbox is its inbox number for number.
            assertThat(office.officeLong("SELECT COUNT(*) FROM inbox WHERE store_id = 'S005'")).isEqualTo(heldBefore);
            assertThat(office.officeLong("SELECT COUNT(DISTINCT event_id) FROM inbox WHERE store_id = 'S005'"))
                    .isEqualTo(heldBefore);
            assertThat(localEventIds(t)).isEqualTo(officeEventIds(office, "S005"));

            clock.advance(Duration.ofHours(1));
            CheckoutReceipt after = sell(t, member, 5_000, 0, 1_000, li);
            assertThat(receipts).doesNotContain(after.receiptNo());
            assertThat(engine(t).syncOnce().verdicts()).containsOnlyKeys("ACCEPTED");
            assertThat(office.officeLong("SELECT COUNT(*) FROM purchase WHERE store_id = 'S005'")).isEqualTo(44);
            assertThat(office.officeLong("SELECT COUNT(DISTINCT receipt_no) FROM purchase WHERE store_id = 'S005'"))
                    .isEqualTo(44);
            assertThat(sv(t, member.id())).isEqualTo(officeSv(member.id())).isEqualTo(12_000);
            assertThat(points(t, member.id())).isEqualTo(officePoints(member.id()));
            assertThat(t.closeDay().close(LocalDate.of(2026, 3, 10), "li").confirmed()).isTrue();
        }
    }
}
