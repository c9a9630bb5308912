package dev.counterpoint.sync;

import static dev.counterpoint.sync.OfficeSyncContract.batch;
import static dev.counterpoint.sync.OfficeSyncContract.client;
import static dev.counterpoint.sync.OfficeSyncContract.engine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.counterpoint.checkout.Adjustment;
import dev.counterpoint.checkout.Adjustments;
import dev.counterpoint.checkout.CheckoutRequest;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manager's balance adjustment through a real head office: applied there with the store's entries and received by
 * the other store that keeps the member, so the three balances agree; counted in the liabilities only; forged ones
 * refused and changing nothing; one that overdraws head office's balance applied and raised for the owner.
 */
class AdjustmentSyncTest {
    @TempDir
    Path tmp;
    OfficeHarness office;
    TerminalWiring a;
    TerminalWiring b;
    Member member;
    Staff li;
    Staff wu;
    Staff zhang;
    long seq = 3_000_000;

    /** Head office on H2; {@link AdjustmentSyncPostgresTest} runs the same on PostgreSQL. */
    OfficeHarness newOffice() {
        return OfficeHarness.h2();
    }

    @BeforeEach
    void start() {
        office = newOffice();
        TestClock clockA = OfficeHarness.clockAt(OfficeHarness.START);
        a = office.terminal(tmp.resolve("a"), "S001", "T1", clockA);
        b = office.terminal(tmp.resolve("b"), "S002", "T1", OfficeHarness.clockAt(OfficeHarness.START));
        li = a.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
        wu = a.staffAccounts().add(li, "wu", "吴", StaffRole.CASHIER, "135790");
        zhang = b.staffAccounts().addFirst("zhang", "张店长", StaffRole.MANAGER, "135790");
        member = a.memberService().enrol("陈思远", "13800001111", null);
        a.checkoutService().topUp(member.id(), 10_000);
        a.checkoutService().recordSale(member.id(), 50_000L, List.of()); // 500 points
        sync(a, b);
        // The other store shows the member once: from then on it keeps the member's records.
        assertThat(engine(b).fetchHistory(member.id())).isTrue();
        sync(b);
    }

    @AfterEach
    void stop() {
        office.close();
    }

    private void sync(TerminalWiring... terminals) {
        for (TerminalWiring t : terminals) {
            engine(t).syncOnce();
        }
    }

    private long officePoints() {
        return office.officeLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?", member.id());
    }

    private long officeSv() {
        return office.officeLong("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = ?", member.id());
    }

    private static long points(TerminalWiring t, UUID m) {
        return t.database().jdbi().withHandle(h -> t.pointsLedger().balance(h, m));
    }

    private static long sv(TerminalWiring t, UUID m) {
        return t.database().jdbi().withHandle(h -> t.storedValueLedger().balanceFen(h, m));
    }

    private List<String> verdicts(String type) {
        return office.jdbi().withHandle(h -> h.createQuery("SELECT verdict FROM inbox WHERE type = :t ORDER BY received_at, terminal_seq")
                .bind("t", type).mapTo(String.class).list());
    }

    private Adjustment adjust(TerminalWiring t, Staff staff, Staff manager, Adjustments.Kind kind, long delta, String reason) {
        return t.adjustments().adjust(new Adjustments.Request(member.id(), kind, delta, reason), staff, manager);
    }

    /** Σ of a report_store_day column over every day of a store. */
    private long report(String column, String store) {
        return office.officeLong("SELECT COALESCE(SUM(" + column + "), 0) FROM report_store_day WHERE store_id = ?", store);
    }

    @Test
    void anAdjustmentReachesHeadOfficeAndTheOtherStoreWithEqualBalancesAndCountsInTheLiabilitiesOnly() {
        long issued = report("points_issued", "S001");
        long redeemed = report("points_redeemed", "S001");
        long svOut = report("stored_value_out_fen", "S001");
        Adjustment up = adjust(a, wu, li, Adjustments.Kind.POINTS, 300, "lost paper voucher honoured");
        Adjustment down = adjust(a, wu, li, Adjustments.Kind.STORED_VALUE, -2_500, "till error found at close");
        sync(a, b);

        assertThat(verdicts("points.adjusted")).containsExactly("ACCEPTED");
        assertThat(verdicts("stored_value.adjusted")).containsExactly("ACCEPTED");
        assertThat(officePoints()).isEqualTo(points(a, member.id())).isEqualTo(points(b, member.id())).isEqualTo(800)
                .isEqualTo(up.balanceAfter());
        assertThat(officeSv()).isEqualTo(sv(a, member.id())).isEqualTo(sv(b, member.id())).isEqualTo(7_500)
                .isEqualTo(down.balanceAfter());
        // The same entries everywhere: the store's ids, kind ADJUST.
        UUID svEntry = office.jdbi().withHandle(h -> h.createQuery(
                "SELECT entry_id FROM balance_adjustment_entry WHERE adjustment_id = :a").bind("a", down.adjustmentId())
                .mapTo(UUID.class).one());
        assertThat(b.database().queryLong("SELECT COUNT(*) FROM sv_entry WHERE kind = 'ADJUST' AND delta_fen = -2500 AND id = '"
                + svEntry + "'")).isEqualTo(1);
        assertThat(office.officeLong("SELECT COUNT(*) FROM balance_adjustment WHERE store_id = 'S001' AND staff_id = 'wu' "
                + "AND manager_id = 'li' AND reason = 'lost paper voucher honoured' AND delta = 300 AND kind = 'POINTS'"))
                .isEqualTo(1);
        assertThat(office.officeLong("SELECT COUNT(*) FROM audit_entry WHERE store_id = 'S001' AND action = 'BALANCE_ADJUSTED' "
                + "AND intact")).isEqualTo(2);

        // KPIs: the store's points issued and redeemed and stored value paid out are unchanged; the liabilities moved.
        assertThat(report("points_issued", "S001")).isEqualTo(issued);
        assertThat(report("points_redeemed", "S001")).isEqualTo(redeemed);
        assertThat(report("stored_value_out_fen", "S001")).isEqualTo(svOut);
        assertThat(report("points_balance", "S001")).isEqualTo(officePoints());
        assertThat(report("stored_value_balance_fen", "S001")).isEqualTo(officeSv());

        // The other store adjusts the member it keeps: the first store receives it the same way.
        Staff cashierB = b.staffAccounts().add(zhang, "qian", "钱", StaffRole.CASHIER, "975310");
        adjust(b, cashierB, zhang, Adjustments.Kind.POINTS, -450, "goodwill points given twice");
        sync(b, a);
        assertThat(officePoints()).isEqualTo(points(a, member.id())).isEqualTo(points(b, member.id())).isEqualTo(350);
        assertThat(report("points_balance", "S001")).as("the member's home store holds the liability").isEqualTo(350);
        assertThat(report("points_redeemed", "S002")).isZero();
    }

    @Test
    void anAdjustmentThatOverdrawsHeadOfficesBalanceIsAppliedAndRaisedForTheOwner() {
        // The other store spends 400 of the 500 points; the first store, not having pulled yet, takes 300 off by hand.
        b.checkouts().complete(new CheckoutRequest(member.id(), 8_000L, List.of(), CheckoutRequest.CouponChoice.NONE, 400, 0),
                zhang);
        sync(b);
        Adjustment down = a.adjustments().adjust(new Adjustments.Request(member.id(), Adjustments.Kind.POINTS, -300,
                "till error"), wu, li);
        assertThat(down.balanceAfter()).isEqualTo(200);
        sync(a);

        assertThat(verdicts("points.adjusted")).containsExactly("OVERDRAFT");
        long earnedAtB = office.officeLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ? AND kind = 'EARN' "
                + "AND store_id = 'S002'", member.id());
        assertThat(officePoints()).isEqualTo(500 - 400 + earnedAtB - 300).isNegative();
        String detail = office.jdbi().withHandle(h -> h.createQuery(
                "SELECT detail FROM sync_exception WHERE kind = 'ADJUSTMENT_OVERDRAFT' AND state = 'OPEN' AND subject = :s")
                .bind("s", down.adjustmentId().toString()).mapTo(String.class).one());
        assertThat(detail).contains("\"member_id\":\"" + member.id() + "\"", "\"store_id\":\"S001\"", "\"manager_id\":\"li\"",
                "\"delta\":-300", "\"reason\":\"till error\"", "\"balance_at_store\":200",
                "\"balance_at_office\":" + officePoints());
        assertThat(office.officeLong("SELECT COUNT(*) FROM sync_exception WHERE kind = 'POINTS_OVERDRAFT' AND state = 'OPEN'"))
                .isEqualTo(1);
        sync(a, b);
        assertThat(points(a, member.id())).isEqualTo(officePoints()).isEqualTo(points(b, member.id()));

        // Covered again later, the member's overdraft settles itself; the adjustment's stays open for a person.
        a.checkoutService().recordSale(member.id(), 50_000L, List.of());
        sync(a);
        assertThat(officePoints()).isPositive();
        assertThat(office.officeLong("SELECT COUNT(*) FROM sync_exception WHERE kind = 'POINTS_OVERDRAFT' AND state = 'OPEN'"))
                .isZero();
        assertThat(office.officeLong("SELECT COUNT(*) FROM sync_exception WHERE kind = 'ADJUSTMENT_OVERDRAFT' AND state = 'OPEN'"))
                .isEqualTo(1);
    }

    @Test
    void forgedAdjustmentsAreRefusedAndChangeNothing() {
        Member elsewhere = b.memberService().enrol("别人", "13900009999", null);
        b.checkoutService().topUp(elsewhere.id(), 5_000);
        sync(b);
        adjust(a, wu, li, Adjustments.Kind.POINTS, -100, "till error");
        ObjectNode negative = payload("points.adjusted");
        sync(a); // the real one is accepted
        adjust(a, wu, li, Adjustments.Kind.POINTS, 200, "goodwill");
        adjust(a, wu, li, Adjustments.Kind.STORED_VALUE, 1_000, "lost voucher honoured");
        ObjectNode positive = payload("points.adjusted");
        ObjectNode sv = payload("stored_value.adjusted");
        // Not yet pushed: each forgery below is a variant of a real event, pushed first.

        assertRejected("points.adjusted", fresh(positive).put("member_id", elsewhere.id().toString()),
                "member " + elsewhere.id() + " is not kept by store S001");
        assertRejected("stored_value.adjusted", fresh(sv).put("member_id", elsewhere.id().toString()),
                "member " + elsewhere.id() + " is not kept by store S001");
        assertRejected("points.adjusted", fresh(positive).put("member_id", UUID.randomUUID().toString()), "unknown member");
        ObjectNode huge = fresh(sv).put("delta_fen", 10_000_001L).put("balance_after_fen", sv.get("balance_before_fen").asLong()
                + 10_000_001L);
        assertRejected("stored_value.adjusted", huge, "delta_fen 10000001 is beyond the most allowed either way, 10000000");
        ObjectNode hugePoints = fresh(positive).put("delta", 50_000_000L)
                .put("balance_after", positive.get("balance_before").asLong() + 50_000_000L);
        ((ObjectNode) hugePoints.get("entries").get(0)).put("delta", 50_000_000L);
        assertRejected("points.adjusted", hugePoints, "delta 50000000 is beyond the most allowed either way, 10000000");
        assertRejected("stored_value.adjusted", fresh(sv).put("staff_id", "nobody"), "staff nobody is not an account of store S001");
        assertRejected("points.adjusted", fresh(positive).put("manager_id", "zhang"), "staff zhang is not an account of store S001");
        assertRejected("points.adjusted", fresh(positive).put("manager_id", "wu"), "staff wu is a CASHIER, not a MANAGER");
        assertRejected("points.adjusted", fresh(positive).put("reason", "x".repeat(201)), "reason is longer than 200 characters");
        assertRejected("points.adjusted", fresh(positive).put("reason", "ok\u0000"), "reason holds a control character");
        assertRejected("points.adjusted", fresh(positive).put("reason", " "), "empty reason");
        ObjectNode farLot = fresh(positive);
        ((ObjectNode) farLot.get("entries").get(0)).put("lot_expires_on", "2099-12-31");
        assertRejected("points.adjusted", farLot, "lot_expires_on 2099-12-31 is not what rule set");
        ObjectNode notHerLot = fresh(negative);
        ((ObjectNode) notHerLot.get("entries").get(0)).put("lot_id", UUID.randomUUID().toString());
        assertRejected("points.adjusted", notHerLot, "takes points from a lot that is not the member's");
        ObjectNode belowZero = fresh(negative).put("delta", -5_000L).put("balance_after",
                negative.get("balance_before").asLong() - 5_000L);
        ArrayNode beyond = belowZero.putArray("entries");
        beyond.addObject().put("entry_id", UUID.randomUUID().toString()).put("delta", -5_000L).putNull("lot_id")
                .putNull("lot_expires_on");
        assertRejected("points.adjusted", belowZero, "keeps points at or above zero");
        assertRejected("points.adjusted", fresh(negative).put("adjustment_id", negative.get("adjustment_id").asText()),
                "is already held");

        sync(a);
        assertThat(verdicts("points.adjusted")).filteredOn("ACCEPTED"::equals).hasSize(2);
        assertThat(verdicts("stored_value.adjusted")).filteredOn("ACCEPTED"::equals).hasSize(1);
        assertThat(verdicts("stored_value.adjusted")).filteredOn("REJECTED"::equals).hasSize(3);
        sync(b);
        assertThat(officePoints()).isEqualTo(points(a, member.id())).isEqualTo(points(b, member.id()));
        assertThat(officeSv()).isEqualTo(sv(a, member.id())).isEqualTo(sv(b, member.id()));
        assertThat(office.officeLong("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = ?", elsewhere.id()))
                .isEqualTo(5_000);
    }

    // ---- forged events pushed with a's credential ----

    private ObjectNode payload(String type) {
        String p = a.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT payload FROM outbox_event WHERE type = :t ORDER BY terminal_seq DESC LIMIT 1").bind("t", type)
                .mapTo(String.class).one());
        try {
            return (ObjectNode) office.json.readTree(p);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy under new ids, so it is a new adjustment. */
    private static ObjectNode fresh(ObjectNode real) {
        ObjectNode p = real.deepCopy();
        p.put("adjustment_id", UUID.randomUUID().toString());
        if (p.has("entry_id")) {
            p.put("entry_id", UUID.randomUUID().toString());
        }
        if (p.has("entries")) {
            p.get("entries").forEach(e -> ((ObjectNode) e).put("entry_id", UUID.randomUUID().toString()));
        }
        return p;
    }

    private List<Long> state() {
        List<Long> out = new ArrayList<>();
        for (String table : List.of("points_entry", "sv_entry", "balance_adjustment", "balance_adjustment_entry",
                "sync_exception", "change_log")) {
            out.add(office.officeLong("SELECT COUNT(*) FROM " + table));
        }
        return out;
    }

    private void assertRejected(String type, ObjectNode payload, String reason) {
        List<Long> before = state();
        JsonNode verdict = pushOne(type, payload);
        assertThat(verdict.path("verdict").asText()).as(verdict.toString()).isEqualTo("REJECTED");
        assertThat(verdict.path("detail").asText()).contains(reason);
        assertThat(state()).isEqualTo(before);
    }

    private JsonNode pushOne(String type, ObjectNode payload) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", UUID.randomUUID().toString());
        e.put("store_id", "S001");
        e.put("terminal_id", "T1");
        e.put("terminal_seq", ++seq);
        e.put("hlc", System.currentTimeMillis() << 16);
        e.put("type", type);
        e.put("payload", payload);
        return client(a).push(batch(a, new ArrayList<>(List.of(e)))).path("verdicts").get(0);
    }
}
