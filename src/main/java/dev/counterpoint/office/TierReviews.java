package dev.counterpoint.office;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import dev.counterpoint.protocol.TierReason;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The yearly tier review, decided at head office from the whole chain's figure. Stores never lower a tier: each sees
 * only part of a member's year (decision 0039). A review date counts once {@link #GRACE} has passed, so that a store
 * that was offline for a day has pushed the sales made before it. A tier that changes goes to every store as
 * {@code tier.reviewed}; a tier kept is recorded here only.
 */
public final class TierReviews {
    /** How long after a review date head office waits for the stores' sales before it reviews. */
    public static final Duration GRACE = Duration.ofDays(2);
    private static final int PAGE = 500;

    private final Jdbi jdbi;
    private final Clock clock;
    private final ObjectMapper json;
    private final RuleSetRepository ruleSets;
    private final Hlc hlc;

    public TierReviews(Jdbi jdbi, Clock clock, ObjectMapper json) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.json = json;
        this.ruleSets = new RuleSetRepository(json);
        this.hlc = new Hlc(clock, 0);
    }

    /** What one pass did. */
    public record Pass(LocalDate reviewDate, int reviewed, int lowered, int raised) {
    }

    /** Reviews every member due for the latest review date past its grace, in pages of {@value #PAGE}. */
    public Pass run() {
        ZoneId zone = clock.getZone();
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        RuleSet rules = jdbi.withHandle(this::chainRules);
        LocalDate reviewDate = TierPolicy.lastReviewDate(rules, now.minus(GRACE).atZoneSameInstant(zone).toLocalDate());
        OffsetDateTime asOf = reviewDate.atStartOfDay(zone).toOffsetDateTime();
        int reviewed = 0;
        int lowered = 0;
        int raised = 0;
        while (true) {
            int[] counts = jdbi.inTransaction(h -> page(h, rules, reviewDate, asOf, now));
            reviewed += counts[0];
            lowered += counts[1];
            raised += counts[2];
            if (counts[0] < PAGE) {
                return new Pass(reviewDate, reviewed, lowered, raised);
            }
        }
    }

    private int[] page(Handle h, RuleSet rules, LocalDate reviewDate, OffsetDateTime asOf, OffsetDateTime now) {
        FeedWriter feed = new FeedWriter(h, json, now);
        record Due(UUID id, Tier tier) {
        }
        List<Due> due = h.createQuery("""
                SELECT id, tier FROM member m
                WHERE status = 'ACTIVE' AND enrolled_at < :asOf
                  AND NOT EXISTS (SELECT 1 FROM tier_review r WHERE r.member_id = m.id AND r.review_date >= :d)
                ORDER BY id LIMIT :n""")
                .bind("asOf", asOf).bind("d", reviewDate).bind("n", PAGE)
                .map((rs, ctx) -> new Due(rs.getObject(1, UUID.class), Tier.valueOf(rs.getString(2)))).list();
        int lowered = 0;
        int raised = 0;
        for (Due m : due) {
            long figure = figure(h, rules, m.id(), asOf);
            // A member whose rolling figure has reached a higher tier since the review date keeps that tier: they
            // would be raised again at their next sale.
            Tier qualifying = TierPolicy.qualifying(rules, Math.max(figure, figure(h, rules, m.id(), now)));
            int cmp = qualifying.compareTo(m.tier());
            TierReason reason = cmp < 0 ? TierReason.REVIEW_DOWNGRADE
                    : cmp > 0 ? TierReason.REVIEW_UPGRADE : TierReason.REVIEW_KEPT;
            h.createUpdate("""
                    INSERT INTO tier_review(member_id, review_date, from_tier, to_tier, figure, rule_set_version, decided_at)
                    VALUES (:m, :d, :from, :to, :figure, :v, :now)""")
                    .bind("m", m.id()).bind("d", reviewDate).bind("from", m.tier().name()).bind("to", qualifying.name())
                    .bind("figure", figure).bind("v", rules.version()).bind("now", now).execute();
            if (reason == TierReason.REVIEW_KEPT) {
                continue;
            }
            // The review outranks every tier edit it took into account.
            long fieldHlc = h.createQuery("SELECT COALESCE(MAX(hlc), 0) FROM member_field WHERE member_id = :m AND field = 'tier'")
                    .bind("m", m.id()).mapTo(Long.class).one();
            long stamp = Math.max(hlc.now(), fieldHlc + 1);
            h.createUpdate("UPDATE member SET tier = :t WHERE id = :m").bind("t", qualifying.name()).bind("m", m.id()).execute();
            h.createUpdate("DELETE FROM member_field WHERE member_id = :m AND field = 'tier'").bind("m", m.id()).execute();
            UUID id = Ids.next();
            h.createUpdate("INSERT INTO member_field(member_id, field, hlc, event_id) VALUES (:m, 'tier', :hlc, :e)")
                    .bind("m", m.id()).bind("hlc", stamp).bind("e", id).execute();
            feed.append(new Change.TierReviewed(id, m.id(), m.tier(), qualifying, reason, figure, reviewDate,
                    rules.version(), stamp), null);
            feed.rollups().tierMoved(m.id(), now, m.tier(), qualifying);
            if (cmp < 0) {
                lowered++;
            } else {
                raised++;
            }
        }
        feed.finish();
        return new int[] {due.size(), lowered, raised};
    }

    /** The rolling 12-month figure before {@code at}, over the member and the members merged into it. */
    static long figure(Handle h, RuleSet rules, UUID member, OffsetDateTime at) {
        String sql = rules.tierBasis() == TierBasis.POINTS
                ? """
                SELECT COALESCE(SUM(delta), 0) FROM points_entry
                WHERE kind = 'EARN' AND created_at >= :since AND created_at <= :at
                  AND member_id IN (SELECT id FROM member WHERE id = :m OR survivor_id = :m)"""
                : """
                SELECT COALESCE(SUM(total_fen - refunded_fen), 0) FROM purchase
                WHERE purchased_at >= :since AND purchased_at <= :at
                  AND member_id IN (SELECT id FROM member WHERE id = :m OR survivor_id = :m)""";
        return h.createQuery(sql).bind("m", member).bind("since", at.minusMonths(12)).bind("at", at)
                .mapTo(Long.class).one();
    }

    private RuleSet chainRules(Handle h) {
        return ChainRules.current(h, ruleSets);
    }
}
