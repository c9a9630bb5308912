package dev.counterpoint.sync;

import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.coupon.CouponTemplates;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.TierLedger;
import dev.counterpoint.member.ConsentRecord;
import dev.counterpoint.member.ConsentRepository;
import dev.counterpoint.member.MemberErasure;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.member.MemberTags;
import dev.counterpoint.member.PhoneBoxKeys;
import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.ProtocolException;
import dev.counterpoint.scan.MemberQrKeys;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies head office's changes to the terminal's tables. Every change is idempotent (rows are keyed by
 * head office's ids), so a page applied twice changes nothing the second time. Changes arrive read into their
 * records; one that cannot be read or used is parked by the caller, never applied in part.
 */
final class FeedApplier {
    private static final Logger LOG = LoggerFactory.getLogger(FeedApplier.class);
    private final MemberRepository members;
    private final RuleSetRepository ruleSets;
    private final PurchaseRepository purchases;
    private final TierLedger tiers;
    private final Clock clock;
    private final MemberErasure erasure;
    private final ConsentRepository consent = new ConsentRepository();
    private final MemberQrKeys qrKeys = new MemberQrKeys();
    private final PhoneBoxKeys phoneBoxKeys = new PhoneBoxKeys();
    private final CouponRepository templates = new CouponRepository();

    FeedApplier(MemberRepository members, RuleSetRepository ruleSets, PurchaseRepository purchases, TierLedger tiers,
                Clock clock, MemberErasure erasure) {
        this.erasure = erasure;
        this.members = members;
        this.ruleSets = ruleSets;
        this.purchases = purchases;
        this.tiers = tiers;
        this.clock = clock;
    }

    /**
     * Applies one change. A change this terminal cannot use (a rule set its rules refuse) throws
     * {@link ProtocolException}, and the caller parks it.
     */
    void apply(Handle h, Change change) {
        if (change instanceof Change.MemberEnrolled m) {
            memberEnrolled(h, m);
        } else if (change instanceof Change.MemberProfile m) {
            memberProfile(h, m);
        } else if (change instanceof Change.MemberMerged m) {
            memberMerged(h, m.aliasId(), m.survivorId());
        } else if (change instanceof Change.MemberSplit m) {
            memberSplit(h, m);
        } else if (change instanceof Change.MemberConsent c) {
            memberConsent(h, c);
        } else if (change instanceof Change.MemberErased m) {
            memberErased(h, m);
        } else if (change instanceof Change.MemberTag t) {
            memberTag(h, t);
        } else if (change instanceof Change.PointsEntry e) {
            pointsEntry(h, e);
        } else if (change instanceof Change.StoredValueEntry e) {
            svEntry(h, e);
        } else if (change instanceof Change.CouponIssued c) {
            couponIssued(h, c);
        } else if (change instanceof Change.CouponRedeemed c) {
            h.createUpdate("UPDATE coupon SET status = 'REDEEMED' WHERE code = :c AND status = 'ISSUED'")
                    .bind("c", c.couponCode()).execute();
        } else if (change instanceof Change.CouponVoided c) {
            // Void even if redeemed here offline, as head office holds it (the redemption itself is kept): otherwise the
            // store that used the coupon says REDEEMED and every other store, having seen the void first, VOID.
            h.createUpdate("UPDATE coupon SET status = 'VOID' WHERE code = :c")
                    .bind("c", c.couponCode()).execute();
        } else if (change instanceof Change.CouponAdjudicated c) {
            couponAdjudicated(h, c);
        } else if (change instanceof Change.RuleSetPublished r) {
            ruleSet(h, r);
        } else if (change instanceof Change.PurchaseRecorded p) {
            purchase(h, p);
        } else if (change instanceof Change.PurchaseRefunded p) {
            purchaseRefunded(h, p);
        } else if (change instanceof Change.TierReviewed t) {
            tierReviewed(h, t);
        } else if (change instanceof Change.MemberQrKey k) {
            qrKeys.insert(h, k.publicKey(), OffsetDateTime.now(clock));
        } else if (change instanceof Change.PhoneBoxKey k) {
            phoneBoxKeys.insert(h, k.publicKey(), k.publishedAt());
        } else if (change instanceof Change.StaffAccount a) {
            dev.counterpoint.staff.StaffAccounts.applyPulled(h, a);
        } else if (change instanceof Change.CouponTemplatePublished t) {
            couponTemplate(h, t);
        } else if (change instanceof Change.CouponRestored c) {
            // The checkout that used it was taken back whole: usable again (a redemption of it made here stays as it is).
            h.createUpdate("UPDATE coupon SET status = 'ISSUED' WHERE code = :c AND status = 'REDEEMED'")
                    .bind("c", c.couponCode()).execute();
        }
    }

    /** A purchase made at another store (or here, sent back after a restore) by a member whose history is kept here. */
    private void purchase(Handle h, Change.PurchaseRecorded p) {
        if (purchases.exists(h, p.purchaseId()) || !memberKnown(h, p.memberId())) {
            return;
        }
        // An erased member's purchases are kept as totals only, whatever the change still carries.
        List<PurchaseLine> lines = erased(h, p.memberId()) ? List.of() : p.lines().stream()
                .map(l -> new PurchaseLine(l.sku(), l.category(), l.qty(), l.amountFen())).toList();
        purchases.insert(h, new Purchase(p.purchaseId(), p.memberId(), p.storeId(), p.receiptNo(), p.purchasedAt(),
                p.totalFen(), p.source(), lines), p.terminalId());
    }

    /**
     * What head office holds as taken back of a purchase kept here: it stands, whoever made the refunds (decision 0094).
     * A purchase not kept here has nothing to update; one taken back beyond its total is parked.
     */
    private void purchaseRefunded(Handle h, Change.PurchaseRefunded p) {
        Optional<Long> total = purchases.totalOf(h, p.purchaseId());
        if (total.isEmpty()) {
            return;
        }
        if (p.refundedFen() > total.get()) {
            throw new ProtocolException("refunded_fen " + p.refundedFen() + " is more than the purchase's total "
                    + total.get());
        }
        purchases.refundedAsHeld(h, p.purchaseId(), p.refundedFen(), p.voided());
    }

    /** Head office's tier review: recorded as this member's review, and the tier set unless a later edit is held here. */
    private void tierReviewed(Handle h, Change.TierReviewed t) {
        if (!memberKnown(h, t.memberId()) || erased(h, t.memberId())) {
            return;
        }
        tiers.recordPulled(h, t.tierEventId(), t.memberId(), t.fromTier(), t.toTier(), t.reason(), t.figure(),
                t.ruleSetVersion(), t.reviewDate(), OffsetDateTime.now(clock), t.hlc());
        Long local = members.fieldHlc(h, t.memberId(), "tier");
        if (local == null || t.hlc() >= local) {
            members.setField(h, t.memberId(), "tier", t.toTier().name(), t.hlc());
        }
    }

    private void memberEnrolled(Handle h, Change.MemberEnrolled m) {
        UUID id = m.memberId();
        if (exists(h, "SELECT COUNT(*) FROM member WHERE id = :id", id)) {
            return;
        }
        String masked = m.phoneMasked();
        h.createUpdate("""
                INSERT INTO member(id, display_name, name_search, phone_hmac, phone_masked, phone_last4, birthday, tier,
                                   home_store, enrolled_at, enrolled_via, updated_hlc)
                VALUES (:id, :name, :search, :hmac, :masked, :last4, :birthday, :tier, :home, :at, :via, :hlc)""")
                .bind("id", id).bind("name", m.name()).bind("search", m.name().toLowerCase(Locale.ROOT))
                .bind("hmac", m.phoneHmac()).bind("masked", masked)
                .bind("last4", masked != null && masked.length() >= 4 ? masked.substring(masked.length() - 4) : null)
                .bind("birthday", m.birthday()).bind("tier", m.tier().name()).bind("home", m.homeStore())
                .bind("at", m.enrolledAt()).bind("via", m.enrolledVia().name()).bind("hlc", m.hlc())
                .execute();
        members.indexName(h, id, m.name());
        if (exists(h, "SELECT COUNT(*) FROM member_code WHERE code = :id", m.cardCode())) {
            LOG.warn("card code {} of member {} is already used here; the member is found by phone or name", m.cardCode(), id);
        } else {
            h.createUpdate("INSERT INTO member_code(code, member_id, kind) VALUES (:c, :m, 'CARD')")
                    .bind("c", m.cardCode()).bind("m", id).execute();
        }
    }

    /** Head office's winning value for a profile field; a newer edit made here (not yet pushed) is kept. */
    private void memberProfile(Handle h, Change.MemberProfile p) {
        String field = p.field().wireName();
        if (!memberKnown(h, p.memberId()) || !MemberRepository.SYNCED_FIELDS.contains(field) || erased(h, p.memberId())) {
            return; // an erased member's data never comes back
        }
        Long local = members.fieldHlc(h, p.memberId(), field);
        if (local == null || p.hlc() >= local) {
            members.setField(h, p.memberId(), field, p.value(), p.hlc());
        }
    }

    /** Head office's winning consent for one channel; a newer change made here (not yet pushed) is kept. */
    private void memberConsent(Handle h, Change.MemberConsent c) {
        if (!memberKnown(h, c.memberId()) || erased(h, c.memberId())) {
            return;
        }
        Long local = consent.hlc(h, c.memberId(), c.channel());
        if (local == null || c.hlc() >= local) {
            consent.set(h, c.memberId(), new ConsentRecord(c.channel(), c.granted(), c.recordedAt(), c.storeId(),
                    c.terminalId(), c.staffId()), c.hlc());
        }
    }

    /** Head office's winning state of a custom tag; a newer change made here (not yet pushed) is kept. */
    private void memberTag(Handle h, Change.MemberTag t) {
        if (!memberKnown(h, t.memberId()) || erased(h, t.memberId())) {
            return;
        }
        MemberTags.applyPulled(h, t.memberId(), new MemberTags.TagRow(t.tag(), t.on(), t.setAt(), t.storeId(), t.staffId(),
                t.hlc()));
    }

    /**
     * A member erased at head office or another store: what this store holds of them is erased. A member this store
     * never had is kept as the erased card it is, so its ledger entries have their member and {@code lookup} says so.
     */
    private void memberErased(Handle h, Change.MemberErased m) {
        UUID id = m.memberId();
        if (memberKnown(h, id)) {
            erasure.erase(h, id, m.erasedAt());
            return;
        }
        h.createUpdate("""
                INSERT INTO member(id, display_name, name_search, tier, home_store, enrolled_at, enrolled_via, status,
                                   erased_at, updated_hlc)
                VALUES (:id, '', '', :tier, :home, :at, :via, 'ERASED', :erased, 0)""")
                .bind("id", id).bind("tier", m.tier().name()).bind("home", m.homeStore()).bind("at", m.enrolledAt())
                .bind("via", m.enrolledVia().name()).bind("erased", m.erasedAt()).execute();
        if (!exists(h, "SELECT COUNT(*) FROM member_code WHERE code = :id", m.cardCode())) {
            h.createUpdate("INSERT INTO member_code(code, member_id, kind) VALUES (:c, :m, 'CARD')")
                    .bind("c", m.cardCode()).bind("m", id).execute();
        }
    }

    private static boolean erased(Handle h, UUID member) {
        return exists(h, "SELECT COUNT(*) FROM member WHERE id = :id AND status = 'ERASED'", member);
    }

    /** The alias keeps its rows (history is never rewritten); its codes now lead to the survivor. */
    private void memberMerged(Handle h, UUID alias, UUID survivor) {
        if (!exists(h, "SELECT COUNT(*) FROM member WHERE id = :id", alias)
                || !exists(h, "SELECT COUNT(*) FROM member WHERE id = :id", survivor)) {
            return;
        }
        h.createUpdate("UPDATE member SET status = 'MERGED' WHERE id = :a").bind("a", alias).execute();
        h.createUpdate("UPDATE member_alias SET survivor_id = :s WHERE survivor_id = :a").bind("s", survivor).bind("a", alias).execute();
        h.createUpdate("DELETE FROM member_alias WHERE alias_id = :a").bind("a", alias).execute();
        h.createUpdate("INSERT INTO member_alias(alias_id, survivor_id) VALUES (:a, :s)").bind("a", alias).bind("s", survivor).execute();
        h.createUpdate("UPDATE member_code SET member_id = :s, kind = 'ALIAS' WHERE member_id = :a")
                .bind("s", survivor).bind("a", alias).execute();
    }

    /**
     * A merge undone at head office: the alias is its own member again and its card leads to it. The balances come
     * back as the entries that follow; purchases stay with whoever made them.
     */
    private void memberSplit(Handle h, Change.MemberSplit m) {
        if (!exists(h, "SELECT COUNT(*) FROM member WHERE id = :id AND status = 'MERGED'", m.aliasId())) {
            return;
        }
        h.createUpdate("UPDATE member SET status = 'ACTIVE' WHERE id = :a").bind("a", m.aliasId()).execute();
        h.createUpdate("DELETE FROM member_alias WHERE alias_id = :a").bind("a", m.aliasId()).execute();
        h.createUpdate("UPDATE member_code SET member_id = :a, kind = 'CARD' WHERE code = :c AND member_id = :s")
                .bind("a", m.aliasId()).bind("c", m.cardCode()).bind("s", m.survivorId()).execute();
    }

    private void pointsEntry(Handle h, Change.PointsEntry e) {
        if (exists(h, "SELECT COUNT(*) FROM points_entry WHERE id = :id", e.entryId()) || !memberKnown(h, e.memberId())) {
            return;
        }
        h.createUpdate("""
                INSERT INTO points_entry(id, member_id, delta, kind, lot_expires_on, ref_id, created_at, hlc, pulled)
                VALUES (:id, :m, :d, :k, :exp, :ref, :at, :hlc, TRUE)""")
                .bind("id", e.entryId()).bind("m", e.memberId()).bind("d", e.delta()).bind("k", e.kind().name())
                .bind("exp", e.lotExpiresOn()).bind("ref", e.refId()).bind("at", e.createdAt()).bind("hlc", e.hlc())
                .execute();
    }

    private void svEntry(Handle h, Change.StoredValueEntry e) {
        if (exists(h, "SELECT COUNT(*) FROM sv_entry WHERE id = :id", e.entryId()) || !memberKnown(h, e.memberId())) {
            return;
        }
        h.createUpdate("""
                INSERT INTO sv_entry(id, member_id, delta_fen, kind, ref_id, created_at, hlc, pulled)
                VALUES (:id, :m, :d, :k, :ref, :at, :hlc, TRUE)""")
                .bind("id", e.entryId()).bind("m", e.memberId()).bind("d", e.deltaFen()).bind("k", e.kind().name())
                .bind("ref", e.refId()).bind("at", e.createdAt()).bind("hlc", e.hlc())
                .execute();
    }

    private void couponIssued(Handle h, Change.CouponIssued c) {
        if (exists(h, "SELECT COUNT(*) FROM coupon WHERE id = :id", c.couponId()) || !memberKnown(h, c.memberId())) {
            return;
        }
        if (!exists(h, "SELECT COUNT(*) FROM coupon_template WHERE id = :id", c.templateId())) {
            throw new ProtocolException("coupon " + c.code() + " uses template " + c.templateId() + ", unknown here");
        }
        h.createUpdate("""
                INSERT INTO coupon(id, code, member_id, template_id, valid_from, valid_until, status, issued_at, issued_by)
                VALUES (:id, :code, :m, :t, :from, :until, 'ISSUED', :at, :by)""")
                .bind("id", c.couponId()).bind("code", c.code()).bind("m", c.memberId()).bind("t", c.templateId())
                .bind("from", c.validFrom()).bind("until", c.validUntil()).bind("at", c.issuedAt())
                .bind("by", c.issuedBy() == null ? "head-office" : c.issuedBy()).execute();
    }

    /**
     * A template head office made: kept (or replaced) as the counter's own templates are, once it passes the checks the
     * counter makes of any template; one it could not honour is parked, and its coupons with it.
     */
    private void couponTemplate(Handle h, Change.CouponTemplatePublished p) {
        CouponTemplate t = CouponTemplates.of(p);
        List<String> problems = CouponTemplates.problems(t, null);
        if (!problems.isEmpty()) {
            throw new ProtocolException("coupon template " + p.templateId() + " is refused here: " + String.join("; ", problems));
        }
        templates.saveTemplate(h, t, p.active());
    }

    /** Head office decided who holds a contested coupon; the redemptions made here learn their outcome. */
    private void couponAdjudicated(Handle h, Change.CouponAdjudicated c) {
        h.createUpdate("UPDATE coupon SET status = 'REDEEMED' WHERE code = :c AND status = 'ISSUED'")
                .bind("c", c.couponCode()).execute();
        h.createUpdate("UPDATE coupon_redemption SET outcome = 'STANDS', provisional = FALSE WHERE id = :id")
                .bind("id", c.winnerRedemptionId()).execute();
        for (UUID loser : c.loserRedemptionIds()) {
            h.createUpdate("UPDATE coupon_redemption SET outcome = 'LOST', provisional = FALSE WHERE id = :id")
                    .bind("id", loser).execute();
        }
    }

    /** A published rule set is checked as the manager's editor checks one: a set the counter could not run is parked. */
    private void ruleSet(Handle h, Change.RuleSetPublished r) {
        RuleSetRepository.Parsed parsed = ruleSets.parse(r.body());
        if (!parsed.valid() || parsed.ruleSet().version() != r.version()) {
            throw new ProtocolException("rule set " + r.version() + " is refused here: " + (parsed.valid()
                    ? "its body is version " + parsed.ruleSet().version()
                    : parsed.problems().get(0).format(Locale.ENGLISH)));
        }
        if (!exists(h, "SELECT COUNT(*) FROM rule_set WHERE version = :id", r.version())) {
            ruleSets.insert(h, parsed.ruleSet(), OffsetDateTime.now(clock));
        }
    }

    private static boolean memberKnown(Handle h, UUID member) {
        return exists(h, "SELECT COUNT(*) FROM member WHERE id = :id", member);
    }

    private static boolean exists(Handle h, String sql, Object id) {
        return h.createQuery(sql).bind("id", id).mapTo(Integer.class).one() > 0;
    }
}
