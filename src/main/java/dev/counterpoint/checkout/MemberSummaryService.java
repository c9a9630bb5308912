package dev.counterpoint.checkout;

import dev.counterpoint.coupon.Basket;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.coupon.SuggestionEngine;
import dev.counterpoint.history.ChainHistory;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.TierLedger;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.TierBasis;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Builds the member panel's content: the same service feeds the counter window and {@code lookup}.
 * Before reading, the member is brought up to date ({@link MemberUpkeep}: expired points written off,
 * tier reviewed, due coupons issued), so what is shown is what the rules say today.
 */
public final class MemberSummaryService {
    static final int FAVOURITES = 3;

    private final Jdbi jdbi;
    private final TierLedger tiers;
    private final SuggestionEngine engine;
    private final MemberFactsReader factsReader;
    private final MemberUpkeep upkeep;
    private final Clock clock;
    private final ChainHistory chain;

    public MemberSummaryService(Jdbi jdbi, TierLedger tiers, SuggestionEngine engine, MemberFactsReader factsReader,
                                MemberUpkeep upkeep, Clock clock, ChainHistory chain) {
        this.jdbi = jdbi;
        this.tiers = tiers;
        this.engine = engine;
        this.factsReader = factsReader;
        this.upkeep = upkeep;
        this.clock = clock;
        this.chain = chain;
    }

    public Optional<MemberSummary> byCode(String code) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return jdbi.withHandle(h -> factsReader.byCode(h, code.strip(), now)).flatMap(this::show);
    }

    public Optional<MemberSummary> byId(UUID memberId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return jdbi.withHandle(h -> factsReader.byId(h, memberId, now)).flatMap(this::show);
    }

    /**
     * Upkeep decides from what was read. When nothing was due, the panel is built from that reading (member, rules,
     * the year, lots, wallet, balances: four statements in all); when anything was written, everything is read again.
     */
    private Optional<MemberSummary> show(MemberUpkeep.Reading read) {
        MemberUpkeep.Outcome upkept = upkeep.bringUpToDate(read);
        if (upkept.unchanged().isPresent()) {
            return Optional.of(summarize(upkept.unchanged().get()));
        }
        return jdbi.inTransaction(h -> factsReader.byId(h, read.member().id(), OffsetDateTime.now(clock)))
                .map(this::summarize);
    }

    MemberSummary summarize(MemberUpkeep.Reading r) {
        Member m = r.member();
        RuleSet ruleSet = r.ruleSet();
        OffsetDateTime now = r.now();
        MemberFactsReader.Gathered g = r.gathered();
        boolean held = chain.held(m.homeStore(), g.chainMarked());
        // Points this store does not hold may be spent elsewhere already: it offers only what it can stand behind.
        List<Suggestion> suggestions = engine.suggest(g.facts(), Basket.UNKNOWN, ruleSet, now.toLocalDate()).stream()
                .filter(sg -> held || !sg.isPoints()).toList();
        TierPolicy.TierProgress progress = TierPolicy.progress(ruleSet, m.tier(), tierFigure(r));
        return new MemberSummary(m, g.points(), g.storedValueFen(), g.profile().tags(), g.recent(), g.favourites(),
                suggestions, g.facts().lastPurchase(), progress, g.facts().pointsExpiring(), g.profile(), held,
                g.products(), g.customTags());
    }

    /**
     * {@link TierLedger#figure} at the reading's time. Measured by spend, it is the 12 months' purchases up to now,
     * summed as the year was read (the same bound: twelve months before {@code now}); in points, the ledger's.
     */
    private long tierFigure(MemberUpkeep.Reading r) {
        if (r.ruleSet().tierBasis() != TierBasis.SPEND) {
            return jdbi.withHandle(h -> tiers.figure(h, r.member().id(), r.ruleSet(), r.now()));
        }
        return r.gathered().spendFen();
    }
}
