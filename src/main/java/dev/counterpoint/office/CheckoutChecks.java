package dev.counterpoint.office;

import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.protocol.CheckoutShares;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.Limits;
import dev.counterpoint.protocol.ReasonCode;
import dev.counterpoint.protocol.RefundKind;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.Tier;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * What a checkout and a refund must satisfy at head office, checked as if a stolen till had sent them: the sender's own
 * receipts and staff, amounts that add up, points earned as the named rule set gives them on the earning base, a coupon
 * that is the member's own and gives the discount claimed; a refund of a checkout head office holds, taking back exactly
 * the shares of its lines ({@link CheckoutShares}), approved by a manager.
 */
final class CheckoutChecks {
    /** A void is made the same day at the checkout's own terminal: at most this long after it, whatever the zone. */
    static final Duration VOID_WITHIN = Duration.ofHours(26);

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = dev.counterpoint.protocol.ProtocolJson.newMapper();

    private CheckoutChecks() {}

    static void completed(EventChecks checks, Handle h, TerminalIdentity who, Event.CheckoutCompleted c) {
        String prefix = who.storeId() + "-" + who.terminalId() + "-";
        if (!c.receiptNo().startsWith(prefix)) {
            throw new Projector.Unusable("receipt_no " + c.receiptNo() + " is not one of the sender's (" + prefix + "…)");
        }
        if (h.createQuery("SELECT COUNT(*) FROM checkout WHERE receipt_no = :r OR id = :id").bind("r", c.receiptNo())
                .bind("id", c.checkoutId()).mapTo(Integer.class).one() > 0) {
            throw new Projector.Unusable("checkout " + c.receiptNo() + " is already held");
        }
        staff(h, who, c.staffId(), StaffRole.CASHIER);
        Optional<RuleSet> rules = checks.rules(h, who, c.ruleSetVersion());
        if (rules.isPresent()) {
            RuleSet r = rules.get();
            long base = c.payableFen() + (r.storedValueEarnsPoints() ? c.storedValueFen() : 0);
            if (c.earningBaseFen() != base) {
                throw new Projector.Unusable("earning_base_fen " + c.earningBaseFen() + " is not what rule set "
                        + c.ruleSetVersion() + " earns on (" + base + ")");
            }
            long expected = r.pointsFor(base, c.tierBefore());
            if (c.pointsEarned() != expected) {
                throw new Projector.Unusable("points_earned " + c.pointsEarned() + " is not what rule set "
                        + c.ruleSetVersion() + " gives " + c.tierBefore() + " for " + base + " fen (" + expected + ")");
            }
            if (c.pointsRedeemed() > 0 && r.fenForPoints(c.pointsRedeemed()) != c.pointsValueFen()) {
                throw new Projector.Unusable("points_value_fen does not match " + c.pointsRedeemed() + " points under rule set "
                        + c.ruleSetVersion());
            }
        } else if (c.pointsEarned() > Limits.maxPointsFor(c.earningBaseFen())) {
            throw new Projector.Unusable("points_earned " + c.pointsEarned() + " is more than any rule set gives for "
                    + c.earningBaseFen() + " fen");
        }
        checks.upgrade(h, who, c.memberId(), c.tierBefore(), c.tierAfter(), c.tierFigure(), c.ruleSetVersion());
        if (c.coupon() != null) {
            Event.CheckoutCoupon k = c.coupon();
            EventChecks.coupon(h, new Event.CouponRedeemed(k.redemptionId(), k.couponId(), k.couponCode(), k.templateId(),
                    c.memberId(), k.reason(), c.grossFen(), k.discountFen(), c.completedAt()));
            String template = h.createQuery("SELECT template_id FROM coupon WHERE code = :c").bind("c", k.couponCode())
                    .mapTo(String.class).one();
            Optional<CouponTemplate> t = new CouponRepository().template(h, template);
            if (t.isPresent()) {
                long gives = t.get().discountFor(c.grossFen());
                if (c.grossFen() < t.get().minSpendFen() || k.discountFen() != gives) {
                    throw new Projector.Unusable("coupon " + k.couponCode() + " gives " + gives + " fen on "
                            + c.grossFen() + " fen (minimum spend " + t.get().minSpendFen() + "), not " + k.discountFen());
                }
            }
        }
    }

    static void refunded(EventChecks checks, Handle h, TerminalIdentity who, Event.CheckoutRefunded r) {
        record Held(String payload, String terminalId, String storeId) {
        }
        Held held = h.createQuery("SELECT payload, terminal_id, store_id FROM checkout WHERE id = :id")
                .bind("id", r.checkoutId()).map((rs, ctx) -> new Held(rs.getString(1), rs.getString(2), rs.getString(3)))
                .findOne().orElseThrow(() -> new Projector.Unusable("checkout " + r.receiptNo() + " is unknown at head office"));
        Event.CheckoutCompleted c = CheckoutProjection.read(JSON, held.payload());
        if (!c.receiptNo().equals(r.receiptNo()) || !c.memberId().equals(r.memberId())) {
            throw new Projector.Unusable("refund " + r.refundNo() + " does not match checkout " + c.receiptNo());
        }
        String prefix = who.storeId() + "-" + who.terminalId() + "-";
        if (!r.refundNo().startsWith(prefix)) {
            throw new Projector.Unusable("refund_no " + r.refundNo() + " is not one of the sender's (" + prefix + "…)");
        }
        staff(h, who, r.staffId(), StaffRole.CASHIER);
        staff(h, who, r.managerId(), StaffRole.MANAGER);
        if (r.kind() == RefundKind.VOID) {
            if (!held.storeId().equals(who.storeId()) || !held.terminalId().equals(who.terminalId())) {
                throw new Projector.Unusable("a void is made at the checkout's own terminal");
            }
            if (r.refundedAt().isAfter(c.completedAt().plus(VOID_WITHIN)) || r.refundedAt().isBefore(c.completedAt())) {
                throw new Projector.Unusable("a void is made the day of the checkout");
            }
        }
        int count = c.lines().size();
        Set<Integer> lines = new HashSet<>();
        for (Event.RefundLine l : r.lines()) {
            if (l.lineNo() > count || c.lines().get(l.lineNo() - 1).amountFen() != l.amountFen()) {
                throw new Projector.Unusable("line " + l.lineNo() + " is not a line of checkout " + c.receiptNo()
                        + " with that amount");
            }
            lines.add(l.lineNo());
        }
        CheckoutShares.Total share = CheckoutShares.of(c).of(lines);
        if (share.discountFen() != r.discountFen() || share.pointsValueFen() != r.pointsValueFen()
                || share.storedValueFen() != r.storedValueFen() || share.payableFen() != r.payableFen()) {
            throw new Projector.Unusable("refund " + r.refundNo() + " does not take back its lines' shares of checkout "
                    + c.receiptNo() + " (discount " + share.discountFen() + ", points " + share.pointsValueFen()
                    + ", stored value " + share.storedValueFen() + ", paid " + share.payableFen() + " fen)");
        }
        if (r.pointsReturnedTotal() != share.pointsRedeemed()) {
            throw new Projector.Unusable("points_returned " + r.pointsReturnedTotal() + " is not the lines' "
                    + share.pointsRedeemed() + " points spent");
        }
        if (r.pointsClawedBackTotal() + r.pointsForgiven() != share.pointsEarned()) {
            throw new Projector.Unusable("points clawed back and forgiven (" + (r.pointsClawedBackTotal() + r.pointsForgiven())
                    + ") are not the lines' " + share.pointsEarned() + " points earned");
        }
        Set<UUID> lots = new HashSet<>();
        boolean beyond = false;
        for (Event.SpendEntry s : c.pointsEntries()) {
            if (s.lotId() == null) {
                beyond = true;
            } else {
                lots.add(s.lotId());
            }
        }
        for (Event.PointsMove m : r.pointsReturned()) {
            if (m.lotId() == null ? !beyond : !lots.contains(m.lotId())) {
                throw new Projector.Unusable("points are returned to a lot the checkout did not spend from");
            }
        }
        if (r.couponRestored() && (!r.complete() || c.coupon() == null
                || !c.coupon().couponCode().equals(r.couponCode()))) {
            throw new Projector.Unusable("coupon_restored for a coupon the whole checkout did not use");
        }
        if (r.pointsForgiven() > 0 || r.couponRestored()) {
            checks.rules(h, who, r.ruleSetVersion()).ifPresent(rules -> {
                if (r.couponRestored() && !rules.refundRestoresCoupon()) {
                    throw new Projector.Unusable("rule set " + r.ruleSetVersion() + " keeps a refunded checkout's coupon used");
                }
            });
        }
        if (r.upgradeUndone() != null) {
            upgradeUndone(checks, h, who, c, r);
        }
        List<Integer> taken = h.createQuery("SELECT line_no FROM refund_line WHERE checkout_id = :c")
                .bind("c", r.checkoutId()).mapTo(Integer.class).list();
        Set<Integer> after = new HashSet<>(taken);
        after.addAll(lines);
        if (r.complete() && after.size() != count && taken.stream().noneMatch(lines::contains)) {
            throw new Projector.Unusable("refund " + r.refundNo() + " says it completes checkout " + c.receiptNo()
                    + " but lines remain");
        }
    }

    /**
     * A void takes back only the raise its own checkout made (decision 0091; only a void at the checkout's own terminal
     * gets here, checked above): from the checkout's {@code tier_after}, never below its {@code tier_before}, to the tier
     * the figure left reaches in a rule set head office knows, which no longer reaches the raised tier. The perks it voids
     * are the member's own tier perks, issued by the till's trigger since the checkout.
     */
    private static void upgradeUndone(EventChecks checks, Handle h, TerminalIdentity who, Event.CheckoutCompleted c,
                                      Event.CheckoutRefunded r) {
        Event.UpgradeUndone u = r.upgradeUndone();
        if (c.tierAfter().compareTo(c.tierBefore()) <= 0 || u.fromTier() != c.tierAfter()) {
            throw new Projector.Unusable("checkout " + c.receiptNo() + " raised no tier to " + u.fromTier()
                    + ": its void lowers none");
        }
        if (u.toTier().compareTo(c.tierBefore()) < 0) {
            throw new Projector.Unusable("a void lowers a tier no further than its checkout's tier_before, "
                    + c.tierBefore() + ", not to " + u.toTier());
        }
        RuleSet rules = checks.rules(h, who, r.ruleSetVersion()).orElseThrow(() -> new Projector.Unusable(
                "rule_set_version " + r.ruleSetVersion() + " is unknown at head office: a tier taken back is checked"
                        + " against its rule set"));
        Tier reached = TierPolicy.qualifying(rules, u.figure());
        Tier expected = reached.compareTo(c.tierBefore()) > 0 ? reached : c.tierBefore();
        if (u.toTier() != expected) {
            throw new Projector.Unusable("figure " + u.figure() + " keeps " + expected + " in rule set "
                    + r.ruleSetVersion() + ", not " + u.toTier());
        }
        UUID member = Projector.resolve(h, r.memberId());
        String perk = Coupon.TRIGGER_PREFIX + ReasonCode.TIER_PERK.name();
        for (String code : u.perksVoided()) {
            record Held(UUID holder, String issuedBy, java.time.OffsetDateTime issuedAt) {
            }
            Optional<Held> held = h.createQuery("""
                    SELECT COALESCE(m.survivor_id, m.id), c.issued_by, c.issued_at
                    FROM coupon c JOIN member m ON m.id = c.member_id WHERE c.code = :code""")
                    .bind("code", code).map((rs, ctx) -> new Held(rs.getObject(1, UUID.class), rs.getString(2),
                            rs.getObject(3, java.time.OffsetDateTime.class))).findOne();
            if (held.isEmpty() || !held.get().holder().equals(member) || !perk.equals(held.get().issuedBy())
                    || held.get().issuedAt().isBefore(c.completedAt())) {
                throw new Projector.Unusable("coupon " + code + " is not a tier perk issued to the member since checkout "
                        + c.receiptNo());
            }
        }
    }

    /** A staff id an event names must be an active account of the sender's store (or of every store) with the role. */
    static void staff(Handle h, TerminalIdentity who, String staffId, StaffRole needed) {
        StaffRole role = OfficeStaff.roleAt(h, staffId, who.storeId())
                .orElseThrow(() -> new Projector.Unusable("staff " + staffId + " is not an account of store " + who.storeId()));
        if (!role.atLeast(needed)) {
            throw new Projector.Unusable("staff " + staffId + " is a " + role + ", not a " + needed);
        }
    }
}
