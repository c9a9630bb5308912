package dev.counterpoint.checkout;

import dev.counterpoint.coupon.Basket;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.coupon.SuggestionEngine;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.loyalty.TierLedger;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberRepository;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Builds the member panel's content: the same service feeds the counter window and {@code lookup}.
 * Before reading, the member is brought up to date ({@link MemberUpkeep}: expired points written off,
 * tier reviewed, due coupons issued), so what is shown is what the rules say today.
 */
public final class MemberSummaryService {
    static final int FAVOURITES = 3;

    private final Jdbi jdbi;
    private final MemberRepository members;
    private final PurchaseRepository purchases;
    private final PointsLedger points;
    private final StoredValueLedger storedValue;
    private final RuleSetRepository rules;
    private final TierLedger tiers;
    private final SuggestionEngine engine;
    private final MemberFactsReader factsReader;
    private final MemberUpkeep upkeep;
    private final Clock clock;

    public MemberSummaryService(Jdbi jdbi, MemberRepository members, PurchaseRepository purchases, PointsLedger points,
                                StoredValueLedger storedValue, RuleSetRepository rules,
                                TierLedger tiers, SuggestionEngine engine, MemberFactsReader factsReader,
                                MemberUpkeep upkeep, Clock clock) {
        this.jdbi = jdbi;
        this.members = members;
        this.purchases = purchases;
        this.points = points;
        this.storedValue = storedValue;
        this.rules = rules;
        this.tiers = tiers;
        this.engine = engine;
        this.factsReader = factsReader;
        this.upkeep = upkeep;
        this.clock = clock;
    }

    public Optional<MemberSummary> byCode(String code) {
        Optional<UUID> id = jdbi.withHandle(h -> members.findByCode(h, code.strip()).map(Member::id));
        return id.flatMap(this::byId);
    }

    public Optional<MemberSummary> byId(UUID memberId) {
        upkeep.bringUpToDate(memberId);
        return jdbi.inTransaction(h -> members.findById(h, memberId).map(m -> summarize(h, m)));
    }

    MemberSummary summarize(Handle h, Member m) {
        RuleSet ruleSet = rules.active(h);
        OffsetDateTime now = OffsetDateTime.now(clock);
        LocalDate today = now.toLocalDate();
        MemberFactsReader.Gathered g = factsReader.gather(h, m, ruleSet, now);
        List<Suggestion> suggestions = engine.suggest(g.facts(), Basket.UNKNOWN, ruleSet, today);
        List<Purchase> recent = g.year().stream()
                .filter(p -> !p.purchasedAt().isBefore(now.minusDays(ruleSet.historyDays()))).toList();
        TierPolicy.TierProgress progress = TierPolicy.progress(ruleSet, m.tier(), tiers.figure(h, m.id(), ruleSet, now));
        return new MemberSummary(m, points.balance(h, m.id()), storedValue.balanceFen(h, m.id()), g.profile().tags(),
                recent, purchases.favourites(h, m.id(), now.minusYears(1), FAVOURITES), suggestions,
                g.facts().lastPurchase(), progress, g.facts().pointsExpiring(), g.profile());
    }
}
