package dev.counterpoint.loyalty;

import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import dev.counterpoint.protocol.TierReason;
import dev.counterpoint.store.Ids;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/** Tier changes and reviews as recorded events; the member row carries the current tier. */
public final class TierLedger {
    private final PointsLedger points;

    public TierLedger(PointsLedger points) {
        this.points = points;
    }

    /**
     * The review reasons written out rather than {@code LIKE 'REVIEW%'}: H2 parses and plans a statement with LIKE
     * again at every execution, even from its statement cache, and this one runs at every scan.
     */
    private static final String REVIEW_REASONS = Arrays.stream(TierReason.values()).map(TierReason::name)
            .filter(n -> n.startsWith("REVIEW")).map(n -> "'" + n + "'").collect(Collectors.joining(", "));

    private static final String LAST_REVIEW = "SELECT MAX(d) FROM (SELECT MAX(effective_on) AS d FROM tier_event"
            + " WHERE member_id = :m AND reason IN (" + REVIEW_REASONS + ")"
            + " UNION ALL SELECT MAX(review_date) FROM tier_review_deferred WHERE member_id = :m) AS reviews";

    private static final String REVIEWED_OF_MEMBER =
            "(SELECT MAX(effective_on) FROM tier_event WHERE member_id = m.id AND reason IN (" + REVIEW_REASONS + "))";
    private static final String DEFERRED_OF_MEMBER =
            "(SELECT MAX(review_date) FROM tier_review_deferred WHERE member_id = m.id)";

    /**
     * {@link #lastReviewedOn} as a column of a statement that reads the member row {@code m}: the later of the two
     * dates, or null (COALESCE gives the one that is there when GREATEST meets a null).
     */
    public static final String LAST_REVIEW_OF_MEMBER = "COALESCE(GREATEST(" + REVIEWED_OF_MEMBER + ", "
            + DEFERRED_OF_MEMBER + "), " + REVIEWED_OF_MEMBER + ", " + DEFERRED_OF_MEMBER + ")";

    /** {@link #lastUpgradedOn} as a column of a statement that reads the member row {@code m}. */
    public static final String LAST_UPGRADE_OF_MEMBER = "(SELECT MAX(effective_on) FROM tier_event"
            + " WHERE member_id = m.id AND reason IN ('UPGRADE', 'REVIEW_UPGRADE'))";

    /**
     * The rolling 12-month figure the rules measure tiers by, for the 12 months before {@code at}: spend is what the member
     * kept (a refunded purchase counts less by what was refunded).
     */
    public long figure(Handle h, UUID memberId, RuleSet rules, OffsetDateTime at) {
        OffsetDateTime since = at.minusMonths(12);
        if (rules.tierBasis() == TierBasis.POINTS) {
            return points.earnedBetween(h, memberId, since, at);
        }
        return h.createQuery("""
                SELECT COALESCE(SUM(p.total_fen - p.refunded_fen), 0) FROM """ + PurchaseRepository.MEMBER_AND_ALIASES + """
                JOIN purchase p ON p.member_id = who.member_id
                WHERE p.purchased_at >= :since AND p.purchased_at <= :at""")
                .bind("member", memberId).bind("since", since.withOffsetSameInstant(ZoneOffset.UTC))
                .bind("at", at.withOffsetSameInstant(ZoneOffset.UTC)).mapTo(Long.class).one();
    }

    /**
     * {@link #figure} as it will be once {@code refundingFen} more of a purchase made at {@code purchasedAt} is
     * refunded: what a void worked out before it is written leaves. Points earned count as earned (a clawback is no
     * EARN entry).
     */
    public long figureAfterRefund(Handle h, UUID memberId, RuleSet rules, OffsetDateTime at, OffsetDateTime purchasedAt,
                                  long refundingFen) {
        long figure = figure(h, memberId, rules, at);
        boolean inPeriod = !purchasedAt.isBefore(at.minusMonths(12)) && !purchasedAt.isAfter(at);
        return rules.tierBasis() == TierBasis.SPEND && inPeriod ? figure - refundingFen : figure;
    }

    /** Records a change or review and sets the member's tier; returns the event row's id. */
    public UUID record(Handle h, UUID memberId, Tier from, Tier to, TierReason reason, long figure, int ruleSetVersion,
                       OffsetDateTime at, long hlc) {
        UUID id = Ids.next();
        insert(h, id, memberId, from, to, reason, figure, ruleSetVersion, at.toLocalDate(), at, hlc);
        if (from != to) {
            h.createUpdate("UPDATE member SET tier = :tier, updated_hlc = :hlc WHERE id = :m")
                    .bind("tier", to.name()).bind("hlc", hlc).bind("m", memberId).execute();
        }
        return id;
    }

    /**
     * When the member was last reviewed here or by head office, or when a review that would have lowered the tier was
     * left to head office.
     */
    public Optional<LocalDate> lastReviewedOn(Handle h, UUID memberId) {
        return h.createQuery(LAST_REVIEW).bind("m", memberId).mapTo(LocalDate.class).findOne();
    }

    /** The {@code tier.reviewed} event, as head office replays it. */
    public static Event.TierReviewed reviewed(UUID tierEventId, UUID memberId, Tier from, Tier to, TierReason reason,
                                              RuleSet rules, long figure, LocalDate reviewDate) {
        return new Event.TierReviewed(tierEventId, memberId, from, to, reason, rules.tierBasis(), figure, reviewDate,
                rules.version());
    }

    /** A review that would lower the tier, left to head office (a registered store never lowers one itself). */
    public void defer(Handle h, UUID memberId, LocalDate reviewDate) {
        h.createUpdate("""
                MERGE INTO tier_review_deferred(member_id, review_date) KEY (member_id, review_date) VALUES (:m, :d)""")
                .bind("m", memberId).bind("d", reviewDate).execute();
    }

    /** Head office's review of the member's tier, pulled: recorded as a review, and the tier set. */
    public void recordPulled(Handle h, UUID tierEventId, UUID memberId, Tier from, Tier to, TierReason reason, long figure,
                             int ruleSetVersion, LocalDate effectiveOn, OffsetDateTime at, long hlc) {
        if (h.createQuery("SELECT COUNT(*) FROM tier_event WHERE id = :id").bind("id", tierEventId).mapTo(Integer.class).one() == 0) {
            insert(h, tierEventId, memberId, from, to, reason, figure, ruleSetVersion, effectiveOn, at, hlc);
        }
    }

    private static void insert(Handle h, UUID tierEventId, UUID memberId, Tier from, Tier to, TierReason reason, long figure,
                               int ruleSetVersion, LocalDate effectiveOn, OffsetDateTime at, long hlc) {
        h.createUpdate("""
                INSERT INTO tier_event(id, member_id, from_tier, to_tier, reason, figure, rule_set_version, effective_on, created_at, hlc)
                VALUES (:id, :m, :from, :to, :reason, :figure, :v, :on, :at, :hlc)""")
                .bind("id", tierEventId).bind("m", memberId).bind("from", from.name()).bind("to", to.name())
                .bind("reason", reason.name()).bind("figure", figure).bind("v", ruleSetVersion)
                .bind("on", effectiveOn).bind("at", at.withOffsetSameInstant(ZoneOffset.UTC)).bind("hlc", hlc)
                .execute();
    }

    /** When the member last went up a tier, if ever. */
    public Optional<LocalDate> lastUpgradedOn(Handle h, UUID memberId) {
        return h.createQuery("""
                SELECT MAX(effective_on) FROM tier_event WHERE member_id = :m AND reason IN ('UPGRADE', 'REVIEW_UPGRADE')""")
                .bind("m", memberId).mapTo(LocalDate.class).findOne();
    }
}
