package dev.counterpoint.office;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.Limits;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierReason;
import dev.counterpoint.store.Hlc;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * What a well-formed event must also satisfy before head office applies it, checked as if a stolen till sent
 * it: the sender speaks only as its own store and terminal, its clock is not ahead of head office's by more than
 * the skew limit, and amounts follow the rules it claims. A failed check throws {@link Projector.Unusable}
 * before anything is written, so the event is kept as REJECTED and changes nothing.
 */
final class EventChecks {
    /** How far ahead of head office's clock a terminal's clock may run. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private static final int MAX_KEPT_RULE_SETS = 64;

    private final RuleSetRepository ruleSets;
    private final Map<String, RuleSet> read = new ConcurrentHashMap<>();

    EventChecks(ObjectMapper json) {
        this.ruleSets = new RuleSetRepository(json);
    }

    /** The envelope's HLC: positive and not ahead of {@code now} by more than the skew limit. */
    static void checkClock(long hlc, OffsetDateTime now) {
        if (hlc <= 0) {
            throw new Projector.Unusable("hlc must be positive");
        }
        long aheadMs = Hlc.millisOf(hlc) - now.toInstant().toEpochMilli();
        if (aheadMs > MAX_SKEW.toMillis()) {
            throw new Projector.Unusable("hlc is " + aheadMs / 1000 + " s ahead of head office's clock (at most "
                    + MAX_SKEW.toSeconds() + " s)");
        }
    }

    void check(Handle h, TerminalIdentity who, Event event, OffsetDateTime now) {
        if ((event instanceof Event.MemberEnrolled || event instanceof Event.MemberImported
                || event instanceof Event.MemberUpdated || event instanceof Event.MemberConsent
                || event instanceof Event.MemberTagged)
                && PushScope.erased(h, event.memberId())) {
            // An erasure always wins: data arriving after it (an edit or an enrolment sent late) never brings it back.
            throw new Projector.Unusable("member " + event.memberId() + " was erased; its personal data is not taken back");
        }
        if (event instanceof Event.MemberEnrolled m) {
            enrolment(who, m, now);
        } else if (event instanceof Event.MemberImported m) {
            enrolment(who, m.enrolment(), now);
        } else if (event instanceof Event.SaleRecorded s) {
            sale(h, who, s, now);
        } else if (event instanceof Event.PurchaseImported p) {
            notAhead(p.purchasedAt(), "purchased_at", now);
            imported(h, who, p);
        } else if (event instanceof Event.StoredValueToppedUp t) {
            notAhead(t.toppedUpAt(), "topped_up_at", now);
            Optional<RuleSet> rules = t.ruleSetVersion() == null ? Optional.empty() : rules(h, who, t.ruleSetVersion());
            if (rules.isPresent() && rules.get().topUpBonusFen(t.amountFen()) != t.bonusFen()) {
                throw new Projector.Unusable("bonus_fen " + t.bonusFen() + " is not the bonus of rule set "
                        + t.ruleSetVersion() + " for " + t.amountFen() + " fen");
            }
        } else if (event instanceof Event.PointsRedeemed p) {
            notAhead(p.redeemedAt(), "redeemed_at", now);
            Optional<RuleSet> rules = rules(h, who, p.ruleSetVersion());
            if (rules.isPresent() && rules.get().fenForPoints(p.points()) != p.discountFen()) {
                throw new Projector.Unusable("discount_fen does not match " + p.points() + " points under rule set "
                        + p.ruleSetVersion());
            }
        } else if (event instanceof Event.CouponRedeemed c) {
            notAhead(c.redeemedAt(), "redeemed_at", now);
            coupon(h, c);
        } else if (event instanceof Event.CouponIssued c) {
            notAhead(c.issuedAt(), "issued_at", now);
            couponIssued(h, c);
        } else if (event instanceof Event.CouponVoided c) {
            notAhead(c.voidedAt(), "voided_at", now);
            couponVoided(h, who, c);
        } else if (event instanceof Event.MemberUpdated m) {
            kept(h, who, Projector.resolve(h, m.memberId()), m.memberId(), "its profile is not the store's to edit");
        } else if (event instanceof Event.MemberConsent c) {
            notAhead(c.recordedAt(), "recorded_at", now);
            kept(h, who, Projector.resolve(h, c.memberId()), c.memberId(), "its consent is not the store's to record");
            if (c.staffId() != null) {
                CheckoutChecks.staff(h, who, c.staffId(), StaffRole.CASHIER);
            }
        } else if (event instanceof Event.MemberErased m) {
            notAhead(m.erasedAt(), "erased_at", now);
        } else if (event instanceof Event.MemberTagged t) {
            notAhead(t.taggedAt(), "tagged_at", now);
            OfficeTags.check(h, who, t);
        } else if (event instanceof Event.RulesChanged r) {
            rulesChanged(h, who, r);
        } else if (event instanceof Event.CheckoutCompleted c) {
            notAhead(c.completedAt(), "completed_at", now);
            CheckoutChecks.completed(this, h, who, c);
        } else if (event instanceof Event.CheckoutRefunded r) {
            notAhead(r.refundedAt(), "refunded_at", now);
            CheckoutChecks.refunded(this, h, who, r);
        } else if (event instanceof Event.PointsAdjusted a) {
            notAhead(a.adjustedAt(), "adjusted_at", now);
            BalanceAdjustments.check(this, h, who, a);
        } else if (event instanceof Event.StoredValueAdjusted a) {
            notAhead(a.adjustedAt(), "adjusted_at", now);
            BalanceAdjustments.check(h, who, a);
        } else if (event instanceof Event.StaffAccount a) {
            notAhead(a.updatedAt(), "updated_at", now);
            OfficeStaff.check(h, who, a);
        } else if (event instanceof Event.AuditRecorded a) {
            notAhead(a.recordedAt(), "recorded_at", now);
        } else if (event instanceof Event.TierReviewed t) {
            tierReviewed(h, who, t);
        }
    }

    /**
     * A store's review never lowers a tier: it sees only part of a member's year, so that is head office's decision
     * (TierReviews). It may raise one, offline too, for a member the store keeps, when the figure it names reaches the
     * tier's threshold in the rule set it names; a review that keeps a tier head office holds lower is an upgrade too.
     */
    private void tierReviewed(Handle h, TerminalIdentity who, Event.TierReviewed t) {
        if (t.reason() == TierReason.REVIEW_DOWNGRADE) {
            throw new Projector.Unusable("a tier is lowered only by head office's review");
        }
        UUID survivor = Projector.resolve(h, t.memberId());
        if (!raises(h, t.memberId(), survivor, t.toTier())) {
            return; // raises nothing at head office (Projector.tier)
        }
        kept(h, who, survivor, t.memberId(), "its tier is not the store's to review");
        reaches(h, who, t.toTier(), t.figure(), t.ruleSetVersion());
    }

    /**
     * A sale's or checkout's upgrade is checked as a store's review is: when {@code tierAfter} raises the tier head office
     * holds (whatever {@code tierBefore} the store saw), the figure it names must reach that tier in the rule set it names.
     * The store need not keep the member already: the sale itself makes it keep them.
     */
    void upgrade(Handle h, TerminalIdentity who, UUID memberId, Tier tierBefore, Tier tierAfter, long figure, int version) {
        if (tierAfter.compareTo(tierBefore) > 0 && raises(h, memberId, Projector.resolve(h, memberId), tierAfter)) {
            reaches(h, who, tierAfter, figure, version);
        }
    }

    /** Whether {@code tier} is above the one head office holds for the member (only such a tier moves it). */
    private static boolean raises(Handle h, UUID memberId, UUID survivor, Tier tier) {
        return tier.compareTo(Projector.knownTier(h, memberId, survivor)) > 0;
    }

    /** An upgrade's figure must reach the tier's threshold in a rule set head office knows. */
    private void reaches(Handle h, TerminalIdentity who, Tier tier, long figure, int version) {
        RuleSet r = rules(h, who, version).orElseThrow(() -> new Projector.Unusable("rule_set_version "
                + version + " is unknown at head office: an upgrade is checked against its rule set"));
        if (figure < r.threshold(tier)) {
            throw new Projector.Unusable("figure " + figure + " does not reach " + tier + "'s threshold "
                    + r.threshold(tier) + " in rule set " + version);
        }
    }

    /** The member must be kept by the sender's store (it is their home store, served them or asked for their history). */
    static void kept(Handle h, TerminalIdentity who, UUID survivor, UUID member, String why) {
        if (!MemberStores.of(h, survivor).contains(who.storeId())) {
            throw new Projector.Unusable("member " + member + " is not kept by store " + who.storeId() + ": " + why);
        }
    }

    private static void enrolment(TerminalIdentity who, Event.MemberEnrolled m, OffsetDateTime now) {
        if (!m.homeStore().equals(who.storeId())) {
            throw new Projector.Unusable("home_store " + m.homeStore() + " is not the sender's store " + who.storeId());
        }
        notAhead(m.enrolledAt(), "enrolled_at", now);
    }

    private void sale(Handle h, TerminalIdentity who, Event.SaleRecorded s, OffsetDateTime now) {
        String prefix = who.storeId() + "-" + who.terminalId() + "-";
        if (!s.receiptNo().startsWith(prefix)) {
            throw new Projector.Unusable("receipt_no " + s.receiptNo() + " is not one of the sender's (" + prefix + "…)");
        }
        notAhead(s.purchasedAt(), "purchased_at", now);
        Optional<RuleSet> rules = rules(h, who, s.ruleSetVersion());
        long expected = rules.map(r -> r.pointsFor(s.totalFen(), s.tierBefore())).orElse(-1L);
        if (expected >= 0 && s.pointsEarned() != expected) {
            throw new Projector.Unusable("points_earned " + s.pointsEarned() + " is not what rule set " + s.ruleSetVersion()
                    + " gives " + s.tierBefore() + " for " + s.totalFen() + " fen (" + expected + ")");
        }
        if (expected < 0 && s.pointsEarned() > Limits.maxPointsFor(s.totalFen())) {
            throw new Projector.Unusable("points_earned " + s.pointsEarned() + " is more than any rule set gives for "
                    + s.totalFen() + " fen");
        }
        // A tier_before above head office's is not refused: the store may not have pulled a review yet, and the sale
        // must stand. The projector takes back the points beyond the rate of the tier head office holds.
        upgrade(h, who, s.memberId(), s.tierBefore(), s.tierAfter(), s.tierFigure(), s.ruleSetVersion());
    }

    /**
     * A store brings the legacy history of its own members only (a till's import refuses any other row), under no
     * other store's or terminal's receipt numbers, and with no more points than the rule set it names gives the
     * highest tier for the amount.
     */
    private void imported(Handle h, TerminalIdentity who, Event.PurchaseImported p) {
        Optional<String> home = h.createQuery("SELECT home_store FROM member WHERE id = :m").bind("m", p.memberId())
                .mapTo(String.class).findOne();
        if (home.isEmpty()) {
            throw new Projector.Unusable("member " + p.memberId() + " is unknown at head office");
        }
        if (!home.get().equals(who.storeId())) {
            throw new Projector.Unusable("member " + p.memberId() + " is store " + home.get()
                    + "'s: only its home store imports its history");
        }
        if (p.receiptNo() != null) {
            receiptRange(h, who, p.receiptNo());
        }
        if (p.pointsEarned() > 0) { // the protocol requires a rule set with points
            RuleSet r = rules(h, who, p.ruleSetVersion()).orElseThrow(() -> new Projector.Unusable("rule_set_version "
                    + p.ruleSetVersion() + " is unknown at head office: imported points are bounded by a known rule set"));
            long most = java.util.Arrays.stream(Tier.values()).mapToLong(t -> r.pointsFor(p.totalFen(), t)).max().orElse(0);
            if (p.pointsEarned() > most) {
                throw new Projector.Unusable("points_earned " + p.pointsEarned() + " is more than rule set "
                        + p.ruleSetVersion() + " gives any tier for " + p.totalFen() + " fen (" + most + ")");
            }
        }
    }

    /**
     * A receipt number of the form STORE-TERMINAL-… names the till that printed it: an imported one must not fall in
     * another store's range, nor in another terminal's of the sender's store. The store's demo range (STORE-DEMO-…)
     * and legacy numbers that name no store of the chain pass.
     */
    private static void receiptRange(Handle h, TerminalIdentity who, String receiptNo) {
        String[] parts = receiptNo.split("-", 3);
        if (parts.length < 2) {
            return;
        }
        if (!parts[0].equals(who.storeId())) {
            if (h.createQuery("SELECT COUNT(*) FROM terminal WHERE store_id = :s").bind("s", parts[0]).mapTo(Integer.class)
                    .one() > 0) {
                throw new Projector.Unusable("receipt_no " + receiptNo + " is in store " + parts[0] + "'s range, not the sender's ("
                        + who.storeId() + "-" + who.terminalId() + "-…)");
            }
            return;
        }
        if (!parts[1].equals(who.terminalId()) && h.createQuery(
                "SELECT COUNT(*) FROM terminal WHERE store_id = :s AND terminal_id = :t")
                .bind("s", parts[0]).bind("t", parts[1]).mapTo(Integer.class).one() > 0) {
            throw new Projector.Unusable("receipt_no " + receiptNo + " is in terminal " + parts[0] + "-" + parts[1]
                    + "'s range, not the sender's (" + who.storeId() + "-" + who.terminalId() + "-…)");
        }
    }

    /** What rule set {@code version}, as the store knows it, gives {@code tier} for a purchase; empty if unknown. */
    Optional<Long> pointsFor(Handle h, TerminalIdentity who, int version, long totalFen, Tier tier) {
        return rules(h, who, version).map(r -> r.pointsFor(totalFen, tier));
    }

    /** A coupon head office knows must be the member's own (or its alias's). */
    static void coupon(Handle h, Event.CouponRedeemed c) {
        Optional<UUID> holder = h.createQuery("""
                SELECT COALESCE(m.survivor_id, m.id) FROM coupon c JOIN member m ON m.id = c.member_id WHERE c.code = :code""")
                .bind("code", c.couponCode()).mapTo(UUID.class).findOne();
        if (holder.isEmpty()) {
            throw new Projector.Unusable("coupon " + c.couponCode() + " is unknown at head office");
        }
        if (!holder.get().equals(Projector.resolve(h, c.memberId()))) {
            throw new Projector.Unusable("coupon " + c.couponCode() + " belongs to another member");
        }
    }

    /** How long a store's coupon may be valid, counted from its issue day: as an owner's issue ({@link OwnerApi}). */
    static final int MAX_COUPON_DAYS = OwnerApi.MAX_VALIDITY_DAYS;

    /**
     * A store's coupon as the owner's own issue is checked: from a template head office has, a tier perk only for a
     * member of that tier or above (as head office holds it), valid for at most a year from its issue, and issued by
     * the store itself (a trigger or a manager), never in head office's name.
     */
    private static void couponIssued(Handle h, Event.CouponIssued c) {
        if (c.issuedBy() == null || !ISSUER.matcher(c.issuedBy()).matches()) {
            throw new Projector.Unusable("issued_by " + c.issuedBy() + " is not a store's issuer (trigger:REASON, manager:NAME or demo:TRIGGER)");
        }
        CouponTemplate template = new CouponRepository().template(h, c.templateId())
                .orElseThrow(() -> new Projector.Unusable("template_id " + c.templateId() + " is unknown at head office"));
        UUID survivor = Projector.resolve(h, c.memberId());
        Tier tier = Projector.knownTier(h, c.memberId(), survivor);
        if (!template.servesTier(tier)) {
            throw new Projector.Unusable("template " + c.templateId() + " serves " + template.tier()
                    + " members and above; member " + c.memberId() + " is " + tier);
        }
        LocalDate issued = c.issuedAt().toLocalDate();
        // Both ends count, as in the owner's issue; a day's slack before it for an issue time read in another zone.
        if (c.validUntil().isAfter(issued.plusDays(MAX_COUPON_DAYS - 1L)) || c.validFrom().isBefore(issued.minusDays(1))) {
            throw new Projector.Unusable("valid_from " + c.validFrom() + " to valid_until " + c.validUntil()
                    + " is not within " + MAX_COUPON_DAYS + " days of its issue on " + issued);
        }
    }

    /**
     * "trigger:REASON" for a coupon the till issued by itself, "manager:NAME" for one a manager gave, "demo:TRIGGER" for
     * a demo store's history.
     */
    private static final Pattern ISSUER = Pattern.compile(Pattern.quote(Coupon.TRIGGER_PREFIX) + "[A-Z_]+|demo:[A-Z_]+|manager:\\S.*");

    /**
     * A void names the coupon's own member (or a member merged with it), and comes from a store that keeps that member:
     * the store that issued it (an issue makes the store keep the member) or one that served the member.
     */
    private static void couponVoided(Handle h, TerminalIdentity who, Event.CouponVoided c) {
        Optional<UUID> holder = h.createQuery("""
                SELECT COALESCE(m.survivor_id, m.id) FROM coupon c JOIN member m ON m.id = c.member_id WHERE c.code = :code""")
                .bind("code", c.couponCode()).mapTo(UUID.class).findOne();
        if (holder.isEmpty()) {
            throw new Projector.Unusable("coupon " + c.couponCode() + " is unknown at head office");
        }
        if (c.memberId() == null || !holder.get().equals(Projector.resolve(h, c.memberId()))) {
            throw new Projector.Unusable("coupon " + c.couponCode() + " is not member " + c.memberId() + "'s");
        }
        if (!MemberStores.of(h, holder.get()).contains(who.storeId())) {
            throw new Projector.Unusable("coupon " + c.couponCode() + " is held for a member store " + who.storeId()
                    + " does not keep: it is not the store's to void");
        }
    }

    private void rulesChanged(Handle h, TerminalIdentity who, Event.RulesChanged r) {
        RuleSetRepository.Parsed parsed = ruleSets.parse(r.body());
        if (!parsed.valid()) {
            throw new Projector.Unusable("the rule set is not valid: " + parsed.problems().get(0).format(Locale.ENGLISH));
        }
        if (parsed.ruleSet().version() != r.version()) {
            throw new Projector.Unusable("body's version " + parsed.ruleSet().version() + " is not version " + r.version());
        }
        h.createUpdate("DELETE FROM store_rule_set WHERE store_id = :s AND version = :v")
                .bind("s", who.storeId()).bind("v", r.version()).execute();
        h.createUpdate("INSERT INTO store_rule_set(store_id, version, body) VALUES (:s, :v, :b)")
                .bind("s", who.storeId()).bind("v", r.version()).bind("b", r.body()).execute();
        PushScope.of(h).ifPresent(scope -> scope.forget(new RuleKey(who.storeId(), r.version())));
    }

    private record RuleKey(String storeId, int version) {
    }

    /**
     * The rule set a store says it applied: its own local one, one head office published, or a built-in one. Empty if
     * unknown. Read sets are kept by their text: a close-of-day push names the same few sets thousands of times, and a
     * push reads each named set once.
     */
    Optional<RuleSet> rules(Handle h, TerminalIdentity who, int version) {
        RuleKey key = new RuleKey(who.storeId(), version);
        Optional<String> body = PushScope.of(h).map(scope -> scope.remember(key, k -> ruleBody(h, k)))
                .orElseGet(() -> ruleBody(h, key));
        return body.map(b -> {
            if (read.size() > MAX_KEPT_RULE_SETS) {
                read.clear();
            }
            return read.computeIfAbsent(b, text -> {
                RuleSetRepository.Parsed parsed = ruleSets.parse(text);
                if (!parsed.valid()) {
                    throw new IllegalStateException("stored rule set " + version + " is not valid: " + parsed.problems());
                }
                return parsed.ruleSet();
            });
        });
    }

    private static Optional<String> ruleBody(Handle h, RuleKey key) {
        return h.createQuery("SELECT body FROM store_rule_set WHERE store_id = :s AND version = :v")
                .bind("s", key.storeId()).bind("v", key.version()).mapTo(String.class).findOne()
                .or(() -> h.createQuery("SELECT body FROM rule_set WHERE version = :v").bind("v", key.version())
                        .mapTo(String.class).findOne())
                .or(() -> h.createQuery("SELECT body FROM builtin_rule_set WHERE version = :v").bind("v", key.version())
                        .mapTo(String.class).findOne());
    }

    private static void notAhead(OffsetDateTime at, String field, OffsetDateTime now) {
        if (at.isAfter(now.plus(MAX_SKEW))) {
            throw new Projector.Unusable(field + " " + at + " is ahead of head office's clock");
        }
    }
}
