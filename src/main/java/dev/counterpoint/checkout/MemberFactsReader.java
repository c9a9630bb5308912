package dev.counterpoint.checkout;

import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.MemberFacts;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.Segments;
import dev.counterpoint.loyalty.TierLedger;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.EnrolmentSource;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Reads a member's facts for the triggers and the suggestion engine, inside the caller's transaction. */
public final class MemberFactsReader {
    private final PurchaseRepository purchases;
    private final PointsLedger points;
    private final CouponRepository coupons;
    private final TierLedger tiers;
    private final Clock clock;

    public MemberFactsReader(PurchaseRepository purchases, PointsLedger points, CouponRepository coupons, TierLedger tiers,
                             Clock clock) {
        this.purchases = purchases;
        this.points = points;
        this.coupons = coupons;
        this.tiers = tiers;
        this.clock = clock;
    }

    /**
     * What the triggers and the engine need, the member's 12-month profile, and what was read for them that the
     * panel shows too: the 12 months of purchases (newest first), the point lots and the points balance.
     */
    public record Gathered(MemberFacts facts, Segments.Profile profile, List<Purchase> year, List<PointLots.Lot> lots,
                           long points) {
    }

    public Gathered gather(Handle h, Member m, RuleSet ruleSet, OffsetDateTime now) {
        LocalDate today = now.toLocalDate();
        List<Purchase> year = purchases.since(h, m.id(), now.minusYears(1));
        List<Segments.Visit> visits = year.stream().map(p -> new Segments.Visit(localDate(p.purchasedAt()), p.totalFen(),
                p.lines().stream().map(PurchaseLine::category).toList())).toList();
        Optional<LocalDate> joined = m.enrolledVia() == EnrolmentSource.IMPORT
                ? Optional.empty() : Optional.of(localDate(m.enrolledAt()));
        Segments.Profile profile = Segments.derive(visits, joined, today);
        PurchaseRepository.AllTime allTime = purchases.allTime(h, m.id());
        PointsLedger.Account account = points.account(h, m.id());
        List<PointLots.Lot> lots = account.lots();
        List<dev.counterpoint.coupon.Coupon> wallet = coupons.wallet(h, m.id());
        // Read only when the wallet holds a template with a per-member limit: most scans then cost no more.
        java.util.Map<String, Integer> used = wallet.stream().anyMatch(c -> c.template().perMemberLimit() > 0)
                ? coupons.usedByLimitedTemplate(h, m.id()) : java.util.Map.of();
        MemberFacts facts = new MemberFacts(m, allTime.last().map(this::localDate), allTime.visits(),
                wallet, coupons.lastIssuedByTemplate(h, m.id()), tiers.lastUpgradedOn(h, m.id()),
                PointLots.usable(lots, today), PointLots.nextExpiring(lots, today, ruleSet.pointsReminderDays()),
                profile.churn(), profile.affinity(), profile.averageTicketFen(), used);
        return new Gathered(facts, profile, year, lots, account.balance());
    }

    /** Dates are the store's local dates: a 23:30 purchase belongs to that day, not to UTC's next one. */
    private LocalDate localDate(OffsetDateTime t) {
        ZoneId zone = clock.getZone();
        return t.atZoneSameInstant(zone).toLocalDate();
    }
}
