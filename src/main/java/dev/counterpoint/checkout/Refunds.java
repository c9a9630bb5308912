package dev.counterpoint.checkout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.audit.AuditAction;
import dev.counterpoint.audit.AuditLog;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.history.ChainHistory;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.protocol.CheckoutShares;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.PurchaseSource;
import dev.counterpoint.protocol.RefundKind;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Money;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Voids and refunds, each approved by a manager and reversed in one transaction: the money shares of the lines taken
 * back ({@link CheckoutShares}), the points they spent given back (to lots with the spent lots' expiry), the points they
 * earned taken back (from the lot they opened first; below zero only as the rules allow, the rest forgiven), the stored
 * value they paid given back, and the coupon given back or kept as the rules say once the whole checkout is taken back.
 * One {@code checkout.refunded} event and an audit entry go with it.
 */
public final class Refunds {
    /** Head office's copy of a receipt: the checkout and the refunds made of it anywhere. */
    public record HeadOfficeReceipt(Event.CheckoutCompleted checkout, String storeId, String terminalId,
                                    List<Event.CheckoutRefunded> refunds) {

        /** As head office answers {@code GET /v1/sync/checkouts/{receipt_no}}. */
        public static HeadOfficeReceipt fromJson(ObjectMapper json, com.fasterxml.jackson.databind.JsonNode reply) {
            List<Event.CheckoutRefunded> refunds = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode r : reply.path("refunds")) {
                refunds.add((Event.CheckoutRefunded) dev.counterpoint.protocol.ProtocolJson.readEvent(json,
                        "checkout.refunded", r));
            }
            return new HeadOfficeReceipt((Event.CheckoutCompleted) dev.counterpoint.protocol.ProtocolJson.readEvent(json,
                    "checkout.completed", reply.path("checkout")), reply.path("store_id").asText(),
                    reply.path("terminal_id").asText(), List.copyOf(refunds));
        }
    }

    /** Asks head office for a receipt; tells whether it can be asked now. */
    public interface ReceiptSource {
        boolean online();

        /** Empty: head office holds no such receipt. Throws {@link BusinessRuleException} when it cannot be asked. */
        Optional<HeadOfficeReceipt> fetch(String receiptNo);

        ReceiptSource NONE = new ReceiptSource() {
            @Override
            public boolean online() {
                return false;
            }

            @Override
            public Optional<HeadOfficeReceipt> fetch(String receiptNo) {
                return Optional.empty();
            }
        };
    }

    private final Jdbi jdbi;
    private final MemberRepository members;
    private final PurchaseRepository purchases;
    private final PointsLedger points;
    private final StoredValueLedger storedValue;
    private final CouponRepository coupons;
    private final RuleSetRepository rules;
    private final Outbox outbox;
    private final AuditLog audit;
    private final Hlc hlc;
    private final Clock clock;
    private final String storeId;
    private final String terminalId;
    private final ChainHistory chain;
    private final ObjectMapper json;
    private final ReceiptSource office;

    public Refunds(Jdbi jdbi, MemberRepository members, PurchaseRepository purchases, PointsLedger points,
                   StoredValueLedger storedValue, CouponRepository coupons, RuleSetRepository rules, Outbox outbox,
                   AuditLog audit, Hlc hlc, Clock clock, String storeId, String terminalId, ChainHistory chain,
                   ObjectMapper json, ReceiptSource office) {
        this.jdbi = jdbi;
        this.members = members;
        this.purchases = purchases;
        this.points = points;
        this.storedValue = storedValue;
        this.coupons = coupons;
        this.rules = rules;
        this.outbox = outbox;
        this.audit = audit;
        this.hlc = hlc;
        this.clock = clock;
        this.storeId = storeId;
        this.terminalId = terminalId;
        this.chain = chain;
        this.json = json;
        this.office = office;
    }

    /** Voids a checkout made at this terminal today, with none of it refunded yet: it is taken back whole. */
    public RefundReceipt voidCheckout(String receiptNo, Staff cashier, Staff manager) {
        return takeBack(receiptNo, List.of(), cashier, manager, RefundKind.VOID);
    }

    /**
     * Refunds the given lines of a checkout (numbered from 1), or every line not yet refunded when none is given. A
     * receipt made elsewhere is read from head office (online only); online, head office is asked for the refunds made
     * of a receipt at other terminals too.
     */
    public RefundReceipt refund(String receiptNo, List<Integer> lineNos, Staff cashier, Staff manager) {
        return takeBack(receiptNo, lineNos, cashier, manager, RefundKind.REFUND);
    }

    private RefundReceipt takeBack(String receiptNo, List<Integer> lineNos, Staff cashier, Staff manager, RefundKind kind) {
        if (!manager.may(StaffRole.MANAGER)) {
            throw new BusinessRuleException("staff.error.role", manager.id(), StaffRole.MANAGER.name());
        }
        String receipt = receiptNo == null ? "" : receiptNo.strip();
        Optional<CheckoutRecords.Stored> local = jdbi.withHandle(h -> CheckoutRecords.find(h, json, receipt));
        Optional<HeadOfficeReceipt> remote = Optional.empty();
        if (office.online()) {
            try {
                remote = office.fetch(receipt);
            } catch (BusinessRuleException unreachable) {
                if (local.isEmpty() || local.get().remote()) {
                    throw unreachable;
                }
                // Head office could not be asked just now: a receipt of this terminal's own is refunded as it knows it.
            }
        }
        if (local.isEmpty() && remote.isEmpty()) {
            throw new BusinessRuleException(office.online() ? "refund.error.unknown" : "refund.error.unknownOffline", receipt);
        }
        Optional<HeadOfficeReceipt> fromOffice = remote;
        return jdbi.inTransaction(h -> {
            Event.CheckoutCompleted c = local.map(CheckoutRecords.Stored::event)
                    .orElseGet(() -> fromOffice.get().checkout());
            members.lockForAction(h, c.memberId());
            boolean here = local.isPresent() && !local.get().remote();
            if (local.isEmpty()) {
                keepRemote(h, fromOffice.get());
            }
            // Every refund known of this checkout: made here (some perhaps not yet sent) and, online, anywhere else.
            Map<UUID, Event.CheckoutRefunded> prior = new LinkedHashMap<>();
            fromOffice.ifPresent(r -> r.refunds().forEach(x -> prior.put(x.refundId(), x)));
            CheckoutRecords.refunds(h, json, c.checkoutId()).forEach(x -> prior.put(x.refundId(), x));
            TreeSet<Integer> taken = new TreeSet<>();
            prior.values().forEach(x -> x.lines().forEach(l -> taken.add(l.lineNo())));
            int count = c.lines().size();
            List<Integer> lines;
            if (kind == RefundKind.VOID) {
                OffsetDateTime now = OffsetDateTime.now(clock);
                if (!here || !terminalId.equals(local.get().terminalId())) {
                    throw new BusinessRuleException("refund.error.voidElsewhere", receipt);
                }
                if (!c.completedAt().atZoneSameInstant(clock.getZone()).toLocalDate()
                        .equals(now.atZoneSameInstant(clock.getZone()).toLocalDate())) {
                    throw new BusinessRuleException("refund.error.voidNotToday", receipt);
                }
                if (!taken.isEmpty()) {
                    throw new BusinessRuleException("refund.error.voidAfterRefund", receipt);
                }
                lines = IntStream.rangeClosed(1, count).boxed().toList();
            } else if (lineNos.isEmpty()) {
                lines = IntStream.rangeClosed(1, count).filter(i -> !taken.contains(i)).boxed().toList();
                if (lines.isEmpty()) {
                    throw new BusinessRuleException("refund.error.allRefunded", receipt);
                }
            } else {
                lines = List.copyOf(new TreeSet<>(lineNos));
                for (int no : lines) {
                    if (no < 1 || no > count) {
                        throw new BusinessRuleException("refund.error.noLine", receipt, no, count);
                    }
                    if (taken.contains(no)) {
                        throw new BusinessRuleException("refund.error.lineRefunded", receipt, no);
                    }
                }
            }
            boolean complete = taken.size() + lines.size() == count;
            return apply(h, c, prior.values(), lines, complete, kind, cashier, manager);
        });
    }

    /** A receipt made elsewhere is kept here as head office gave it, with its purchase, so the refund can name them. */
    private void keepRemote(Handle h, HeadOfficeReceipt r) {
        Event.CheckoutCompleted c = r.checkout();
        if (!purchases.exists(h, c.purchaseId())) {
            purchases.insert(h, new Purchase(c.purchaseId(), c.memberId(), r.storeId(), c.receiptNo(), c.completedAt(),
                    c.grossFen(), PurchaseSource.SALE, c.lines().stream()
                            .map(l -> new PurchaseLine(l.sku(), l.category(), l.qty(), l.amountFen())).toList()),
                    r.terminalId());
        }
        UUID couponId = c.coupon() == null ? null : c.coupon().couponId();
        CheckoutRecords.insert(h, json, c, r.storeId(), r.terminalId(), couponId, true);
    }

    private RefundReceipt apply(Handle h, Event.CheckoutCompleted c, java.util.Collection<Event.CheckoutRefunded> prior,
                                List<Integer> lines, boolean complete, RefundKind kind, Staff cashier, Staff manager) {
        UUID memberId = c.memberId();
        RuleSet ruleSet = rules.active(h);
        OffsetDateTime now = OffsetDateTime.now(clock);
        LocalDate today = now.toLocalDate();
        long stamp = hlc.now();
        CheckoutShares.Total share = CheckoutShares.of(c).of(lines);
        boolean pointsInvolved = share.pointsRedeemed() > 0 || share.pointsEarned() > 0;
        if ((pointsInvolved || share.storedValueFen() > 0) && !chain.held(h, memberId)) {
            throw new BusinessRuleException("redeem.error.balancesNotHere");
        }

        // Points spent come back first, each part to a lot with the expiry of the lot it was spent from.
        Map<UUID, Long> returnedByLot = new HashMap<>();
        for (Event.CheckoutRefunded r : prior) {
            for (Event.PointsMove m : r.pointsReturned()) {
                returnedByLot.merge(key(m.lotId()), m.delta(), Long::sum);
            }
        }
        List<Event.PointsMove> returned = new ArrayList<>();
        long toReturn = share.pointsRedeemed();
        for (Event.SpendEntry spent : c.pointsEntries()) {
            if (toReturn == 0) {
                break;
            }
            long open = -spent.delta() - returnedByLot.getOrDefault(key(spent.lotId()), 0L);
            long take = Math.min(open, toReturn);
            if (take <= 0) {
                continue;
            }
            LocalDate expires = spent.lotId() == null ? null : lotExpiry(h, spent.lotId());
            if (expires == null) {
                expires = ruleSet.lotExpiresOn(c.completedAt().toLocalDate());
            }
            UUID id = points.append(h, memberId, take, PointsKind.REVERSE, expires, spent.lotId(), now, stamp);
            returned.add(new Event.PointsMove(id, take, spent.lotId(), expires));
            toReturn -= take;
        }
        if (toReturn > 0) {
            throw new IllegalStateException("checkout " + c.receiptNo() + ": its spends do not cover the points to return");
        }

        // Points earned are taken back: from the lot the checkout opened, then the member's other lots, oldest first.
        List<Event.PointsMove> clawed = new ArrayList<>();
        long toClaw = share.pointsEarned();
        if (toClaw > 0) {
            List<PointLots.Lot> lots = new ArrayList<>(points.lots(h, memberId));
            lots.sort((a, b) -> Boolean.compare(!a.id().equals(c.pointsEntryId()), !b.id().equals(c.pointsEntryId())));
            for (PointLots.Lot lot : lots) {
                if (toClaw == 0) {
                    break;
                }
                if (lot.expiredOn(today) || lot.remaining() <= 0) {
                    continue;
                }
                long take = Math.min(lot.remaining(), toClaw);
                UUID id = points.append(h, memberId, -take, PointsKind.REVERSE, null, lot.id(), now, stamp);
                clawed.add(new Event.PointsMove(id, -take, lot.id(), null));
                toClaw -= take;
            }
            if (toClaw > 0 && ruleSet.clawbackMayGoBelowZero()) {
                UUID id = points.append(h, memberId, -toClaw, PointsKind.REVERSE, null, null, now, stamp);
                clawed.add(new Event.PointsMove(id, -toClaw, null, null));
                toClaw = 0;
            }
        }
        long forgiven = toClaw;

        UUID svEntry = null;
        if (share.storedValueFen() > 0) {
            svEntry = storedValue.append(h, memberId, share.storedValueFen(), StoredValueKind.REVERSE, c.svEntryId(), now, stamp);
        }

        // The coupon: once the whole checkout is taken back, given back to the wallet or kept used, as the rules say.
        boolean restored = false;
        String couponCode = c.coupon() == null ? null : c.coupon().couponCode();
        if (complete && c.coupon() != null && ruleSet.refundRestoresCoupon()) {
            Optional<Coupon> coupon = coupons.findById(h, c.coupon().couponId());
            if (coupon.isPresent() && coupon.get().status() == Coupon.Status.REDEEMED
                    && !today.isAfter(coupon.get().validUntil())) {
                h.createUpdate("DELETE FROM coupon_redemption WHERE coupon_id = :c").bind("c", c.coupon().couponId()).execute();
                h.createUpdate("UPDATE coupon SET status = 'ISSUED' WHERE id = :c AND status = 'REDEEMED'")
                        .bind("c", c.coupon().couponId()).execute();
                restored = true;
            }
        }

        h.createUpdate("UPDATE purchase SET refunded_fen = refunded_fen + :g WHERE id = :p")
                .bind("g", share.grossFen()).bind("p", c.purchaseId()).execute();
        long seq = h.createQuery("SELECT NEXT VALUE FOR receipt_seq").mapTo(Long.class).one();
        String refundNo = "%s-%s-%06d".formatted(storeId, terminalId, seq);
        List<Event.RefundLine> refundLines = lines.stream()
                .map(no -> new Event.RefundLine(no, c.lines().get(no - 1).amountFen())).toList();
        Event.CheckoutRefunded event = new Event.CheckoutRefunded(Ids.next(), c.checkoutId(), c.receiptNo(), refundNo, kind,
                memberId, cashier.id(), manager.id(), now, refundLines, share.grossFen(), share.discountFen(),
                share.pointsValueFen(), share.storedValueFen(), share.payableFen(), returned, clawed, forgiven, svEntry,
                couponCode, restored, complete, ruleSet.version());
        CheckoutRecords.insertRefund(h, json, event, terminalId);
        outbox.append(h, event);
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("refund_no", refundNo);
        detail.put("cashier", cashier.id());
        detail.put("lines", lines.toString());
        detail.put("gross", Money.format(share.grossFen()));
        detail.put("payable", Money.format(share.payableFen()));
        detail.put("stored_value", Money.format(share.storedValueFen()));
        detail.put("points_returned", Long.toString(event.pointsReturnedTotal()));
        detail.put("points_clawed_back", Long.toString(event.pointsClawedBackTotal()));
        detail.put("points_forgiven", Long.toString(forgiven));
        detail.put("coupon_restored", Boolean.toString(restored));
        audit.append(h, manager.id(), kind == RefundKind.VOID ? AuditAction.CHECKOUT_VOIDED : AuditAction.CHECKOUT_REFUNDED,
                c.receiptNo(), detail);
        boolean held = chain.held(h, memberId);
        return new RefundReceipt(event.refundId(), refundNo, c.receiptNo(), kind, lines, share.grossFen(),
                share.discountFen(), share.pointsValueFen(), share.storedValueFen(), share.payableFen(),
                event.pointsReturnedTotal(), event.pointsClawedBackTotal(), forgiven, couponCode, restored, complete,
                held ? Long.valueOf(points.balance(h, memberId)) : null,
                held ? Long.valueOf(storedValue.balanceFen(h, memberId)) : null);
    }

    private static final UUID NO_LOT = new UUID(0, 0);

    private static UUID key(UUID lot) {
        return Objects.requireNonNullElse(lot, NO_LOT);
    }

    private static LocalDate lotExpiry(Handle h, UUID lotId) {
        return h.createQuery("SELECT lot_expires_on FROM points_entry WHERE id = :id").bind("id", lotId)
                .mapTo(LocalDate.class).findOne().orElse(null);
    }
}
