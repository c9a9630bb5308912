package dev.counterpoint.office;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.protocol.PurchaseSource;
import dev.counterpoint.protocol.RefundKind;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.Verdict;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Checkouts and their voids and refunds at head office, applied through the same steps as the separate events a
 * checkout replaces (purchase, coupon redemption, points spent, stored value paid, points earned at the tier, the tier
 * reached), so they are decided the same way: a coupon used twice, a balance gone short.
 */
final class CheckoutProjection {
    /**
     * Whether the purchase {@code p} was taken back by a void, as a column of a statement that reads it: a voided sale
     * is no visit (the till's member panel counts it so too). Its checkout is found by the receipt number both carry,
     * and only for a purchase something was taken back of.
     */
    static final String VOIDED_PURCHASE = "(p.refunded_fen > 0 AND EXISTS(SELECT 1 FROM checkout c JOIN refund r"
            + " ON r.checkout_id = c.id WHERE c.receipt_no = p.receipt_no AND r.kind = 'VOID'))";

    private final Projector projector;
    private final ObjectMapper json;

    CheckoutProjection(Projector projector, ObjectMapper json) {
        this.projector = projector;
        this.json = json;
    }

    Verdict completed(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, Event.CheckoutCompleted c) {
        UUID member = c.memberId();
        UUID survivor = Projector.resolve(h, member);
        Tier known = Projector.knownTier(h, member, survivor);
        Verdict verdict = Verdict.ACCEPTED;
        projector.purchase(h, feed, who, c.purchaseId(), member, c.receiptNo(), c.completedAt(), c.grossFen(),
                PurchaseSource.SALE, c.lines());
        if (c.coupon() != null) {
            Event.CheckoutCoupon k = c.coupon();
            verdict = worse(verdict, projector.couponRedeemed(h, feed, who, e, new Event.CouponRedeemed(k.redemptionId(),
                    k.couponId(), k.couponCode(), k.templateId(), member, k.reason(), c.grossFen(), k.discountFen(),
                    c.completedAt()), c.completedAt()));
        }
        if (c.pointsRedeemed() > 0) {
            verdict = worse(verdict, projector.pointsSpent(h, feed, who, e, new Event.PointsRedeemed(
                    c.pointsEntries().stream().map(Event.SpendEntry::entryId).toList(), c.pointsEntries(), member,
                    c.pointsRedeemed(), c.pointsValueFen(), c.pointsBalanceBefore(), c.pointsBeyondBalance(),
                    c.ruleSetVersion(), c.completedAt())));
        }
        if (c.storedValueFen() > 0) {
            verdict = worse(verdict, projector.svEntry(h, feed, who, e, member, c.svEntryId(), -c.storedValueFen(),
                    StoredValueKind.PAY, c.purchaseId(), c.completedAt()));
        }
        projector.earnedAtTier(h, feed, who, e, member, survivor, known, c.pointsEntryId(), c.pointsEarned(),
                c.pointsExpireOn(), c.purchaseId(), c.completedAt(), c.earningBaseFen(), c.ruleSetVersion(), c.tierBefore(),
                c.tierAfter());
        h.createUpdate("""
                INSERT INTO checkout(id, receipt_no, member_id, store_id, terminal_id, completed_at, payload, event_id)
                VALUES (:id, :receipt, :member, :store, :terminal, :at, :payload, :event)""")
                .bind("id", c.checkoutId()).bind("receipt", c.receiptNo()).bind("member", member)
                .bind("store", who.storeId()).bind("terminal", who.terminalId()).bind("at", c.completedAt())
                .bind("payload", ProtocolJson.write(json, withoutItems(c))).bind("event", e.eventId()).execute();
        return verdict;
    }

    /**
     * The refund's share taken off its purchase, and what head office then holds of the purchase sent to the stores that
     * keep the member's history: they count it as head office does (decision 0094). The refunding terminal is sent it
     * too: a change of another refund it pulls after pushing its own must not be the last word there.
     */
    private static void purchaseRefunded(Handle h, FeedWriter feed, UUID survivor, UUID purchase,
                                         Event.CheckoutRefunded r) {
        h.createUpdate("UPDATE purchase SET refunded_fen = refunded_fen + :g WHERE id = :p")
                .bind("g", r.grossFen()).bind("p", purchase).execute();
        h.createQuery("SELECT member_id, refunded_fen FROM purchase WHERE id = :p").bind("p", purchase)
                .map((rs, ctx) -> new Change.PurchaseRefunded(purchase, rs.getObject(1, UUID.class), rs.getLong(2),
                        r.kind() == RefundKind.VOID))
                .findOne()
                .ifPresent(change -> MemberStores.send(h, feed, survivor, change, null));
    }

    /**
     * A void or refund: every line it takes back must not be taken back already (the first refund to arrive holds a
     * line; a later one is a conflict for the owner, and changes nothing). Then the reversal is applied entry by entry
     * with the terminal's ids.
     */
    Verdict refunded(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, Event.CheckoutRefunded r,
                     OffsetDateTime now) {
        List<Integer> lines = r.lines().stream().map(Event.RefundLine::lineNo).toList();
        List<Integer> held = h.createQuery("SELECT line_no FROM refund_line WHERE checkout_id = :c AND line_no IN (<lines>)")
                .bind("c", r.checkoutId()).bindList("lines", lines).mapTo(Integer.class).list();
        if (!held.isEmpty()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("receipt_no", r.receiptNo());
            detail.put("refund_no", r.refundNo());
            detail.put("store_id", who.storeId());
            detail.put("terminal_id", who.terminalId());
            detail.put("lines_already_refunded", held);
            projector.upsertException(h, "REFUND_CONFLICT", r.refundNo(), detail, "OPEN", now);
            return Verdict.CONFLICT;
        }
        UUID member = r.memberId();
        UUID survivor = Projector.resolve(h, member);
        for (int line : lines) {
            h.createUpdate("INSERT INTO refund_line(checkout_id, line_no, refund_id) VALUES (:c, :n, :r)")
                    .bind("c", r.checkoutId()).bind("n", line).bind("r", r.refundId()).execute();
        }
        h.createUpdate("""
                INSERT INTO refund(id, checkout_id, refund_no, store_id, terminal_id, kind, refunded_at, payload, event_id)
                VALUES (:id, :c, :no, :store, :terminal, :kind, :at, :payload, :event)""")
                .bind("id", r.refundId()).bind("c", r.checkoutId()).bind("no", r.refundNo()).bind("store", who.storeId())
                .bind("terminal", who.terminalId()).bind("kind", r.kind().name()).bind("at", r.refundedAt())
                .bind("payload", ProtocolJson.write(json, r)).bind("event", e.eventId()).execute();
        feed.rollups().refund(who.storeId(), r.refundedAt(), r.grossFen());
        for (Event.PointsMove m : r.pointsReturned()) {
            projector.insertPoints(h, feed, who, m.entryId(), member, m.delta(), PointsKind.REVERSE, m.lotExpiresOn(),
                    m.lotId(), r.refundedAt(), e.hlc());
        }
        for (Event.PointsMove m : r.pointsClawedBack()) {
            projector.insertPoints(h, feed, who, m.entryId(), member, m.delta(), PointsKind.REVERSE, null, m.lotId(),
                    r.refundedAt(), e.hlc());
        }
        long pointsDelta = r.pointsReturnedTotal() - r.pointsClawedBackTotal();
        projector.compensateIfAlias(h, feed, member, pointsDelta, 0, r.refundedAt());
        Verdict verdict = projector.settleOverdraft(h, survivor, r.refundedAt()) ? Verdict.OVERDRAFT : Verdict.ACCEPTED;
        if (r.storedValueFen() > 0) {
            Optional<UUID> paid = checkout(h, r.checkoutId()).map(Event.CheckoutCompleted::svEntryId);
            verdict = worse(verdict, projector.svEntry(h, feed, who, e, member, r.svEntryId(), r.storedValueFen(),
                    StoredValueKind.REVERSE, paid.orElse(null), r.refundedAt()));
        }
        if (r.couponRestored()) {
            checkout(h, r.checkoutId()).map(Event.CheckoutCompleted::coupon).ifPresent(k -> {
                h.createUpdate("DELETE FROM coupon_claim WHERE coupon_code = :c AND redemption_id = :r")
                        .bind("c", k.couponCode()).bind("r", k.redemptionId()).execute();
                h.createUpdate("DELETE FROM coupon_redemption WHERE id = :r").bind("r", k.redemptionId()).execute();
                feed.rollups().couponRestored(who.storeId(), r.refundedAt(), k.couponCode(), k.templateId(),
                        k.reason().name(), k.discountFen());
                feed.append(new Change.CouponRestored(k.couponCode()), who);
            });
        }
        checkout(h, r.checkoutId()).ifPresent(c -> purchaseRefunded(h, feed, survivor, c.purchaseId(), r));
        if (r.upgradeUndone() != null) {
            upgradeUndone(h, feed, who, e, r);
        }
        return verdict;
    }

    /**
     * A void that took back its checkout's tier raise (decision 0091): head office lowers the tier as the till did when it
     * still holds the raised tier and no later tier edit (a review) holds the field; a higher tier since, from another
     * store's sale, stands. The perks are voided at every store, but one another store used meanwhile stays used.
     */
    private static void upgradeUndone(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e,
                                      Event.CheckoutRefunded r) {
        Event.UpgradeUndone u = r.upgradeUndone();
        UUID survivor = Projector.resolve(h, r.memberId());
        Tier held = Projector.knownTier(h, r.memberId(), survivor);
        if (held == u.fromTier() && Projector.lastWriterWins(h, feed, survivor, Change.Field.TIER, u.toTier().name(),
                e.hlc(), e.eventId())) {
            feed.rollups().tierMoved(survivor, r.refundedAt(), held, u.toTier());
        }
        for (String code : u.perksVoided()) {
            if (h.createUpdate("""
                    UPDATE coupon SET status = 'VOID' WHERE code = :c AND status = 'ISSUED'
                      AND NOT EXISTS (SELECT 1 FROM coupon_claim WHERE coupon_code = :c)""")
                    .bind("c", code).execute() == 1) {
                feed.append(new Change.CouponVoided(code), who);
            }
        }
    }

    /** A checkout head office holds, as its terminal sent it (lines without items). */
    Optional<Event.CheckoutCompleted> checkout(Handle h, UUID checkoutId) {
        return h.createQuery("SELECT payload FROM checkout WHERE id = :id").bind("id", checkoutId).mapTo(String.class)
                .findOne().map(p -> read(json, p));
    }

    static Event.CheckoutCompleted read(ObjectMapper json, String payload) {
        try {
            return (Event.CheckoutCompleted) ProtocolJson.readEvent(json, "checkout.completed", json.readTree(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored checkout is not JSON", e);
        }
    }

    static Event.CheckoutCompleted withoutItems(Event.CheckoutCompleted e) {
        List<Event.Line> plain = e.lines().stream().map(l -> new Event.Line(null, null, l.qty(), l.amountFen())).toList();
        return new Event.CheckoutCompleted(e.checkoutId(), e.purchaseId(), e.receiptNo(), e.memberId(), e.staffId(),
                e.completedAt(), e.grossFen(), plain, e.coupon(), e.discountFen(), e.pointsRedeemed(), e.pointsValueFen(),
                e.pointsEntries(), e.pointsBalanceBefore(), e.pointsBeyondBalance(), e.storedValueFen(), e.svEntryId(),
                e.svBalanceBeforeFen(), e.svBeyondBalanceFen(), e.payableFen(), e.earningBaseFen(), e.pointsEarned(),
                e.pointsEntryId(), e.pointsExpireOn(), e.tierBefore(), e.tierAfter(), e.tierEventId(), e.tierFigure(),
                e.ruleSetVersion());
    }

    /** Of two verdicts, the one an owner must look at: a conflict before an overdraft before acceptance. */
    private static Verdict worse(Verdict a, Verdict b) {
        List<Verdict> order = List.of(Verdict.ACCEPTED, Verdict.OVERDRAFT, Verdict.CONFLICT);
        return order.indexOf(b) > order.indexOf(a) ? b : a;
    }
}
