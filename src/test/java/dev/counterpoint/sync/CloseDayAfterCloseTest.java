package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.counterpoint.checkout.CheckoutReceipt;
import dev.counterpoint.checkout.CheckoutRequest;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.report.ZReport;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a terminal records on a day after closing it goes on the next close's report, once. */
class CloseDayAfterCloseTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final LocalDate D = LocalDate.of(2026, 11, 23);

    @TempDir
    Path dir;
    final TestClock clock = new TestClock(at(D, 10, 0), SHANGHAI);
    TerminalWiring ctx;
    Member member;
    Staff manager;

    @BeforeEach
    void setUp() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock);
        member = ctx.memberService().enrol("王芳", "138 0013 5678", null);
        manager = ctx.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
    }

    @AfterEach
    void tearDown() {
        ctx.close();
    }

    private static Instant at(LocalDate day, int hour, int minute) {
        return day.atTime(hour, minute).atZone(SHANGHAI).toInstant();
    }

    private CheckoutReceipt sale(long fen) {
        return ctx.checkouts().complete(new CheckoutRequest(member.id(), null,
                List.of(new PurchaseLine("LATTE", "饮品", 1, fen)), CheckoutRequest.CouponChoice.NONE, 0, 0), manager);
    }

    private CloseDay.Result close(LocalDate day) {
        return ctx.closeDay().close(day, "li");
    }

    @Test
    void whatCameAfterACloseIsOnTheNextClosesReportAndOnNoOther() {
        CheckoutReceipt morning = sale(5_000);
        clock.set(at(D, 20, 0));
        CloseDay.Result first = close(D);
        assertThat(first.report().sales()).isEqualTo(1);
        assertThat(first.report().salesFen()).isEqualTo(5_000);
        assertThat(first.report().afterClose()).isEmpty();
        assertThat(first.closedAt().toInstant()).isEqualTo(at(D, 20, 0));

        // After the close of D, still on D: two sales, one voided sale, a refund of the morning's sale, one at 23:59.
        clock.set(at(D, 20, 30));
        sale(4_300);
        clock.set(at(D, 21, 0));
        CheckoutReceipt voided = sale(2_000);
        clock.set(at(D, 21, 10));
        ctx.refunds().voidCheckout(voided.receiptNo(), manager, manager);
        clock.set(at(D, 22, 0));
        ctx.refunds().refund(morning.receiptNo(), List.of(1), manager, manager);
        clock.set(D.atTime(LocalTime.of(23, 59, 59, 999_999_000)).atZone(SHANGHAI).toInstant());
        sale(4_300);
        // Just after midnight: D+1's own.
        clock.set(at(D.plusDays(1), 0, 0).plusSeconds(30));
        sale(1_000);

        CloseDay.Result again = close(D);
        assertThat(again.reprinted()).isTrue();
        assertThat(again.report()).as("the closed day's report stays as it was").isEqualTo(first.report());

        clock.set(at(D.plusDays(1), 20, 0));
        ZReport next = close(D.plusDays(1)).report();
        assertThat(next.sales()).isEqualTo(1);
        assertThat(next.salesFen()).isEqualTo(1_000);
        assertThat(next.voids()).isZero();
        assertThat(next.refunds()).isZero();
        assertThat(next.afterClose()).containsExactly(new ZReport.AfterClose(D, 2, 8_600, 1, 2_000, 1, 5_000));

        // Two closed days in a row, a late sale after each: each goes on the next close only.
        clock.set(at(D.plusDays(1), 21, 0));
        sale(3_000);
        clock.set(at(D.plusDays(2), 20, 0));
        ZReport third = close(D.plusDays(2)).report();
        assertThat(third.sales()).isZero();
        assertThat(third.afterClose()).containsExactly(new ZReport.AfterClose(D.plusDays(1), 1, 3_000, 0, 0, 0, 0));
        clock.set(at(D.plusDays(3), 20, 0));
        assertThat(close(D.plusDays(3)).report().afterClose()).isEmpty();

        // Kept with the report: its reprint says the same.
        assertThat(close(D.plusDays(1)).report().afterClose()).isEqualTo(next.afterClose());
    }

    @Test
    void aDayClosedAfterItsMidnightLeavesNothingForTheNextClose() {
        sale(5_000);
        clock.set(at(D.plusDays(1), 0, 30));
        assertThat(close(D).report().sales()).isEqualTo(1);
        sale(1_000);
        clock.set(at(D.plusDays(1), 20, 0));
        ZReport next = close(D.plusDays(1)).report();
        assertThat(next.sales()).isEqualTo(1);
        assertThat(next.afterClose()).isEmpty();
    }

    @Test
    void aReportStoredWithoutTheAfterCloseFiguresStillReadsAndItsCloseCarriedNothing() throws Exception {
        sale(5_000);
        clock.set(at(D, 20, 0));
        ZReport made = close(D).report();
        clock.set(at(D, 21, 0));
        sale(1_200);
        clock.set(at(D.plusDays(1), 20, 0));
        close(D.plusDays(1));
        // As the code before it wrote them: no afterClose in the JSON, and a close that carried nothing.
        for (LocalDate day : List.of(D, D.plusDays(1))) {
            String stored = ctx.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT report FROM close_day WHERE business_date = :d").bind("d", day).mapTo(String.class).one());
            ObjectNode old = (ObjectNode) ctx.json().readTree(stored);
            assertThat(old.has("afterClose")).isTrue();
            old.remove("afterClose");
            ctx.database().jdbi().useHandle(h -> h.createUpdate(
                    "UPDATE close_day SET report = :r, carries_after_close = FALSE WHERE business_date = :d")
                    .bind("r", old.toString()).bind("d", day).execute());
        }

        ZReport read = close(D).report();
        assertThat(read.afterClose()).isEmpty();
        assertThat(read).isEqualTo(made);
        clock.set(at(D.plusDays(2), 20, 0));
        assertThat(close(D.plusDays(2)).report().afterClose()).as("the old close of D+1 did not report D's late sale")
                .containsExactly(new ZReport.AfterClose(D, 1, 1_200, 0, 0, 0, 0));
    }

    @Test
    void theLineSaysOnlyWhatThereWasInBothLanguages() {
        ZReport.AfterClose late = new ZReport.AfterClose(LocalDate.of(2026, 12, 5), 2, 8_600, 0, 0, 1, 2_000);
        assertThat(late.message().format(Locale.ENGLISH)).isEqualTo("After the close of 2026-12-05: 2 sales ¥86.00; 1 refund ¥20.00");
        assertThat(late.message().format(Messages.CHINESE)).isEqualTo("2026-12-05 日结之后：销售 2 笔 ¥86.00；退款 1 笔 ¥20.00");
        assertThat(new ZReport.AfterClose(LocalDate.of(2026, 12, 5), 1, 500, 1, 500, 0, 0).message().format(Locale.ENGLISH))
                .isEqualTo("After the close of 2026-12-05: 1 sale ¥5.00; 1 void ¥5.00");
    }
}
