package dev.counterpoint.checkout;

import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.CouponService;
import dev.counterpoint.coupon.CouponTriggers;
import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.TierLedger;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierReason;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Outbox;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Brings one member up to date with the rules and the calendar: expired point lots written off, the
 * tier reviewed once the review date has passed, coupons issued whose trigger condition now holds.
 * Runs when the member is shown (and after each counter action, which re-reads the panel), and for
 * everyone in the daily pass. Each step is its own transaction with its one outbox event, and is taken
 * only when needed: a member with nothing due costs one read.
 */
public final class MemberUpkeep {
    private final Jdbi jdbi;
    private final MemberRepository members;
    private final PointsLedger points;
    private final TierLedger tiers;
    private final CouponService couponService;
    private final RuleSetRepository rules;
    private final MemberFactsReader factsReader;
    private final Outbox outbox;
    private final Hlc hlc;
    private final Clock clock;
    private final boolean inChain;

    /**
     * @param inChain registered with head office: a review that would lower a tier is left to head office, which sees
     *                the member's whole year (an offline store may still raise one)
     */
    public MemberUpkeep(Jdbi jdbi, MemberRepository members, PointsLedger points, TierLedger tiers,
                        CouponService couponService, RuleSetRepository rules, MemberFactsReader factsReader, Outbox outbox,
                        Hlc hlc, Clock clock, boolean inChain) {
        this.jdbi = jdbi;
        this.members = members;
        this.points = points;
        this.tiers = tiers;
        this.couponService = couponService;
        this.rules = rules;
        this.factsReader = factsReader;
        this.outbox = outbox;
        this.hlc = hlc;
        this.clock = clock;
        this.inChain = inChain;
    }

    /** What one pass did. */
    public record Done(int lotsExpired, Optional<TierReason> review, List<Coupon> issued) {
        public boolean anything() {
            return lotsExpired > 0 || review.isPresent() || !issued.isEmpty();
        }
    }

    private static final Done NOTHING = new Done(0, Optional.empty(), List.of());

    /**
     * The member as the pass found them, with the rule set and the facts it read to decide: when nothing was due,
     * this is still what the database holds, and the panel is built from it without reading it all again.
     */
    public record Reading(Member member, RuleSet ruleSet, MemberFactsReader.Gathered gathered, OffsetDateTime now) {
    }

    /** What one pass did, and the pass's reading when it found nothing due (empty once anything was written). */
    public record Outcome(Done done, Optional<Reading> unchanged) {
    }

    public Done bringUpToDate(UUID memberId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return jdbi.withHandle(h -> factsReader.byId(h, memberId, now)).map(r -> bringUpToDate(r).done()).orElse(NOTHING);
    }

    /**
     * As {@link #bringUpToDate(UUID)}, for a member just read ({@link MemberFactsReader}): what is due is decided from
     * the reading, without reading anything more; only what is due is written.
     */
    public Outcome bringUpToDate(Reading reading) {
        OffsetDateTime now = reading.now();
        LocalDate today = now.toLocalDate();
        UUID memberId = reading.member().id();
        Plan plan = plan(reading);
        if (plan.expiredLots().isEmpty() && !plan.reviewDue() && plan.due().isEmpty()) {
            return new Outcome(NOTHING, Optional.of(reading));
        }
        int expired = 0;
        for (UUID lot : plan.expiredLots()) {
            expired += jdbi.inTransaction(h -> writeOff(h, memberId, lot, today)) ? 1 : 0;
        }
        Optional<TierReason> review = plan.reviewDue()
                ? jdbi.inTransaction(h -> review(h, memberId, now)) : Optional.empty();
        List<Coupon> issued = new ArrayList<>();
        List<CouponTriggers.Due> due = review.isPresent() ? jdbi.withHandle(h -> due(h, memberId, now)) : plan.due();
        for (CouponTriggers.Due d : due) {
            jdbi.inTransaction(h -> issueIfStillDue(h, memberId, d, now)).ifPresent(issued::add);
        }
        return new Outcome(new Done(expired, review, List.copyOf(issued)), Optional.empty());
    }

    /** Everyone, one member at a time (the daily pass). */
    public List<Done> everyone() {
        List<UUID> ids = jdbi.withHandle(h -> h.createQuery("SELECT id FROM member WHERE status = 'ACTIVE' ORDER BY id")
                .mapTo(UUID.class).list());
        return ids.stream().map(this::bringUpToDate).toList();
    }

    private record Plan(List<UUID> expiredLots, boolean reviewDue, List<CouponTriggers.Due> due) {
    }

    private Plan plan(Reading r) {
        LocalDate today = r.now().toLocalDate();
        Member m = r.member();
        MemberFactsReader.Gathered g = r.gathered();
        List<UUID> expired = g.lots().stream().filter(l -> l.expiredOn(today)).map(PointLots.Lot::id).toList();
        boolean reviewDue = TierPolicy.reviewDue(r.ruleSet(), g.lastReviewedOn(),
                m.enrolledAt().atZoneSameInstant(clock.getZone()).toLocalDate(), today);
        return new Plan(expired, reviewDue, dueFor(r));
    }

    private List<CouponTriggers.Due> due(Handle h, UUID memberId, OffsetDateTime now) {
        return factsReader.byId(h, memberId, now).map(MemberUpkeep::dueFor).orElse(List.of());
    }

    private static List<CouponTriggers.Due> dueFor(Reading r) {
        return CouponTriggers.due(r.gathered().facts(), r.gathered().templates(), r.ruleSet(), r.now().toLocalDate());
    }

    /**
     * Writes off, inside the caller's transaction (which holds the member's lock), every lot of the member that expired
     * before {@code today}, each with its {@code points.expired} event, as the pass would; returns how many. An action
     * that takes points by hand runs it first, so it takes from usable points only.
     */
    public int writeOffExpired(Handle h, UUID memberId, LocalDate today) {
        int n = 0;
        for (PointLots.Lot lot : points.lots(h, memberId)) {
            if (lot.expiredOn(today) && writeOff(h, memberId, lot.id(), today)) {
                n++;
            }
        }
        return n;
    }

    private boolean writeOff(Handle h, UUID memberId, UUID lotId, LocalDate today) {
        lock(h, memberId);
        Optional<PointLots.Lot> lot = points.lots(h, memberId).stream()
                .filter(l -> l.id().equals(lotId) && l.expiredOn(today)).findFirst();
        if (lot.isEmpty()) {
            return false;
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        UUID entry = points.append(h, memberId, -lot.get().remaining(), PointsKind.EXPIRE, null, lotId, now, hlc.now());
        outbox.append(h, new Event.PointsExpired(entry, memberId, lotId, lot.get().remaining(), lot.get().expiresOn(),
                points.balance(h, memberId), now));
        return true;
    }

    private Optional<TierReason> review(Handle h, UUID memberId, OffsetDateTime now) {
        lock(h, memberId);
        Member m = members.findById(h, memberId).orElseThrow();
        RuleSet ruleSet = rules.active(h);
        LocalDate today = now.toLocalDate();
        if (!TierPolicy.reviewDue(ruleSet, tiers.lastReviewedOn(h, memberId),
                m.enrolledAt().atZoneSameInstant(clock.getZone()).toLocalDate(), today)) {
            return Optional.empty();
        }
        // The figure as it stood on the review date, however late the member is seen after it.
        LocalDate reviewDate = TierPolicy.lastReviewDate(ruleSet, today);
        long figure = tiers.figure(h, memberId, ruleSet, reviewDate.atStartOfDay(clock.getZone()).toOffsetDateTime());
        Tier qualifying = TierPolicy.qualifying(ruleSet, figure);
        if (inChain) {
            // As head office decides: a member whose rolling figure has since reached a tier keeps it. The event carries
            // the figure the tier was decided on, which head office checks an upgrade against.
            figure = Math.max(figure, tiers.figure(h, memberId, ruleSet, now));
            qualifying = TierPolicy.qualifying(ruleSet, figure);
            if (qualifying.compareTo(m.tier()) < 0) {
                tiers.defer(h, memberId, reviewDate);
                return Optional.empty();
            }
        }
        int cmp = qualifying.compareTo(m.tier());
        TierReason reason = cmp < 0 ? TierReason.REVIEW_DOWNGRADE
                : cmp > 0 ? TierReason.REVIEW_UPGRADE : TierReason.REVIEW_KEPT;
        long stamp = hlc.now();
        UUID id = tiers.record(h, memberId, m.tier(), qualifying, reason, figure, ruleSet.version(), now, stamp);
        outbox.append(h, TierLedger.reviewed(id, memberId, m.tier(), qualifying, reason, ruleSet, figure, reviewDate));
        return Optional.of(reason);
    }

    private Optional<Coupon> issueIfStillDue(Handle h, UUID memberId, CouponTriggers.Due d, OffsetDateTime now) {
        lock(h, memberId);
        boolean still = due(h, memberId, now).stream()
                .anyMatch(x -> x.reason() == d.reason() && x.template().id().equals(d.template().id()));
        return still ? Optional.of(couponService.issue(h, memberId, d.template(), Coupon.TRIGGER_PREFIX + d.reason().name()))
                : Optional.empty();
    }

    private static void lock(Handle h, UUID memberId) {
        h.createQuery("SELECT id FROM member WHERE id = :id FOR UPDATE").bind("id", memberId).mapTo(UUID.class).one();
    }
}
