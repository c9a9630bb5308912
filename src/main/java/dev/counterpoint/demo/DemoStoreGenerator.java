package dev.counterpoint.demo;

import dev.counterpoint.catalog.ProductRepository;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.CouponService;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.demo.MemberPlan.PlannedCoupon;
import dev.counterpoint.demo.MemberPlan.TopUp;
import dev.counterpoint.demo.MemberPlan.Visit;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.loyalty.TierLedger;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.member.NewMember;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.PurchaseSource;
import dev.counterpoint.protocol.ReasonCode;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.TierReason;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Fills an empty store with demo members, their purchases, points, stored value and coupons, written
 * through the same repositories and ledgers as the counter, each action with its outbox event in
 * the same transaction, so a demo store syncs to head office like a real one.
 *
 * <p>Members are planned one at a time ({@link DemoPlanner}) and written in batches of
 * {@link #BATCH_MEMBERS} per transaction; nothing is read per member, so the cost grows linearly.
 */
public final class DemoStoreGenerator {
    public static final int DEFAULT_MEMBERS = 400;
    static final int BATCH_MEMBERS = 100;

    /** Told after each committed batch. */
    @FunctionalInterface
    public interface Progress {
        void membersWritten(int written, int total);
    }

    /** What was written; {@code events} counts every outbox event (one per action). */
    public record Summary(int members, int purchases, int coupons, int couponsUsed, int topUps, int events) {
    }

    private final Jdbi jdbi;
    private final ProductRepository products;
    private final MemberRepository members;
    private final PurchaseRepository purchases;
    private final PointsLedger points;
    private final StoredValueLedger storedValue;
    private final CouponRepository coupons;
    private final CouponService couponService;
    private final TierLedger tiers;
    private final RuleSetRepository rules;
    private final Outbox outbox;
    private final Hlc hlc;
    private final Clock clock;
    private final String storeId;
    private final String terminalId;

    public DemoStoreGenerator(Jdbi jdbi, MemberRepository members, PurchaseRepository purchases, PointsLedger points,
                              StoredValueLedger storedValue, CouponRepository coupons, CouponService couponService,
                              TierLedger tiers, RuleSetRepository rules, Outbox outbox, Hlc hlc, Clock clock, String storeId,
                              String terminalId, ProductRepository products) {
        this.products = products;
        this.jdbi = jdbi;
        this.members = members;
        this.purchases = purchases;
        this.points = points;
        this.storedValue = storedValue;
        this.coupons = coupons;
        this.couponService = couponService;
        this.tiers = tiers;
        this.rules = rules;
        this.outbox = outbox;
        this.hlc = hlc;
        this.clock = clock;
        this.storeId = storeId;
        this.terminalId = terminalId;
    }

    public long memberCount() {
        return jdbi.withHandle(DemoStoreGenerator::countMembers);
    }

    /**
     * Writes the {@link Showcase} members and {@code generated} more. Refuses, writing nothing, when
     * the store already has members: a demo store never mixes with real or earlier demo data.
     */
    public Summary generate(int generated, Progress progress) {
        if (generated < 0) {
            throw new IllegalArgumentException("member count must not be negative: " + generated);
        }
        Setup setup = jdbi.inTransaction(h -> {
            long existing = countMembers(h);
            if (existing > 0) {
                throw new BusinessRuleException("demo.error.notEmpty", existing);
            }
            List<CouponTemplate> templates = coupons.templates(h);
            Map<String, CouponTemplate> byId = templates.stream()
                    .collect(Collectors.toMap(CouponTemplate::id, Function.identity()));
            Map<CouponTemplate.Trigger, CouponTemplate> byTrigger = new EnumMap<>(CouponTemplate.Trigger.class);
            templates.forEach(t -> byTrigger.putIfAbsent(t.trigger(), t));
            // the café's catalogue, so its purchase lines read as products rather than SKU codes
            DemoCatalog.all().forEach(p -> products.put(h, p.inCatalogue(), OffsetDateTime.now(clock)));
            return new Setup(rules.active(h), byTrigger, byId);
        });
        DemoPlanner planner = new DemoPlanner(LocalDate.now(clock), clock.getZone(), setup.triggers(), storeId, setup.rules());
        Showcase[] showcases = Showcase.values();
        int total = showcases.length + generated;
        Tally tally = new Tally();
        List<MemberPlan> batch = new ArrayList<>(BATCH_MEMBERS);
        for (int i = 0; i < total; i++) {
            batch.add(i < showcases.length ? planner.showcase(showcases[i]) : planner.member(i - showcases.length));
            if (batch.size() == BATCH_MEMBERS || i == total - 1) {
                jdbi.useTransaction(h -> batch.forEach(plan -> write(h, plan, setup, tally)));
                batch.clear();
                progress.membersWritten(i + 1, total);
            }
        }
        return new Summary(tally.members, tally.purchases, tally.coupons, tally.couponsUsed, tally.topUps, tally.events);
    }

    private static long countMembers(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM member").mapTo(Long.class).one();
    }

    private void write(Handle h, MemberPlan plan, Setup setup, Tally tally) {
        NewMember m = plan.member();
        members.insert(h, m, hlc.now());
        Event.MemberEnrolled joined = MemberService.enrolled(m, members.phoneHmac(m.normalisedPhone()),
                members.phoneBox(h, m.normalisedPhone()));
        if (m.source() == EnrolmentSource.COUNTER) {
            if (plan.openingPoints() != 0 || plan.openingStoredValueFen() != 0) {
                throw new IllegalArgumentException("a member enrolled at the counter starts with no balances");
            }
            // What MemberService.enrol writes: the demo's counter enrolment looks exactly like a real one.
            event(h, tally, joined);
        } else {
            UUID pointsEntry = plan.openingPoints() > 0
                    ? points.append(h, m.id(), plan.openingPoints(), PointsKind.OPENING, plan.openingPointsExpireOn(),
                            null, plan.openedAt(), hlc.now())
                    : null;
            UUID svEntry = plan.openingStoredValueFen() > 0
                    ? storedValue.append(h, m.id(), plan.openingStoredValueFen(), StoredValueKind.OPENING, null,
                            plan.openedAt(), hlc.now())
                    : null;
            event(h, tally, Event.MemberImported.of(joined, plan.openingPoints(),
                    pointsEntry == null ? null : plan.openingPointsExpireOn(), pointsEntry, plan.openingStoredValueFen(), svEntry));
        }
        recordLastReview(h, plan, setup.rules(), tally);
        tally.members++;
        for (TopUp t : plan.topUps()) {
            UUID entry = storedValue.append(h, m.id(), t.amountFen(), StoredValueKind.TOPUP, null, t.at(), hlc.now());
            event(h, tally, new Event.StoredValueToppedUp(entry, null, m.id(), t.amountFen(), 0, null, null, t.at()));
            tally.topUps++;
        }
        for (Visit v : plan.visits()) {
            writePurchase(h, m, v, setup.rules(), tally);
        }
        for (PlannedCoupon c : plan.coupons()) {
            writeCoupon(h, m, c, setup.templatesById().get(c.templateId()), tally);
        }
    }

    private void writePurchase(Handle h, NewMember m, Visit v, RuleSet ruleSet, Tally tally) {
        String receiptNo = "%s-DEMO-%07d".formatted(storeId, ++tally.purchases);
        Purchase p = new Purchase(Ids.next(), m.id(), storeId, receiptNo, v.at(), v.totalFen(), PurchaseSource.DEMO, v.lines());
        purchases.insert(h, p, terminalId);
        long earned = ruleSet.pointsFor(p.totalFen(), m.tier());
        LocalDate expires = v.at().toLocalDate().plusDays(ruleSet.pointsLifetimeDays());
        UUID entry = earned > 0 ? points.append(h, m.id(), earned, PointsKind.EARN, expires, p.id(), v.at(), hlc.now()) : null;
        // The importer's purchase.imported shape, plus what a demo purchase also did: its receipt and points.
        event(h, tally, new Event.PurchaseImported(p.id(), m.id(), m.cardCode(), v.at(), p.totalFen(),
                PurchaseLine.toWire(v.lines()), PurchaseSource.DEMO, receiptNo, earned, entry, entry == null ? null : expires,
                ruleSet.version()));
    }

    /**
     * A store that has been running has reviewed the tiers of members who had joined by the last review date.
     * The demo records that review (its tier kept), so the engine does not review a year of history
     * retroactively the first time the member is shown.
     */
    private void recordLastReview(Handle h, MemberPlan plan, RuleSet ruleSet, Tally tally) {
        NewMember m = plan.member();
        LocalDate reviewDate = TierPolicy.lastReviewDate(ruleSet, LocalDate.now(clock));
        if (!m.enrolledAt().atZoneSameInstant(clock.getZone()).toLocalDate().isBefore(reviewDate)) {
            return;
        }
        long figure = plan.tierFigure();
        UUID id = tiers.record(h, m.id(), m.tier(), m.tier(), TierReason.REVIEW_KEPT, figure, ruleSet.version(),
                reviewDate.atStartOfDay(clock.getZone()).toOffsetDateTime(), hlc.now());
        event(h, tally, TierLedger.reviewed(id, m.id(), m.tier(), m.tier(),
                TierReason.REVIEW_KEPT, ruleSet, figure, reviewDate));
    }

    private void writeCoupon(Handle h, NewMember m, PlannedCoupon planned, CouponTemplate t, Tally tally) {
        Coupon c = couponService.record(h, new Coupon(Ids.next(), planned.code(), m.id(), t, planned.validFrom(),
                planned.validUntil(), Coupon.Status.ISSUED, planned.issuedAt(), planned.issuedBy()));
        tally.coupons++;
        tally.events++;
        Visit used = planned.usedOn();
        if (used == null) {
            return;
        }
        if (!coupons.markRedeemed(h, c.id())) {
            throw new IllegalStateException("coupon just issued cannot be redeemed: " + c.code());
        }
        long basket = used.totalFen();
        long discount = t.discountFor(basket);
        UUID redemptionId = Ids.next();
        coupons.insertRedemption(h, redemptionId, c.id(), m.id(), basket, discount, terminalId, used.at(), hlc.now());
        // The same shape as CheckoutService.redeem's event.
        event(h, tally, new Event.CouponRedeemed(redemptionId, c.id(), c.code(), t.id(), m.id(),
                planned.takenAtVisit() ? ReasonCode.valueOf(t.trigger().name()) : ReasonCode.WALLET, basket, discount, used.at()));
        tally.couponsUsed++;
    }

    private void event(Handle h, Tally tally, Event event) {
        outbox.append(h, event);
        tally.events++;
    }

    private record Setup(RuleSet rules, Map<CouponTemplate.Trigger, CouponTemplate> triggers,
                         Map<String, CouponTemplate> templatesById) {
    }

    /** Running counts; only touched by the generating thread. */
    private static final class Tally {
        int members;
        int purchases;
        int coupons;
        int couponsUsed;
        int topUps;
        int events;
    }
}
