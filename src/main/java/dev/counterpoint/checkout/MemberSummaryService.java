package dev.counterpoint.checkout;

import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.MemberFacts;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.coupon.SuggestionEngine;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.SegmentTag;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberRepository;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Builds the member panel's content: the same service feeds the counter window and {@code lookup}. */
public final class MemberSummaryService {
    static final int FAVOURITES = 3;

    private final Jdbi jdbi;
    private final MemberRepository members;
    private final PurchaseRepository purchases;
    private final PointsLedger points;
    private final StoredValueLedger storedValue;
    private final CouponRepository coupons;
    private final RuleSetRepository rules;
    private final SuggestionEngine engine;
    private final Clock clock;

    public MemberSummaryService(Jdbi jdbi, MemberRepository members, PurchaseRepository purchases, PointsLedger points,
                                StoredValueLedger storedValue, CouponRepository coupons, RuleSetRepository rules,
                                SuggestionEngine engine, Clock clock) {
        this.jdbi = jdbi;
        this.members = members;
        this.purchases = purchases;
        this.points = points;
        this.storedValue = storedValue;
        this.coupons = coupons;
        this.rules = rules;
        this.engine = engine;
        this.clock = clock;
    }

    public Optional<MemberSummary> byCode(String code) {
        return jdbi.inTransaction(h -> members.findByCode(h, code.strip()).map(m -> summarize(h, m)));
    }

    public Optional<MemberSummary> byId(UUID memberId) {
        return jdbi.inTransaction(h -> members.findById(h, memberId).map(m -> summarize(h, m)));
    }

    MemberSummary summarize(Handle h, Member m) {
        RuleSet ruleSet = rules.active(h);
        OffsetDateTime now = OffsetDateTime.now(clock);
        LocalDate today = now.toLocalDate();
        List<Purchase> recent = purchases.since(h, m.id(), now.minusDays(ruleSet.historyDays()));
        Optional<LocalDate> lastVisit = purchases.lastPurchaseAt(h, m.id()).map(t -> localDate(t));
        PurchaseRepository.Totals year = purchases.totalsSince(h, m.id(), now.minusYears(1));
        int visits90d = (int) recent.stream().filter(p -> !p.purchasedAt().isBefore(now.minusDays(90))).count();
        Optional<LocalDate> joined = m.enrolledVia() == Member.EnrolmentSource.IMPORT
                ? Optional.empty() : Optional.of(localDate(m.enrolledAt()));
        List<SegmentTag> tags = SegmentTag.derive(joined, lastVisit, visits90d, year.spendFen(), today);
        MemberFacts facts = facts(h, m);
        List<Suggestion> suggestions = engine.suggest(facts, coupons.templatesByTrigger(h), ruleSet, today);
        return new MemberSummary(m, points.balance(h, m.id()), storedValue.balanceFen(h, m.id()), tags, recent,
                purchases.favourites(h, m.id(), now.minusYears(1), FAVOURITES), suggestions, lastVisit);
    }

    MemberFacts facts(Handle h, Member m) {
        int count = h.createQuery("SELECT COUNT(*) FROM purchase WHERE member_id = :m").bind("m", m.id()).mapTo(Integer.class).one();
        return new MemberFacts(m, purchases.lastPurchaseAt(h, m.id()).map(this::localDate), count,
                coupons.wallet(h, m.id()), coupons.lastIssuedByTemplate(h, m.id()));
    }

    /** Dates are the store's local dates: a 23:30 purchase belongs to that day, not to UTC's next one. */
    private LocalDate localDate(OffsetDateTime t) {
        ZoneId zone = clock.getZone();
        return t.atZoneSameInstant(zone).toLocalDate();
    }
}
