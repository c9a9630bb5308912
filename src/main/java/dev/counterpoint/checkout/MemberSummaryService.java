package dev.counterpoint.checkout;

import dev.counterpoint.catalog.ProductNames;
import dev.counterpoint.catalog.ProductRepository;
import dev.counterpoint.coupon.Basket;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.coupon.SuggestionEngine;
import dev.counterpoint.history.ChainHistory;
import dev.counterpoint.history.Favourite;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.loyalty.TierLedger;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.member.MemberTags;
import dev.counterpoint.protocol.TierBasis;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    private final StoredValueLedger storedValue;
    private final RuleSetRepository rules;
    private final TierLedger tiers;
    private final SuggestionEngine engine;
    private final MemberFactsReader factsReader;
    private final MemberUpkeep upkeep;
    private final Clock clock;
    private final ChainHistory chain;
    private final ProductRepository products;

    public MemberSummaryService(Jdbi jdbi, MemberRepository members, StoredValueLedger storedValue,
                                RuleSetRepository rules, TierLedger tiers, SuggestionEngine engine, MemberFactsReader factsReader,
                                MemberUpkeep upkeep, Clock clock, ChainHistory chain, ProductRepository products) {
        this.products = products;
        this.jdbi = jdbi;
        this.members = members;
        this.storedValue = storedValue;
        this.rules = rules;
        this.tiers = tiers;
        this.engine = engine;
        this.factsReader = factsReader;
        this.upkeep = upkeep;
        this.clock = clock;
        this.chain = chain;
    }

    public Optional<MemberSummary> byCode(String code) {
        return jdbi.withHandle(h -> members.findByCode(h, code.strip())).flatMap(this::show);
    }

    public Optional<MemberSummary> byId(UUID memberId) {
        return jdbi.withHandle(h -> members.findById(h, memberId)).flatMap(this::show);
    }

    /**
     * Upkeep first. When it found nothing due, the panel is built from what it read (member, rules, the 12 months,
     * lots, wallet) plus the stored-value balance; when it wrote anything, everything is read again.
     */
    private Optional<MemberSummary> show(Member m) {
        MemberUpkeep.Outcome upkept = upkeep.bringUpToDate(m);
        if (upkept.unchanged().isPresent()) {
            return Optional.of(jdbi.withHandle(h -> summarize(h, upkept.unchanged().get())));
        }
        return jdbi.inTransaction(h -> members.findById(h, m.id()).map(fresh -> {
            RuleSet ruleSet = rules.active(h);
            OffsetDateTime now = OffsetDateTime.now(clock);
            return summarize(h, new MemberUpkeep.Reading(fresh, ruleSet, factsReader.gather(h, fresh, ruleSet, now), now));
        }));
    }

    MemberSummary summarize(Handle h, MemberUpkeep.Reading r) {
        Member m = r.member();
        RuleSet ruleSet = r.ruleSet();
        OffsetDateTime now = r.now();
        MemberFactsReader.Gathered g = r.gathered();
        boolean held = chain.held(h, m.id(), m.homeStore());
        // Points this store does not hold may be spent elsewhere already: it offers only what it can stand behind.
        List<Suggestion> suggestions = engine.suggest(g.facts(), Basket.UNKNOWN, ruleSet, now.toLocalDate()).stream()
                .filter(sg -> held || !sg.isPoints()).toList();
        List<Purchase> recent = g.year().stream()
                .filter(p -> !p.purchasedAt().isBefore(now.minusDays(ruleSet.historyDays()))).toList();
        TierPolicy.TierProgress progress = TierPolicy.progress(ruleSet, m.tier(), tierFigure(h, r));
        List<Favourite> favourites = Favourite.of(g.year(), FAVOURITES);
        Set<String> skus = new HashSet<>();
        recent.forEach(p -> p.lines().forEach(l -> {
            if (l.sku() != null) {
                skus.add(l.sku());
            }
        }));
        favourites.forEach(f -> skus.add(f.sku()));
        return new MemberSummary(m, g.points(), storedValue.balanceFen(h, m.id()), g.profile().tags(), recent,
                favourites, suggestions, g.facts().lastPurchase(), progress,
                g.facts().pointsExpiring(), g.profile(), held, new ProductNames(products.bySku(h, skus)),
                MemberTags.on(h, m.id()));
    }

    /**
     * {@link TierLedger#figure} at the reading's time. Measured by spend, it is the 12 months' purchases up to now,
     * all in the year already read (the same bound: twelve months before {@code now}); in points, the ledger's.
     */
    private long tierFigure(Handle h, MemberUpkeep.Reading r) {
        if (r.ruleSet().tierBasis() != TierBasis.SPEND) {
            return tiers.figure(h, r.member().id(), r.ruleSet(), r.now());
        }
        OffsetDateTime since = r.now().minusMonths(12);
        return r.gathered().year().stream()
                .filter(p -> !p.purchasedAt().isBefore(since) && !p.purchasedAt().isAfter(r.now()))
                .mapToLong(Purchase::totalFen).sum();
    }
}
