package dev.counterpoint.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.audit.AuditEntry;
import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manager's adjustment writes its entries, its event and its audit entry together: positive points open a lot with
 * the rules' expiry, negative ones take from the oldest usable lots (expired ones written off first), never below what
 * the rules allow; stored value never below zero; anything refused writes nothing.
 */
class AdjustmentsTest {
    @TempDir
    Path dir;
    final TestClock clock = new TestClock(Instant.parse("2026-11-23T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
    TerminalWiring ctx;
    Member member;
    Staff manager;
    Staff cashier;
    UUID june;
    UUID january;

    @BeforeEach
    void setUp() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock);
        member = ctx.memberService().enrol("王芳", "138 0013 5678", null);
        manager = ctx.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
        cashier = ctx.staffAccounts().add(manager, "wu", "吴", StaffRole.CASHIER, "135790");
        ctx.database().jdbi().useTransaction(h -> {
            june = ctx.pointsLedger().append(h, member.id(), 1_000, PointsKind.OPENING, LocalDate.of(2027, 6, 30), null,
                    OffsetDateTime.now(clock), ctx.hlc().now());
            january = ctx.pointsLedger().append(h, member.id(), 300, PointsKind.OPENING, LocalDate.of(2027, 1, 31), null,
                    OffsetDateTime.now(clock), ctx.hlc().now());
            ctx.storedValueLedger().append(h, member.id(), 5_000, StoredValueKind.OPENING, null, OffsetDateTime.now(clock),
                    ctx.hlc().now());
        });
    }

    @AfterEach
    void tearDown() {
        ctx.close();
    }

    private Adjustment adjust(Adjustments.Kind kind, long delta) {
        return ctx.adjustments().adjust(new Adjustments.Request(member.id(), kind, delta, "till error"), cashier, manager);
    }

    private long points() {
        return ctx.database().jdbi().withHandle(h -> ctx.pointsLedger().balance(h, member.id()));
    }

    private long storedValue() {
        return ctx.database().jdbi().withHandle(h -> ctx.storedValueLedger().balanceFen(h, member.id()));
    }

    private JsonNode lastEvent(String type) throws Exception {
        String payload = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT payload FROM outbox_event WHERE type = :t ORDER BY terminal_seq DESC LIMIT 1").bind("t", type)
                .mapTo(String.class).one());
        return ctx.json().readTree(payload);
    }

    private long count(String sql) {
        return ctx.database().queryLong(sql);
    }

    @Test
    void positivePointsOpenALotWithTheRulesExpiryNamedByTheAdjustment() throws Exception {
        Adjustment a = adjust(Adjustments.Kind.POINTS, 250);
        assertThat(a.balanceAfter()).isEqualTo(1_550).isEqualTo(points());
        LocalDate expires = ctx.ruleSetService().active().lotExpiresOn(LocalDate.of(2026, 11, 23));
        LocalDate lot = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT lot_expires_on FROM points_entry WHERE kind = 'ADJUST' AND ref_id = :a").bind("a", a.adjustmentId())
                .mapTo(LocalDate.class).one());
        assertThat(lot).isEqualTo(expires);
        Event.PointsAdjusted e = (Event.PointsAdjusted) ProtocolJson.readEvent(ctx.json(), "points.adjusted",
                lastEvent("points.adjusted"));
        assertThat(e.adjustmentId()).isEqualTo(a.adjustmentId());
        assertThat(e.delta()).isEqualTo(250);
        assertThat(e.balanceBefore()).isEqualTo(1_300);
        assertThat(e.balanceAfter()).isEqualTo(1_550);
        assertThat(e.entries()).singleElement().satisfies(m -> assertThat(m.lotExpiresOn()).isEqualTo(expires));
        assertThat(e.staffId()).isEqualTo("wu");
        assertThat(e.managerId()).isEqualTo("li");
        assertThat(e.reason()).isEqualTo("till error");
        AuditEntry audit = ctx.database().jdbi().withHandle(h -> ctx.auditLog().entries(h)).stream()
                .filter(x -> x.action().equals("BALANCE_ADJUSTED")).findFirst().orElseThrow();
        assertThat(audit.staffId()).isEqualTo("li");
        assertThat(audit.subject()).isEqualTo(member.cardCode());
        assertThat(audit.detail()).containsEntry("adjustment_id", a.adjustmentId().toString())
                .containsEntry("member_id", member.id().toString()).containsEntry("kind", "POINTS")
                .containsEntry("delta", "250").containsEntry("balance_after", "1550").containsEntry("reason", "till error")
                .containsEntry("staff", "wu").containsEntry("manager", "li");
    }

    @Test
    void negativePointsTakeFromTheOldestLotsFirstAfterExpiredOnesAreWrittenOff() throws Exception {
        Adjustment a = adjust(Adjustments.Kind.POINTS, -500);
        assertThat(a.balanceAfter()).isEqualTo(800).isEqualTo(points());
        Event.PointsAdjusted e = (Event.PointsAdjusted) ProtocolJson.readEvent(ctx.json(), "points.adjusted",
                lastEvent("points.adjusted"));
        assertThat(e.entries()).extracting(Event.PointsMove::lotId, Event.PointsMove::delta)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(january, -300L),
                        org.assertj.core.groups.Tuple.tuple(june, -200L));
        List<PointLots.Lot> lots = ctx.database().jdbi().withHandle(h -> ctx.pointsLedger().lots(h, member.id()));
        assertThat(lots).singleElement().satisfies(l -> assertThat(l.remaining()).isEqualTo(800));

        // Once the June lot has expired, taking points writes it off first, with its own event, in the same transaction.
        clock.set(Instant.parse("2027-07-02T02:00:00Z"));
        adjust(Adjustments.Kind.POINTS, 100);
        long events = count("SELECT COUNT(*) FROM outbox_event");
        assertThatThrownBy(() -> adjust(Adjustments.Kind.POINTS, -101)).isInstanceOf(BusinessRuleException.class)
                .hasMessage("adjust.error.pointsBelowZero");
        assertThat(count("SELECT COUNT(*) FROM outbox_event")).as("refused: not even the write-off").isEqualTo(events);
        assertThat(points()).isEqualTo(900);
        adjust(Adjustments.Kind.POINTS, -60);
        assertThat(count("SELECT COUNT(*) FROM points_entry WHERE kind = 'EXPIRE' AND delta = -800")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE type = 'points.expired'")).isEqualTo(1);
        assertThat(points()).isEqualTo(40);
    }

    @Test
    void pointsGoBelowZeroOnlyWhereTheRulesLetAClawbackDoSo() throws Exception {
        assertThatThrownBy(() -> adjust(Adjustments.Kind.POINTS, -1_301)).hasMessage("adjust.error.pointsBelowZero");
        assertThat(points()).isEqualTo(1_300);
        RuleSet x = ctx.ruleSetService().active();
        ctx.ruleSetService().putInForce(new RuleSet(3, x.tierBasis(), x.tierThresholds(), x.tierReviewDate(), x.earnPermille(),
                x.pointsExpiry(), x.pointsLifetimeDays(), x.pointsPerYuanRedeemed(), x.pointsReminderDays(),
                x.birthdayWindowDays(), x.winBackAfterDays(), x.welcomeWithinDays(), x.historyDays(), x.offlineAllowanceFen(),
                x.topUpBonuses(), null, null, true), "test");
        Adjustment a = adjust(Adjustments.Kind.POINTS, -1_500);
        assertThat(a.balanceAfter()).isEqualTo(-200).isEqualTo(points());
        Event.PointsAdjusted e = (Event.PointsAdjusted) ProtocolJson.readEvent(ctx.json(), "points.adjusted",
                lastEvent("points.adjusted"));
        assertThat(e.entries()).filteredOn(m -> m.lotId() == null).singleElement()
                .satisfies(m -> assertThat(m.delta()).isEqualTo(-200));
        assertThat(e.ruleSetVersion()).isEqualTo(3);
    }

    @Test
    void storedValueNeverGoesBelowZeroAndAnApproverMustBeAManager() {
        long events = count("SELECT COUNT(*) FROM outbox_event");
        assertThatThrownBy(() -> adjust(Adjustments.Kind.STORED_VALUE, -5_001)).hasMessage("adjust.error.storedValueBelowZero");
        assertThatThrownBy(() -> ctx.adjustments().adjust(new Adjustments.Request(member.id(), Adjustments.Kind.STORED_VALUE,
                100, "goodwill"), cashier, cashier)).hasMessage("staff.error.role");
        assertThatThrownBy(() -> ctx.adjustments().adjust(new Adjustments.Request(member.id(), Adjustments.Kind.STORED_VALUE,
                100, " "), cashier, manager)).hasMessage("adjust.error.reasonRequired");
        assertThatThrownBy(() -> adjust(Adjustments.Kind.STORED_VALUE, 10_000_001)).hasMessage("adjust.error.storedValueTooLarge");
        assertThat(count("SELECT COUNT(*) FROM outbox_event")).isEqualTo(events);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'BALANCE_ADJUSTED'")).isZero();

        Adjustment a = adjust(Adjustments.Kind.STORED_VALUE, -5_000);
        assertThat(a.balanceAfter()).isZero().isEqualTo(storedValue());
        assertThat(count("SELECT COUNT(*) FROM sv_entry WHERE kind = 'ADJUST' AND delta_fen = -5000 AND ref_id = '"
                + a.adjustmentId() + "'")).isEqualTo(1);
        assertThat(adjust(Adjustments.Kind.STORED_VALUE, 1_234).balanceAfter()).isEqualTo(1_234).isEqualTo(storedValue());
    }
}
