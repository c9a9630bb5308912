package dev.counterpoint.checkout;

import dev.counterpoint.coupon.Basket;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.history.ChainHistory;
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
import dev.counterpoint.protocol.Limits;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.PurchaseSource;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierReason;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.TextInput;
import dev.counterpoint.shared.Money;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import dev.counterpoint.store.ReceiptNumbers;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The counter's business actions. Each runs in one transaction that locks the member row (so two
 * actions on one member never both spend the same balance) and writes its outbox event.
 * A refused action throws {@link BusinessRuleException} and writes nothing.
 */
public final class CheckoutService {
    /** A line's sku or category, as purchase_line holds it. */
    static final int MAX_LINE_TEXT = 64;
    /** A single top-up above this is refused as a likely typing error (¥100,000). */
    static final long MAX_TOP_UP_FEN = Limits.MAX_TOP_UP_FEN;

    private final Jdbi jdbi;
    private final MemberRepository members;
    private final PurchaseRepository purchases;
    private final PointsLedger points;
    private final StoredValueLedger storedValue;
    private final CouponRepository coupons;
    private final RuleSetRepository rules;
    private final TierLedger tiers;
    private final Outbox outbox;
    private final Hlc hlc;
    private final Clock clock;
    private final String storeId;
    private final String terminalId;
    private final BooleanSupplier offline;
    private final ChainHistory chain;

    public CheckoutService(Jdbi jdbi, MemberRepository members, PurchaseRepository purchases, PointsLedger points,
                           StoredValueLedger storedValue, CouponRepository coupons, RuleSetRepository rules,
                           TierLedger tiers, Outbox outbox, Hlc hlc, Clock clock, String storeId, String terminalId,
                           BooleanSupplier offline, ChainHistory chain) {
        this.jdbi = jdbi;
        this.members = members;
        this.purchases = purchases;
        this.points = points;
        this.storedValue = storedValue;
        this.coupons = coupons;
        this.rules = rules;
        this.tiers = tiers;
        this.outbox = outbox;
        this.hlc = hlc;
        this.clock = clock;
        this.storeId = storeId;
        this.terminalId = terminalId;
        this.offline = offline;
        this.chain = chain;
    }

    /**
     * Records a sale. With lines, the total is their sum (and {@code amountFen}, if given, must match);
     * without, the amount alone is recorded. Points are earned at the rate of the tier the member held when
     * the sale began (so the points never decide their own rate); if the sale's spend (or points) reaches a
     * higher tier, the member goes up at once, recorded with its reason in the same transaction and event.
     */
    public SaleReceipt recordSale(UUID memberId, Long amountFen, List<PurchaseLine> lines) {
        long linesTotal = lines.stream().mapToLong(PurchaseLine::amountFen).sum();
        for (PurchaseLine line : lines) {
            if (line.qty() <= 0 || line.amountFen() < 0) {
                throw new BusinessRuleException("sale.error.badLine");
            }
            TextInput.check("sku", line.sku(), MAX_LINE_TEXT);
            TextInput.check("category", line.category(), MAX_LINE_TEXT);
        }
        long total = lines.isEmpty() ? (amountFen == null ? 0 : amountFen) : linesTotal;
        if (!lines.isEmpty() && amountFen != null && amountFen != linesTotal) {
            throw new BusinessRuleException("sale.error.linesMismatch", Money.format(amountFen), Money.format(linesTotal));
        }
        if (total <= 0) {
            throw new BusinessRuleException("sale.error.amountRequired");
        }
        List<PurchaseLine> recorded = lines.isEmpty() ? List.of(new PurchaseLine(null, null, 1, total)) : List.copyOf(lines);
        return jdbi.inTransaction(h -> {
            Member m = lockMember(h, memberId);
            RuleSet ruleSet = rules.active(h);
            OffsetDateTime now = OffsetDateTime.now(clock);
            long seq = ReceiptNumbers.next(h);
            String receiptNo = "%s-%s-%06d".formatted(storeId, terminalId, seq);
            Purchase p = new Purchase(Ids.next(), memberId, storeId, receiptNo, now, total, PurchaseSource.SALE, recorded);
            purchases.insert(h, p, terminalId);
            long earned = ruleSet.pointsFor(total, m.tier());
            long stamp = hlc.now();
            UUID entry = earned > 0
                    ? points.append(h, memberId, earned, PointsKind.EARN,
                            ruleSet.lotExpiresOn(now.toLocalDate()), p.id(), now, stamp)
                    : null;
            long figure = tiers.figure(h, memberId, ruleSet, now);
            Optional<Tier> upgrade = TierPolicy.upgrade(ruleSet, m.tier(), figure);
            UUID tierEvent = upgrade.map(t -> tiers.record(h, memberId, m.tier(), t, TierReason.UPGRADE, figure,
                    ruleSet.version(), now, stamp)).orElse(null);
            outbox.append(h, new Event.SaleRecorded(p.id(), receiptNo, memberId, now, total, PurchaseLine.toWire(recorded),
                    earned, entry, entry == null ? null : ruleSet.lotExpiresOn(now.toLocalDate()), m.tier(),
                    upgrade.orElse(m.tier()), tierEvent, figure, ruleSet.version()));
            return new SaleReceipt(p.id(), receiptNo, total, earned, m.tier(), upgrade.orElse(m.tier()));
        });
    }

    /**
     * Redeems a suggestion: a wallet coupon is used once (single use enforced here and by the database);
     * expiring points are spent for money off.
     *
     * @param basket the purchase so far: its amount is needed for percentage coupons and minimum spends, its
     *               categories (when known) for category coupons
     */
    public Redemption redeem(UUID memberId, Suggestion suggestion, Basket basket) {
        if (suggestion.isPoints()) {
            return redeemPoints(memberId, suggestion.points());
        }
        return jdbi.inTransaction(h -> {
            Member m = lockMember(h, memberId);
            OffsetDateTime now = OffsetDateTime.now(clock);
            LocalDate today = now.toLocalDate();
            Coupon coupon = coupons.findById(h, suggestion.couponId())
                    .filter(c -> memberId.equals(c.memberId()))
                    .orElseThrow(() -> new BusinessRuleException("redeem.error.couponUnknown"));
            checkUsable(coupon, today);
            CouponTemplate t = coupon.template();
            if (!t.servesTier(m.tier())) {
                throw new BusinessRuleException("redeem.error.tier", t.tier().name());
            }
            Long basketFen = basket.amountFen();
            if (t.needsBasket() && basketFen == null) {
                throw t.minSpendFen() > 0
                        ? new BusinessRuleException("redeem.error.basketRequired", Money.format(t.minSpendFen()))
                        : new BusinessRuleException("redeem.error.basketRequiredPercent");
            }
            if (basketFen != null && basketFen < t.minSpendFen()) {
                throw new BusinessRuleException("redeem.error.minSpend", Money.format(t.minSpendFen()), Money.format(basketFen));
            }
            checkPerMemberLimit(h, coupons, memberId, t);
            if (t.category() != null && (basket.categories() == null || !basket.categories().contains(t.category()))) {
                throw new BusinessRuleException("redeem.error.category", t.category());
            }
            long discount = t.discountFor(basketFen);
            // Offline, a coupon may be redeemed freely at the member's home store; elsewhere another store may have
            // used it already, so only up to the rules' offline allowance (head office settles a double use).
            long cap = rules.active(h).offlineAllowanceFen();
            if (offline.getAsBoolean() && !storeId.equals(m.homeStore()) && discount > cap) {
                throw new BusinessRuleException("redeem.error.offlineCap", Money.format(cap));
            }
            if (!coupons.markRedeemed(h, coupon.id())) {
                throw new BusinessRuleException("redeem.error.couponUsed");
            }
            UUID redemptionId = Ids.next();
            long stamp = hlc.now();
            coupons.insertRedemption(h, redemptionId, coupon.id(), memberId, basketFen, discount, terminalId, now, stamp);
            outbox.append(h, new Event.CouponRedeemed(redemptionId, coupon.id(), coupon.code(), t.id(), memberId,
                    suggestion.reason(), basketFen, discount, now));
            return new Redemption(Redemption.Kind.COUPON, coupon.id(), discount, 0, 0);
        });
    }

    /**
     * In a chain, a member's balances are here only where their records are (decision 0039): spending from this store's
     * part of them could spend what the member already spent elsewhere.
     */
    private void requireBalancesHeld(Handle h, UUID memberId) {
        if (!chain.held(h, memberId)) {
            throw new BusinessRuleException("redeem.error.balancesNotHere");
        }
    }

    /** Spends points for money off, at the rule set's rate; never more than the balance. */
    public Redemption redeemPoints(UUID memberId, long pointsToSpend) {
        if (pointsToSpend <= 0) {
            throw new BusinessRuleException("redeem.error.pointsPositive");
        }
        return jdbi.inTransaction(h -> {
            lockMember(h, memberId);
            requireBalancesHeld(h, memberId);
            RuleSet ruleSet = rules.active(h);
            if (!ruleSet.isWholeFen(pointsToSpend)) {
                throw new BusinessRuleException("redeem.error.pointsStep", ruleSet.pointsPerYuanRedeemed() / gcd(ruleSet.pointsPerYuanRedeemed(), 100));
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            long balance = PointLots.usable(points.lots(h, memberId), now.toLocalDate());
            // Offline, head office may know of spending elsewhere: the rules' allowance bounds what a member can owe.
            long allowance = offline.getAsBoolean()
                    ? Math.max(0, ruleSet.offlineAllowanceFen() * ruleSet.pointsPerYuanRedeemed() / 100
                            - Math.max(0, -points.balance(h, memberId)))
                    : 0;
            if (pointsToSpend > balance + allowance) {
                throw new BusinessRuleException("redeem.error.pointsInsufficient", pointsToSpend, balance);
            }
            long discount = ruleSet.fenForPoints(pointsToSpend);
            long stamp = hlc.now();
            List<UUID> entries = new java.util.ArrayList<>(points.spend(h, memberId, Math.min(pointsToSpend, balance),
                    now.toLocalDate(), now, stamp));
            if (pointsToSpend > balance) {
                entries.add(points.append(h, memberId, -(pointsToSpend - balance), PointsKind.SPEND, null, null, now, stamp));
            }
            UUID entry = entries.get(0);
            // Per lot: id, delta, lot, so head office keeps the same rows.
            outbox.append(h, new Event.PointsRedeemed(entries, points.describe(h, entries), memberId, pointsToSpend, discount,
                    balance, Math.max(0, pointsToSpend - balance), ruleSet.version(), now));
            return new Redemption(Redemption.Kind.POINTS, entry, discount, pointsToSpend, balance - pointsToSpend);
        });
    }

    /** Pays from stored value; never more than the balance. */
    public Redemption payWithStoredValue(UUID memberId, long amountFen) {
        if (amountFen <= 0) {
            throw new BusinessRuleException("redeem.error.amountPositive");
        }
        return jdbi.inTransaction(h -> {
            lockMember(h, memberId);
            requireBalancesHeld(h, memberId);
            long balance = storedValue.balanceFen(h, memberId);
            long allowance = offline.getAsBoolean() ? rules.active(h).offlineAllowanceFen() : 0;
            if (amountFen > balance + allowance) {
                throw new BusinessRuleException("redeem.error.storedValueInsufficient", Money.format(amountFen), Money.format(balance));
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            UUID entry = storedValue.append(h, memberId, -amountFen, StoredValueKind.PAY, null, now, hlc.now());
            outbox.append(h, new Event.StoredValuePaid(entry, memberId, amountFen, balance,
                    Math.max(0, amountFen - Math.max(0, balance)), now));
            return new Redemption(Redemption.Kind.STORED_VALUE, entry, amountFen, 0, balance - amountFen);
        });
    }

    /**
     * Tops up stored value, with the rules' bonus step if one is reached (top up ¥500, get ¥50): the
     * paid amount and the bonus are separate ledger entries, one event.
     */
    public TopUp topUp(UUID memberId, long amountFen) {
        if (amountFen <= 0) {
            throw new BusinessRuleException("redeem.error.amountPositive");
        }
        if (amountFen > MAX_TOP_UP_FEN) {
            throw new BusinessRuleException("topUp.error.tooLarge", Money.format(MAX_TOP_UP_FEN));
        }
        return jdbi.inTransaction(h -> {
            lockMember(h, memberId);
            RuleSet ruleSet = rules.active(h);
            long bonus = ruleSet.topUpBonusFen(amountFen);
            OffsetDateTime now = OffsetDateTime.now(clock);
            long stamp = hlc.now();
            UUID entry = storedValue.append(h, memberId, amountFen, StoredValueKind.TOPUP, null, now, stamp);
            UUID bonusEntry = bonus > 0
                    ? storedValue.append(h, memberId, bonus, StoredValueKind.BONUS, entry, now, stamp) : null;
            long balance = storedValue.balanceFen(h, memberId);
            outbox.append(h, new Event.StoredValueToppedUp(entry, bonusEntry, memberId, amountFen, bonus, balance,
                    ruleSet.version(), now));
            return new TopUp(entry, amountFen, bonus, chain.held(h, memberId) ? Long.valueOf(balance) : null);
        });
    }

    /**
     * What a top-up added, for the receipt line.
     *
     * @param balanceAfterFen the balance after, when this store holds the member's (null: only its own part is here) */
    public record TopUp(UUID entryId, long amountFen, long bonusFen, Long balanceAfterFen) {
    }

    private Member lockMember(Handle h, UUID memberId) {
        members.lockForAction(h, memberId);
        return members.findById(h, memberId).orElseThrow();
    }

    /** A template with a per-member limit: refused once the member has used that many coupons of it, at any store. */
    static void checkPerMemberLimit(org.jdbi.v3.core.Handle h, CouponRepository coupons, java.util.UUID member,
                                    CouponTemplate t) {
        if (t.perMemberLimit() > 0 && !t.allowsAnotherUse(coupons.usedCount(h, member, t.id()))) {
            throw new BusinessRuleException("redeem.error.perMemberLimit", t.perMemberLimit());
        }
    }

    static void checkUsable(Coupon c, LocalDate today) {
        switch (c.status()) {
            case REDEEMED -> throw new BusinessRuleException("redeem.error.couponUsed");
            case VOID -> throw new BusinessRuleException("redeem.error.couponVoid");
            case ISSUED -> {
                if (today.isAfter(c.validUntil())) {
                    throw new BusinessRuleException("redeem.error.couponExpired", c.validUntil().toString());
                }
                if (today.isBefore(c.validFrom())) {
                    throw new BusinessRuleException("redeem.error.couponNotYetValid", c.validFrom().toString());
                }
            }
        }
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
