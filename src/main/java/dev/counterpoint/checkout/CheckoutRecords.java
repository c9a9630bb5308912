package dev.counterpoint.checkout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.ProtocolJson;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The checkouts and refunds this terminal holds, with the events that describe them. What is kept holds no item names:
 * the lines' amounts are what a refund needs, and the items of an erased member must not stay here (decision 0044).
 */
public final class CheckoutRecords {
    private CheckoutRecords() {}

    /** A checkout as held here. */
    public record Stored(Event.CheckoutCompleted event, String storeId, String terminalId, boolean remote) {
    }

    static void insert(Handle h, ObjectMapper json, Event.CheckoutCompleted e, String storeId, String terminalId,
                       UUID couponId, boolean remote) {
        h.createUpdate("""
                INSERT INTO checkout(id, purchase_id, receipt_no, member_id, store_id, terminal_id, staff_id, completed_at,
                                     gross_fen, coupon_id, coupon_code, redemption_id, discount_fen, points_redeemed, points_value_fen,
                                     stored_value_fen, sv_entry_id, payable_fen, earning_base_fen, points_earned,
                                     points_entry_id, rule_set_version, payload, remote)
                VALUES (:id, :purchase, :receipt, :member, :store, :terminal, :staff, :at, :gross, :couponId, :couponCode, :redemption,
                        :discount, :redeemed, :pointsValue, :sv, :svEntry, :payable, :base, :earned, :earnEntry, :rules,
                        :payload, :remote)""")
                .bind("id", e.checkoutId()).bind("purchase", e.purchaseId()).bind("receipt", e.receiptNo())
                .bind("member", e.memberId()).bind("store", storeId).bind("terminal", terminalId).bind("staff", e.staffId())
                .bind("at", e.completedAt().withOffsetSameInstant(ZoneOffset.UTC)).bind("gross", e.grossFen())
                .bind("couponId", couponId).bind("couponCode", e.coupon() == null ? null : e.coupon().couponCode())
                .bind("redemption", e.coupon() == null ? null : e.coupon().redemptionId())
                .bind("discount", e.discountFen()).bind("redeemed", e.pointsRedeemed())
                .bind("pointsValue", e.pointsValueFen()).bind("sv", e.storedValueFen()).bind("svEntry", e.svEntryId())
                .bind("payable", e.payableFen()).bind("base", e.earningBaseFen()).bind("earned", e.pointsEarned())
                .bind("earnEntry", e.pointsEntryId()).bind("rules", e.ruleSetVersion())
                .bind("payload", ProtocolJson.write(json, withoutItems(e))).bind("remote", remote)
                .execute();
    }

    /** The same checkout with each line's amount and quantity only. */
    static Event.CheckoutCompleted withoutItems(Event.CheckoutCompleted e) {
        List<Event.Line> plain = e.lines().stream().map(l -> new Event.Line(null, null, l.qty(), l.amountFen())).toList();
        return new Event.CheckoutCompleted(e.checkoutId(), e.purchaseId(), e.receiptNo(), e.memberId(), e.staffId(),
                e.completedAt(), e.grossFen(), plain, e.coupon(), e.discountFen(), e.pointsRedeemed(), e.pointsValueFen(),
                e.pointsEntries(), e.pointsBalanceBefore(), e.pointsBeyondBalance(), e.storedValueFen(), e.svEntryId(),
                e.svBalanceBeforeFen(), e.svBeyondBalanceFen(), e.payableFen(), e.earningBaseFen(), e.pointsEarned(),
                e.pointsEntryId(), e.pointsExpireOn(), e.tierBefore(), e.tierAfter(), e.tierEventId(), e.tierFigure(),
                e.ruleSetVersion());
    }

    public static Optional<Stored> find(Handle h, ObjectMapper json, String receiptNo) {
        return h.createQuery("SELECT payload, store_id, terminal_id, remote FROM checkout WHERE receipt_no = :r")
                .bind("r", receiptNo)
                .map((rs, ctx) -> new Stored(Checkouts.read(json, rs.getString(1)), rs.getString(2), rs.getString(3),
                        rs.getBoolean(4)))
                .findOne();
    }

    /** A void or refund held here, by its number, with the terminal that made it. */
    public record StoredRefund(Event.CheckoutRefunded event, String terminalId) {
    }

    public static Optional<StoredRefund> findRefund(Handle h, ObjectMapper json, String refundNo) {
        return h.createQuery("SELECT payload, terminal_id FROM refund WHERE refund_no = :r")
                .bind("r", refundNo)
                .map((rs, ctx) -> new StoredRefund(readRefund(json, rs.getString(1)), rs.getString(2)))
                .findOne();
    }

    /** What a receipt was last made for at a terminal: a checkout's receipt number or a refund's number. */
    public record Latest(boolean refund, String number) {
    }

    /** The newest checkout (made here, not read from head office) or void or refund of this terminal, if any. */
    public static Optional<Latest> latest(Handle h, String terminalId) {
        return h.createQuery("""
                SELECT refund, number FROM (
                    SELECT FALSE AS refund, receipt_no AS number, completed_at AS at FROM checkout
                    WHERE terminal_id = :t AND NOT remote
                    UNION ALL
                    SELECT TRUE, refund_no, refunded_at FROM refund WHERE terminal_id = :t
                ) ORDER BY at DESC, refund DESC LIMIT 1""")
                .bind("t", terminalId)
                .map((rs, ctx) -> new Latest(rs.getBoolean(1), rs.getString(2)))
                .findOne();
    }

    /** The receipt number of the newest checkout rung up at a terminal (not one read from head office), if any. */
    public static Optional<String> latestCheckout(Handle h, String terminalId) {
        return h.createQuery("""
                SELECT receipt_no FROM checkout WHERE terminal_id = :t AND NOT remote
                ORDER BY completed_at DESC, receipt_no DESC LIMIT 1""")
                .bind("t", terminalId).mapTo(String.class).findOne();
    }

    /** The refunds of a checkout held here, oldest first. */
    public static List<Event.CheckoutRefunded> refunds(Handle h, ObjectMapper json, UUID checkoutId) {
        return h.createQuery("SELECT payload FROM refund WHERE checkout_id = :c ORDER BY refunded_at, id")
                .bind("c", checkoutId).mapTo(String.class).list().stream().map(p -> readRefund(json, p)).toList();
    }

    static void insertRefund(Handle h, ObjectMapper json, Event.CheckoutRefunded r, String terminalId) {
        h.createUpdate("""
                INSERT INTO refund(id, checkout_id, refund_no, kind, member_id, terminal_id, staff_id, manager_id,
                                   refunded_at, gross_fen, discount_fen, points_value_fen, stored_value_fen, payable_fen,
                                   points_returned, points_clawed, points_forgiven, coupon_restored, complete, payload)
                VALUES (:id, :checkout, :no, :kind, :member, :terminal, :staff, :manager, :at, :gross, :discount,
                        :pointsValue, :sv, :payable, :returned, :clawed, :forgiven, :restored, :complete, :payload)""")
                .bind("id", r.refundId()).bind("checkout", r.checkoutId()).bind("no", r.refundNo())
                .bind("kind", r.kind().name()).bind("member", r.memberId()).bind("terminal", terminalId)
                .bind("staff", r.staffId()).bind("manager", r.managerId())
                .bind("at", r.refundedAt().withOffsetSameInstant(ZoneOffset.UTC)).bind("gross", r.grossFen())
                .bind("discount", r.discountFen()).bind("pointsValue", r.pointsValueFen()).bind("sv", r.storedValueFen())
                .bind("payable", r.payableFen()).bind("returned", r.pointsReturnedTotal())
                .bind("clawed", r.pointsClawedBackTotal()).bind("forgiven", r.pointsForgiven())
                .bind("restored", r.couponRestored()).bind("complete", r.complete())
                .bind("payload", ProtocolJson.write(json, r)).execute();
        for (Event.RefundLine l : r.lines()) {
            h.createUpdate("INSERT INTO refund_line(refund_id, line_no, amount_fen) VALUES (:r, :n, :a)")
                    .bind("r", r.refundId()).bind("n", l.lineNo()).bind("a", l.amountFen()).execute();
        }
    }

    static Event.CheckoutRefunded readRefund(ObjectMapper json, String payload) {
        try {
            return (Event.CheckoutRefunded) ProtocolJson.readEvent(json, "checkout.refunded", json.readTree(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored refund is not JSON", e);
        }
    }
}
