package dev.counterpoint.checkout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.CouponService;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.coupon.CouponTriggers;
import dev.counterpoint.coupon.SuggestionEngine;
import dev.counterpoint.history.ChainHistory;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.loyalty.TierLedger;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.protocol.PurchaseSource;
import dev.counterpoint.protocol.ReasonCode;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierReason;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.TextInput;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import dev.counterpoint.store.ReceiptNumbers;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * One checkout at the counter as one transaction: the basket, then the coupon, then points, then stored value, then
 * what is left to pay by other tenders. One receipt number, every ledger row and one {@code checkout.completed} event
 * are written together, or, when anything is refused, nothing is. Points are earned on what is left after the coupon
 * and the points (and after the stored value, unless the rules let stored value earn), at the rate of the tier the
 * member held when the checkout began. A checkout that raises the tier issues the new tier's perks with it.
 */
public final class Checkouts {
    private final Jdbi jdbi;
    private final MemberRepository members;
    private final PurchaseRepository purchases;
    private final PointsLedger points;
    private final StoredValueLedger storedValue;
    private final CouponRepository coupons;
    private final CouponService couponService;
    private final RuleSetRepository rules;
    private final TierLedger tiers;
    private final Outbox outbox;
    private final Hlc hlc;
    private final Clock clock;
    private final String storeId;
    private final String terminalId;
    private final BooleanSupplier offline;
    private final ChainHistory chain;
    private final ObjectMapper json;

    public Checkouts(Jdbi jdbi, MemberRepository members, PurchaseRepository purchases, PointsLedger points,
                     StoredValueLedger storedValue, CouponRepository coupons, CouponService couponService,
                     RuleSetRepository rules, TierLedger tiers, Outbox outbox, Hlc hlc, Clock clock, String storeId, String terminalId, BooleanSupplier offline,
                     ChainHistory chain, ObjectMapper json) {
        this.jdbi = jdbi;
        this.members = members;
        this.purchases = purchases;
        this.points = points;
        this.storedValue = storedValue;
        this.coupons = coupons;
        this.couponService = couponService;
        this.rules = rules;
        this.tiers = tiers;
        this.outbox = outbox;
        this.hlc = hlc;
        this.clock = clock;
        this.storeId = storeId;
        this.terminalId = terminalId;
        this.offline = offline;
        this.chain = chain;
        this.json = json;
    }

    /**
     * Completes a checkout rung up by {@code cashier} (whose PIN was checked). Refused, with nothing written, when the
     * basket is empty or its lines do not add up, the coupon cannot be used on this basket, or the points or stored value
     * are more than the member has or than is left to pay.
     */
    public CheckoutReceipt complete(CheckoutRequest request, Staff cashier) {
        return complete(request, cashier, (h, r, rules) -> null).receipt();
    }

    /**
     * What a checkout's transaction does as well, once its rows are written and nothing can be refused any more: the
     * counter and {@code checkout} keep its receipt there (decision 0078).
     */
    @FunctionalInterface
    public interface Also<T> {
        /** @param rules the rule set the checkout was made under */
        T in(Handle h, CheckoutReceipt checkout, RuleSet rules);
    }

    /** A committed checkout and what its transaction also made. */
    public record Completed<T>(CheckoutReceipt receipt, T also) {
    }

    /** As {@link #complete(CheckoutRequest, Staff)}, with {@code also} done in the same transaction. */
    public <T> Completed<T> complete(CheckoutRequest request, Staff cashier, Also<T> also) {
        List<PurchaseLine> lines = basket(request);
        long gross = lines.stream().mapToLong(PurchaseLine::amountFen).sum();
        if (request.points() < 0 || request.storedValueFen() < 0) {
            throw new BusinessRuleException("redeem.error.amountPositive");
        }
        return jdbi.inTransaction(h -> {
            UUID memberId = request.memberId();
            members.lockForAction(h, memberId);
            Member m = members.findById(h, memberId).orElseThrow();
            RuleSet ruleSet = rules.active(h);
            OffsetDateTime now = OffsetDateTime.now(clock);
            LocalDate today = now.toLocalDate();
            long stamp = hlc.now();
            UUID purchaseId = Ids.next();

            // 1. The coupon, on the whole basket.
            Event.CheckoutCoupon couponPart = coupon(h, m, request.coupon(), lines, gross, ruleSet, today)
                    .map(c -> redeem(h, m, c, gross, now, stamp)).orElse(null);
            long discount = couponPart == null ? 0 : couponPart.discountFen();

            // 2. Points, on what the coupon left.
            long pointsValue = 0;
            List<Event.SpendEntry> spent = List.of();
            long pointsBefore = 0;
            long pointsBeyond = 0;
            // the ledger's sum as read before the spending (null: not read), so the balance after needs no second read
            Long pointsSum = null;
            if (request.points() > 0) {
                requireBalancesHeld(h, memberId);
                if (!ruleSet.isWholeFen(request.points())) {
                    throw new BusinessRuleException("redeem.error.pointsStep",
                            ruleSet.pointsPerYuanRedeemed() / gcd(ruleSet.pointsPerYuanRedeemed(), 100));
                }
                pointsValue = ruleSet.fenForPoints(request.points());
                if (pointsValue > gross - discount) {
                    throw new BusinessRuleException("checkout.error.pointsOverBill", request.points(),
                            Money.format(pointsValue), Money.format(gross - discount));
                }
                // The ledger is read once: the lots spent from, and the balance the offline allowance looks at.
                PointsLedger.Account account = points.account(h, memberId);
                pointsSum = account.balance();
                pointsBefore = PointLots.usable(account.lots(), today);
                long allowance = offline.getAsBoolean()
                        ? Math.max(0, ruleSet.offlineAllowanceFen() * ruleSet.pointsPerYuanRedeemed() / 100
                                - Math.max(0, -account.balance()))
                        : 0;
                if (request.points() > pointsBefore + allowance) {
                    throw new BusinessRuleException("redeem.error.pointsInsufficient", request.points(), pointsBefore);
                }
                List<Event.SpendEntry> entries = new ArrayList<>(points.spend(h, memberId, account.lots(),
                        Math.min(request.points(), pointsBefore), today, now, stamp));
                if (request.points() > pointsBefore) {
                    pointsBeyond = request.points() - pointsBefore;
                    entries.add(new Event.SpendEntry(points.append(h, memberId, -pointsBeyond, PointsKind.SPEND, null, null,
                            now, stamp), -pointsBeyond, null));
                }
                spent = List.copyOf(entries);
            }

            // 3. Stored value, on what is left.
            long sv = request.storedValueFen();
            UUID svEntry = null;
            long svBefore = 0;
            long svBeyond = 0;
            if (sv > 0) {
                requireBalancesHeld(h, memberId);
                long left = gross - discount - pointsValue;
                if (sv > left) {
                    throw new BusinessRuleException("checkout.error.storedValueOverBill", Money.format(sv), Money.format(left));
                }
                svBefore = storedValue.balanceFen(h, memberId);
                long allowance = offline.getAsBoolean() ? ruleSet.offlineAllowanceFen() : 0;
                if (sv > svBefore + allowance) {
                    throw new BusinessRuleException("redeem.error.storedValueInsufficient", Money.format(sv),
                            Money.format(svBefore));
                }
                svBeyond = Math.max(0, sv - Math.max(0, svBefore));
                svEntry = storedValue.append(h, memberId, -sv, StoredValueKind.PAY, purchaseId, now, stamp);
            }

            // 4. What is left to pay otherwise, and what the checkout earns, and the receipt's number: it commits or
            // rolls back with the checkout, so a refused checkout leaves no gap.
            long seq = ReceiptNumbers.next(h);
            String receiptNo = "%s-%s-%06d".formatted(storeId, terminalId, seq);
            long payable = gross - discount - pointsValue - sv;
            long base = payable + (ruleSet.storedValueEarnsPoints() ? sv : 0);
            Purchase p = new Purchase(purchaseId, memberId, storeId, receiptNo, now, gross, PurchaseSource.SALE, lines);
            purchases.insert(h, p, terminalId);
            long earned = ruleSet.pointsFor(base, m.tier());
            LocalDate expires = earned > 0 ? ruleSet.lotExpiresOn(today) : null;
            UUID earnEntry = earned > 0
                    ? points.append(h, memberId, earned, PointsKind.EARN, expires, purchaseId, now, stamp) : null;
            long figure = tiers.figure(h, memberId, ruleSet, now);
            Optional<Tier> upgrade = TierPolicy.upgrade(ruleSet, m.tier(), figure);
            UUID tierEvent = upgrade.map(t -> tiers.record(h, memberId, m.tier(), t, TierReason.UPGRADE, figure,
                    ruleSet.version(), now, stamp)).orElse(null);
            UUID checkoutId = Ids.next();
            Event.CheckoutCompleted event = new Event.CheckoutCompleted(checkoutId, purchaseId, receiptNo, memberId,
                    cashier.id(), now, gross, PurchaseLine.toWire(lines), couponPart, discount, request.points(),
                    pointsValue, spent, pointsBefore, pointsBeyond, sv, svEntry, svBefore, svBeyond, payable, base, earned,
                    earnEntry, expires, m.tier(), upgrade.orElse(m.tier()), tierEvent, figure, ruleSet.version());
            outbox.append(h, event);
            upgrade.ifPresent(to -> issuePerks(h, memberId, to, today));
            CheckoutRecords.insert(h, json, event, storeId, terminalId, couponPart == null ? null : couponPart.couponId(),
                    false);
            boolean held = chain.held(h, memberId);
            // The balances after: what was read above, less what this checkout spent and plus what it earned.
            Long pointsAfter = !held ? null
                    : pointsSum != null ? pointsSum - request.points() + earned : points.balance(h, memberId);
            Long svAfter = !held ? null : sv > 0 ? svBefore - sv : storedValue.balanceFen(h, memberId);
            CheckoutReceipt receipt = new CheckoutReceipt(checkoutId, receiptNo, memberId, m.cardCode(), cashier.id(), now,
                    lines, gross, couponPart == null ? null : couponPart.couponCode(),
                    couponPart == null ? null : couponPart.templateId(), discount, request.points(), pointsValue, sv,
                    payable, base, earned, m.tier(), upgrade.orElse(m.tier()), figure, pointsAfter, svAfter);
            return new Completed<>(receipt, also.in(h, receipt, ruleSet));
        });
    }

    /** The basket's lines: as given (checked), or one plain line of the amount. */
    private static List<PurchaseLine> basket(CheckoutRequest request) {
        List<PurchaseLine> lines = request.lines();
        for (PurchaseLine line : lines) {
            if (line.qty() <= 0 || line.amountFen() < 0) {
                throw new BusinessRuleException("sale.error.badLine");
            }
            TextInput.check("sku", line.sku(), CheckoutService.MAX_LINE_TEXT);
            TextInput.check("category", line.category(), CheckoutService.MAX_LINE_TEXT);
        }
        long linesTotal = lines.stream().mapToLong(PurchaseLine::amountFen).sum();
        Long amount = request.amountFen();
        if (!lines.isEmpty() && amount != null && amount != linesTotal) {
            throw new BusinessRuleException("sale.error.linesMismatch", Money.format(amount), Money.format(linesTotal));
        }
        long total = lines.isEmpty() ? (amount == null ? 0 : amount) : linesTotal;
        if (total <= 0) {
            throw new BusinessRuleException("sale.error.amountRequired");
        }
        return lines.isEmpty() ? List.of(new PurchaseLine(null, null, 1, total)) : lines;
    }

    /** The coupon the request names (checked against this basket), or the best usable one, or none. */
    private Optional<Coupon> coupon(Handle h, Member m, CheckoutRequest.CouponChoice choice, List<PurchaseLine> lines,
                                    long gross, RuleSet ruleSet, LocalDate today) {
        List<String> categories = lines.stream().map(PurchaseLine::category).filter(c -> c != null).toList();
        if (choice instanceof CheckoutRequest.CouponChoice.None) {
            return Optional.empty();
        }
        if (choice instanceof CheckoutRequest.CouponChoice.Best) {
            // Only coupons that give something on this basket: a coupon that takes nothing off is never "used".
            return coupons.wallet(h, m.id()).stream()
                    .filter(c -> c.usableOn(today) && c.template().servesTier(m.tier()))
                    .filter(c -> c.template().perMemberLimit() == 0
                            || c.template().allowsAnotherUse(coupons.usedCount(h, m.id(), c.template().id())))
                    .filter(c -> gross >= c.template().minSpendFen())
                    .filter(c -> c.template().category() == null || categories.contains(c.template().category()))
                    .filter(c -> c.template().discountFor(gross) > 0)
                    .filter(c -> withinOfflineCap(m, c.template().discountFor(gross), ruleSet))
                    .max(Comparator.comparingLong((Coupon c) -> c.template().discountFor(gross))
                            .thenComparing(Coupon::validUntil, Comparator.reverseOrder())
                            .thenComparing(Coupon::code, Comparator.reverseOrder()));
        }
        Optional<Coupon> found = choice instanceof CheckoutRequest.CouponChoice.Code code
                ? coupons.findByCode(h, code.code().strip())
                : coupons.findById(h, ((CheckoutRequest.CouponChoice.Id) choice).couponId());
        Coupon c = found.filter(x -> m.id().equals(x.memberId()))
                .orElseThrow(() -> new BusinessRuleException("redeem.error.couponUnknown"));
        CheckoutService.checkUsable(c, today);
        CouponTemplate t = c.template();
        if (!t.servesTier(m.tier())) {
            throw new BusinessRuleException("redeem.error.tier", t.tier().name());
        }
        if (gross < t.minSpendFen()) {
            throw new BusinessRuleException("redeem.error.minSpend", Money.format(t.minSpendFen()), Money.format(gross));
        }
        CheckoutService.checkPerMemberLimit(h, coupons, m.id(), t);
        if (t.category() != null && !categories.contains(t.category())) {
            throw new BusinessRuleException("redeem.error.category", t.category());
        }
        if (!withinOfflineCap(m, t.discountFor(gross), ruleSet)) {
            throw new BusinessRuleException("redeem.error.offlineCap", Money.format(ruleSet.offlineAllowanceFen()));
        }
        return Optional.of(c);
    }

    /**
     * Offline, a coupon may be used freely at the member's home store; elsewhere another store may have used it already,
     * so only up to the rules' offline allowance (head office settles a double use).
     */
    private boolean withinOfflineCap(Member m, long discount, RuleSet ruleSet) {
        return !offline.getAsBoolean() || storeId.equals(m.homeStore()) || discount <= ruleSet.offlineAllowanceFen();
    }

    private Event.CheckoutCoupon redeem(Handle h, Member m, Coupon c, long gross, OffsetDateTime now, long stamp) {
        long discount = c.template().discountFor(gross);
        if (!coupons.markRedeemed(h, c.id())) {
            throw new BusinessRuleException("redeem.error.couponUsed");
        }
        UUID redemptionId = Ids.next();
        coupons.insertRedemption(h, redemptionId, c.id(), m.id(), gross, discount, terminalId, now, stamp);
        return new Event.CheckoutCoupon(redemptionId, c.id(), c.code(), c.template().id(), SuggestionEngine.issuedFor(c),
                discount);
    }

    /**
     * The perks of the tier a checkout raised the member to, issued in its transaction after its event, so that its
     * receipt lists them with the rest of the wallet; the member's upkeep would issue the same ones on the next read.
     */
    private void issuePerks(Handle h, UUID memberId, Tier to, LocalDate today) {
        var lastIssued = coupons.memberCoupons(h, memberId).lastIssuedByTemplate();
        for (CouponTemplate t : CouponTriggers.perksOfUpgrade(coupons.knownTemplates(h).active(), to, today, lastIssued)) {
            couponService.issue(h, memberId, t, Coupon.TRIGGER_PREFIX + ReasonCode.TIER_PERK.name());
        }
    }

    private void requireBalancesHeld(Handle h, UUID memberId) {
        if (!chain.held(h, memberId)) {
            throw new BusinessRuleException("redeem.error.balancesNotHere");
        }
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** The event as written, read back (for a receipt reprinted or refunded). */
    static Event.CheckoutCompleted read(ObjectMapper json, String payload) {
        try {
            return (Event.CheckoutCompleted) ProtocolJson.readEvent(json, "checkout.completed", json.readTree(payload));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored checkout is not JSON", e);
        }
    }
}
