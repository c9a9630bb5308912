package dev.counterpoint.office;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.PurchaseSource;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.Verdict;
import dev.counterpoint.store.Ids;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one pushed event to head office's tables and decides anything of value: who holds a coupon,
 * whether a balance went short, which member survives a duplicate phone. Runs inside the push transaction,
 * after the feed lock is taken, so decisions are serial. Events arrive read and checked (see {@link EventChecks}).
 */
final class Projector {
    private static final Logger LOG = LoggerFactory.getLogger(Projector.class);
    private final ObjectMapper json;
    private final EventChecks checks;
    private final Erasures erasures;
    private final CheckoutProjection checkouts;
    private final BalanceAdjustments adjustments;
    private final PhoneBoxes phoneBoxes;

    Projector(ObjectMapper json, EventChecks checks, PhoneBoxes phoneBoxes) {
        this.phoneBoxes = phoneBoxes;
        this.json = json;
        this.checks = checks;
        this.erasures = new Erasures(json);
        this.checkouts = new CheckoutProjection(this, json);
        this.adjustments = new BalanceAdjustments(this);
    }

    /** Thrown before any write when an event cannot be applied; the event is kept with verdict REJECTED. */
    static final class Unusable extends RuntimeException {
        Unusable(String message) {
            super(message);
        }
    }

    Verdict apply(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, Event event, OffsetDateTime now) {
        if (event.memberId() != null && !(event instanceof Event.MemberEnrolled) && !(event instanceof Event.MemberImported)) {
            // A store that serves a member keeps their history from now on.
            MemberStores.join(h, feed, resolve(h, event.memberId()), who.storeId(), now);
        }
        if (event instanceof Event.MemberEnrolled m) {
            return memberEnrolled(h, feed, who, e, m, null, now);
        } else if (event instanceof Event.MemberImported m) {
            return memberEnrolled(h, feed, who, e, m.enrolment(), m, now);
        } else if (event instanceof Event.MemberUpdated m) {
            return profile(h, feed, e, m);
        } else if (event instanceof Event.MemberConsent c) {
            return consent(h, feed, who, e, c);
        } else if (event instanceof Event.MemberErased m) {
            erasures.erase(h, feed, m.memberId(), now);
            return Verdict.ACCEPTED;
        } else if (event instanceof Event.MemberTagged t) {
            return OfficeTags.apply(h, feed, who, e, t);
        } else if (event instanceof Event.SaleRecorded s) {
            return sale(h, feed, who, e, s);
        } else if (event instanceof Event.PurchaseImported p) {
            return imported(h, feed, who, e, p);
        } else if (event instanceof Event.CouponRedeemed c) {
            return couponRedeemed(h, feed, who, e, c, now);
        } else if (event instanceof Event.CouponIssued c) {
            if (h.createQuery("SELECT COUNT(*) FROM coupon WHERE code = :c").bind("c", c.couponCode()).mapTo(Integer.class)
                    .one() > 0) {
                // Codes are the chain's: a store's code already held (by another store's coupon, say) is refused by name.
                throw new Unusable("coupon_code " + c.couponCode() + " is already another coupon's at head office");
            }
            UUID survivor = resolve(h, c.memberId());
            boolean twice = triggeredTwice(h, survivor, c);
            recordCoupon(h, feed, who, c.couponId(), c.couponCode(), c.memberId(), c.templateId(), c.validFrom(),
                    c.validUntil(), c.issuedAt(), c.issuedBy());
            if (twice) {
                // Two stores saw the same occasion (a tier perk, a welcome) before either heard of the other's coupon:
                // the one head office knew first stands, and this one is voided everywhere, the issuing store included.
                h.createUpdate("UPDATE coupon SET status = 'VOID' WHERE code = :c").bind("c", c.couponCode()).execute();
                feed.append(new Change.CouponVoided(c.couponCode()), null);
            }
            return Verdict.ACCEPTED;
        } else if (event instanceof Event.CouponVoided c) {
            h.createUpdate("UPDATE coupon SET status = 'VOID' WHERE code = :c").bind("c", c.couponCode()).execute();
            feed.append(new Change.CouponVoided(c.couponCode()), who);
            return Verdict.ACCEPTED;
        } else if (event instanceof Event.PointsRedeemed p) {
            return pointsSpent(h, feed, who, e, p);
        } else if (event instanceof Event.PointsExpired p) {
            return pointsEntry(h, feed, who, e, p.memberId(), p.entryId(), -p.points(), PointsKind.EXPIRE, p.lotId(),
                    p.writtenOffAt());
        } else if (event instanceof Event.StoredValuePaid p) {
            return svEntry(h, feed, who, e, p.memberId(), p.entryId(), -p.amountFen(), StoredValueKind.PAY, null, p.paidAt());
        } else if (event instanceof Event.StoredValueToppedUp t) {
            Verdict verdict = svEntry(h, feed, who, e, t.memberId(), t.entryId(), t.amountFen(), StoredValueKind.TOPUP, null,
                    t.toppedUpAt());
            if (t.bonusFen() > 0) {
                verdict = svEntry(h, feed, who, e, t.memberId(), t.bonusEntryId(), t.bonusFen(), StoredValueKind.BONUS,
                        t.entryId(), t.toppedUpAt());
            }
            return verdict;
        } else if (event instanceof Event.TierReviewed t) {
            return tier(h, feed, e, t.memberId(), t.toTier());
        } else if (event instanceof Event.RulesChanged) {
            // A store's own rule change (manager's editor) stays local: head office keeps it in the inbox only.
            return Verdict.ACCEPTED;
        } else if (event instanceof Event.CheckoutCompleted c) {
            return checkouts.completed(h, feed, who, e, c);
        } else if (event instanceof Event.CheckoutRefunded r) {
            return checkouts.refunded(h, feed, who, e, r, now);
        } else if (event instanceof Event.PointsAdjusted a) {
            return adjustments.points(h, feed, who, e, a, now);
        } else if (event instanceof Event.StoredValueAdjusted a) {
            return adjustments.storedValue(h, feed, who, e, a, now);
        } else if (event instanceof Event.StaffAccount a) {
            return OfficeStaff.apply(h, feed, who, e, a);
        } else if (event instanceof Event.AuditRecorded a) {
            return AuditChains.arrived(this, h, who, a, now);
        }
        throw new Unusable("no projection for " + event.getClass().getSimpleName());
    }

    // ---- members and merges ----

    private Verdict memberEnrolled(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, Event.MemberEnrolled m,
                                   Event.MemberImported opening, OffsetDateTime now) {
        // Known: any member row, an alias or an erased member's included (a push has read the batch's members).
        if (PushScope.survivor(h, m.memberId()).isPresent()) {
            throw new Unusable("member " + m.memberId() + " is already known");
        }
        boolean held = phoneHeld(h, m);
        // Joining the member who holds this phone takes the number itself as proof, so only then is the box opened
        // here. Any other box is kept as it came and checked whenever it is opened (PhoneBoxes#open).
        String box = held && m.phoneBox() != null ? phoneBoxes.verified(h, e, m) : m.phoneBox();
        return enrol(h, feed, who, e.hlc(), m, opening, box, held, now);
    }

    /** Head office's own enrolment (an import at head office), whose box it sealed itself. */
    Verdict enrol(Handle h, FeedWriter feed, TerminalIdentity who, long hlc, Event.MemberEnrolled m,
                  Event.MemberImported opening, String phoneBox, OffsetDateTime now) {
        return enrol(h, feed, who, hlc, m, opening, phoneBox, phoneHeld(h, m), now);
    }

    /**
     * A member new to head office: a store's enrolment or import, or head office's own import ({@code who} null, so
     * every store receives it). {@code phoneBox} is the full number as kept; {@code phoneHeld}: another active member
     * holds the phone, so the caller has checked that the box holds it, and the two are merged unless an owner set
     * them apart.
     */
    private Verdict enrol(Handle h, FeedWriter feed, TerminalIdentity who, long hlc, Event.MemberEnrolled m,
                          Event.MemberImported opening, String phoneBox, boolean phoneHeld, OffsetDateTime now) {
        UUID id = m.memberId();
        String hmac = m.phoneHmac();
        String masked = m.phoneMasked();
        if (who != null && phoneBox == null && phoneHeld) {
            // A phone hash is no proof of the phone: every store sees every member's hash, so a store could name a
            // member's hash to have its own new card merged into that member's account and spend its balances. Only an
            // enrolment whose box opens to the number behind the hash joins the members holding it; this one is kept
            // apart, without the phone.
            LOG.warn("member {} from {}/{}: its phone hash is another member's and it carries no box holding the number;"
                    + " kept without the phone, not merged", id, who.storeId(), who.terminalId());
            hmac = null;
            masked = null;
        }
        Change.MemberEnrolled change = new Change.MemberEnrolled(id, m.cardCode(), m.name(), hmac, masked,
                m.birthday(), m.tier(), m.homeStore(), m.enrolledAt(), m.source(), hlc);
        long known = feed.order();
        feed.append(change, who);
        h.createUpdate("""
                INSERT INTO member(id, card_code, display_name, phone_hmac, phone_masked, phone_box, birthday, tier, home_store,
                                   enrolled_at, enrolled_hlc, enrolled_via, status, known_seq)
                VALUES (:id, :card, :name, :hmac, :masked, :box, :birthday, :tier, :home, :at, :hlc, :via, 'ACTIVE', :known)""")
                .bind("id", id).bind("card", m.cardCode()).bind("name", m.name()).bind("hmac", hmac)
                .bind("box", phoneBox)
                .bind("masked", masked).bind("birthday", m.birthday()).bind("tier", m.tier().name())
                .bind("home", m.homeStore()).bind("at", m.enrolledAt()).bind("hlc", hlc).bind("via", m.source().name())
                .bind("known", known).execute();
        MemberStores.enrolled(h, id, m.homeStore(), now);
        feed.rollups().enrolled(m.homeStore(), m.enrolledAt(), m.tier());
        if (opening != null && opening.openingPoints() > 0) {
            insertPoints(h, feed, who, opening.pointsEntryId(), id, opening.openingPoints(), PointsKind.OPENING,
                    opening.openingPointsExpireOn(), null, m.enrolledAt(), hlc);
        }
        if (opening != null && opening.openingStoredValueFen() > 0) {
            insertSv(h, feed, who, opening.svEntryId(), id, opening.openingStoredValueFen(), StoredValueKind.OPENING, null,
                    m.enrolledAt(), hlc);
        }
        if (hmac == null || !phoneHeld) {
            return Verdict.ACCEPTED;
        }
        // Same phone at several stores: the member head office knew first survives. Never the HLC a terminal claims:
        // a forged early stamp would otherwise take over the real member's card and balances.
        List<UUID> samePhone = h.createQuery("""
                SELECT id FROM member WHERE phone_hmac = :hmac AND status = 'ACTIVE' ORDER BY known_seq, enrolled_hlc, id""")
                .bind("hmac", hmac).mapTo(UUID.class).list();
        UUID survivor = samePhone.get(0);
        boolean merged = false;
        for (UUID other : samePhone.subList(1, samePhone.size())) {
            // An owner who found two of them to be different people has the last word.
            if (!MembersApart.apart(h, other, survivor)) {
                merge(h, feed, other, survivor, now);
                merged |= other.equals(id);
            }
        }
        return merged ? Verdict.MERGED : Verdict.ACCEPTED;
    }

    /** Whether an active member already holds the enrolment's phone (asked before the enrolment's member is written). */
    private static boolean phoneHeld(Handle h, Event.MemberEnrolled m) {
        return m.phoneHmac() != null && h.createQuery("SELECT COUNT(*) FROM member WHERE phone_hmac = :hmac AND status = 'ACTIVE'")
                .bind("hmac", m.phoneHmac()).mapTo(Long.class).one() > 0;
    }

    /**
     * Profile edits: per field, the edit with the highest (HLC, event id) wins, whatever the arrival order. Every
     * store, the editing one included, receives the winning value, so a losing edit is replaced everywhere.
     */
    private Verdict profile(Handle h, FeedWriter feed, IncomingEvent e, Event.MemberUpdated m) {
        UUID member = resolve(h, m.memberId());
        if (m.fields().name() != null) {
            lastWriterWins(h, feed, e, member, Change.Field.NAME, m.fields().name());
        }
        if (m.fields().birthday() != null) {
            lastWriterWins(h, feed, e, member, Change.Field.BIRTHDAY, m.fields().birthday().toString());
        }
        return Verdict.ACCEPTED;
    }

    /**
     * Sets a member field if this event is the latest (HLC, event id) to set it, whatever the arrival order, and sends
     * the winning value to every store (the one that made a losing edit included).
     */
    private boolean lastWriterWins(Handle h, FeedWriter feed, IncomingEvent e, UUID member, Change.Field field, String value) {
        return lastWriterWins(h, feed, member, field, value, e.hlc(), e.eventId());
    }

    /**
     * Sets a member field if the edit stamped ({@code hlc}, {@code eventId}) is the latest to set it, and sends the
     * value to every store. False when a later edit holds the field.
     */
    static boolean lastWriterWins(Handle h, FeedWriter feed, UUID member, Change.Field field, String value, long hlc,
                                  UUID eventId) {
        record Stamp(long hlc, UUID eventId) {
        }
        Optional<Stamp> current = h.createQuery("SELECT hlc, event_id FROM member_field WHERE member_id = :m AND field = :f")
                .bind("m", member).bind("f", field.wireName())
                .map((rs, ctx) -> new Stamp(rs.getLong(1), rs.getObject(2, UUID.class))).findOne();
        boolean newer = current.isEmpty() || hlc > current.get().hlc()
                || hlc == current.get().hlc() && eventId.compareTo(current.get().eventId()) > 0;
        if (!newer) {
            return false; // an edit with a later HLC already holds this field
        }
        String column = switch (field) {
            case NAME -> "display_name";
            case BIRTHDAY -> "birthday";
            case TIER -> "tier";
        };
        h.createUpdate("UPDATE member SET " + column + " = :v WHERE id = :m")
                .bind("v", (Object) (field == Change.Field.BIRTHDAY && value != null ? LocalDate.parse(value) : value))
                .bind("m", member).execute();
        h.createUpdate(current.isEmpty()
                        ? "INSERT INTO member_field(member_id, field, hlc, event_id) VALUES (:m, :f, :hlc, :e)"
                        : "UPDATE member_field SET hlc = :hlc, event_id = :e WHERE member_id = :m AND field = :f")
                .bind("m", member).bind("f", field.wireName()).bind("hlc", hlc).bind("e", eventId).execute();
        feed.append(new Change.MemberProfile(member, field, value, hlc), null);
        return true;
    }

    /**
     * Consent per channel: as profile fields, the latest (HLC, event id) wins whatever the arrival order, and every
     * store, the one that recorded a losing change included, receives the winning value with where and when it was
     * given. The store and terminal are the sender's, as its credential says.
     */
    private Verdict consent(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, Event.MemberConsent c) {
        consent(h, feed, resolve(h, c.memberId()), c, who.storeId(), who.terminalId(), e.hlc(), e.eventId());
        return Verdict.ACCEPTED;
    }

    /** Records each channel {@code c} sets unless a later change holds it; store and terminal are null for head office's. */
    void consent(Handle h, FeedWriter feed, UUID member, Event.MemberConsent c, String storeId, String terminalId, long hlc,
                 UUID eventId) {
        record Stamp(long hlc, UUID eventId) {
        }
        c.channels().forEach((channel, granted) -> {
            Optional<Stamp> current = h.createQuery("SELECT hlc, event_id FROM member_consent WHERE member_id = :m AND channel = :c")
                    .bind("m", member).bind("c", channel.name())
                    .map((rs, ctx) -> new Stamp(rs.getLong(1), rs.getObject(2, UUID.class))).findOne();
            boolean newer = current.isEmpty() || hlc > current.get().hlc()
                    || hlc == current.get().hlc() && eventId.compareTo(current.get().eventId()) > 0;
            if (!newer) {
                return; // a change with a later HLC already holds this channel
            }
            h.createUpdate("DELETE FROM member_consent WHERE member_id = :m AND channel = :c")
                    .bind("m", member).bind("c", channel.name()).execute();
            h.createUpdate("""
                    INSERT INTO member_consent(member_id, channel, granted, recorded_at, store_id, terminal_id, staff_id, hlc,
                                               event_id)
                    VALUES (:m, :c, :g, :at, :s, :t, :staff, :hlc, :e)""")
                    .bind("m", member).bind("c", channel.name()).bind("g", granted).bind("at", c.recordedAt())
                    .bind("s", storeId).bind("t", terminalId).bind("staff", c.staffId()).bind("hlc", hlc)
                    .bind("e", eventId).execute();
            feed.append(new Change.MemberConsent(member, channel, granted, c.recordedAt(), storeId, terminalId,
                    c.staffId(), hlc), null);
        });
    }

    /** Erases a member's personal data everywhere (the owner's request; a store's arrives as {@code member.erased}). */
    Erasures.Erased erase(Handle h, FeedWriter feed, UUID memberId, OffsetDateTime now) {
        return erasures.erase(h, feed, memberId, now);
    }

    /**
     * Makes {@code alias} an alias of {@code survivor} and moves its balances by compensating entries. The merge is
     * left open for the owner: two people may share a phone, and only a person can tell.
     */
    private void merge(Handle h, FeedWriter feed, UUID alias, UUID survivor, OffsetDateTime now) {
        if (!PushScope.mayChange(h, alias) || !PushScope.mayChange(h, survivor)) {
            // Found by a phone this push did not lock its members by: unexpected, so the push runs alone to be safe.
            throw new ChainLocks.Widen("a merge of " + alias + " into " + survivor + " runs alone");
        }
        MemberStores.merge(h, feed, alias, survivor, now);
        h.createUpdate("UPDATE member SET status = 'MERGED', survivor_id = :s WHERE id = :a OR survivor_id = :a")
                .bind("s", survivor).bind("a", alias).execute();
        feed.append(new Change.MemberMerged(alias, survivor), null);
        feed.rollups().merged(alias, now);
        long points = sum(h, "SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = :m", alias);
        long fen = sum(h, "SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = :m", alias);
        movePoints(h, feed, alias, survivor, points, alias, now);
        moveSv(h, feed, alias, survivor, fen, alias, now);
        settleOverdraft(h, survivor, now); // an alias's shortfall is the survivor's now
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("alias_id", alias.toString());
        detail.put("survivor_id", survivor.toString());
        detail.put("points_moved", points);
        detail.put("stored_value_moved_fen", fen);
        upsertException(h, "MEMBER_MERGED", alias.toString(), detail, "OPEN", now);
    }

    /**
     * Undoes a merge by phone an owner found wrong: the alias is a member of its own again, kept by every store that
     * kept the pair, and what moved from it to the survivor (at the merge and with each entry made on it since) goes
     * back (the survivor may fall short if it spent it: an overdraft, as any). The pair is never merged by phone again. Purchases stay with whoever made them.
     */
    void split(Handle h, FeedWriter feed, UUID alias, UUID survivor, String by, OffsetDateTime now) {
        record State(String status, UUID survivorId, String card, boolean erased) {
        }
        State a = h.createQuery("SELECT status, survivor_id, card_code, erased_at FROM member WHERE id = :id").bind("id", alias)
                .map((rs, ctx) -> new State(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getObject(4) != null))
                .findOne().orElseThrow(() -> new OfficeException(404, "member " + alias + " is unknown"));
        if (a.erased()) {
            throw new OfficeException(409, "member " + alias + " was erased");
        }
        if (!"MERGED".equals(a.status()) || !survivor.equals(a.survivorId())) {
            // The survivor was itself merged later: that merge is undone first.
            throw new OfficeException(409, "member " + alias + " is no longer an alias of " + survivor);
        }
        // What left the alias for the survivor: at the merge, and each entry made on the alias since (compensateIfAlias).
        long pointsMoved = -sum(h, """
                SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = :m AND kind = 'ADJUST' AND ref_id = :m""", alias);
        long fenMoved = -sum(h, """
                SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = :m AND kind = 'ADJUST' AND ref_id = :m""", alias);
        h.createUpdate("UPDATE member SET status = 'ACTIVE', survivor_id = NULL WHERE id = :a").bind("a", alias).execute();
        MemberStores.split(h, alias, survivor, now);
        feed.append(new Change.MemberSplit(alias, survivor, a.card()), null);
        feed.rollups().split(alias, now);
        movePoints(h, feed, survivor, alias, pointsMoved, alias, now);
        moveSv(h, feed, survivor, alias, fenMoved, alias, now);
        PushScope.of(h).ifPresent(scope -> scope.forgetStores(alias));
        settleOverdraft(h, survivor, now);
        MembersApart.record(h, alias, survivor, by, now);
    }

    private void movePoints(Handle h, FeedWriter feed, UUID from, UUID to, long points, UUID ref, OffsetDateTime now) {
        if (points != 0) {
            long hlc = hlcOf(now);
            insertPoints(h, feed, null, Ids.next(), from, -points, PointsKind.ADJUST, null, ref, now, hlc);
            insertPoints(h, feed, null, Ids.next(), to, points, PointsKind.ADJUST, null, ref, now, hlc);
        }
    }

    private void moveSv(Handle h, FeedWriter feed, UUID from, UUID to, long fen, UUID ref, OffsetDateTime now) {
        if (fen != 0) {
            long hlc = hlcOf(now);
            insertSv(h, feed, null, Ids.next(), from, -fen, StoredValueKind.ADJUST, ref, now, hlc);
            insertSv(h, feed, null, Ids.next(), to, fen, StoredValueKind.ADJUST, ref, now, hlc);
        }
    }

    /** The member an id stands for today (itself, or the survivor it was merged into). */
    static UUID resolve(Handle h, UUID memberId) {
        return PushScope.survivor(h, memberId).orElseThrow(() -> new Unusable("unknown member " + memberId));
    }

    // ---- sales, points, stored value ----

    private Verdict sale(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, Event.SaleRecorded s) {
        UUID member = s.memberId();
        UUID survivor = resolve(h, member);
        // The push has read the member already (PushScope); outside a push, read it here.
        Tier known = PushScope.of(h).flatMap(scope -> scope.tier(member)).orElseGet(() -> Tier.valueOf(
                h.createQuery("SELECT tier FROM member WHERE id = :m").bind("m", survivor).mapTo(String.class).one()));
        purchase(h, feed, who, s.purchaseId(), member, s.receiptNo(), s.purchasedAt(), s.totalFen(), PurchaseSource.SALE,
                s.lines());
        earnedAtTier(h, feed, who, e, member, survivor, known, s.pointsEntryId(), s.pointsEarned(), s.pointsExpireOn(),
                s.purchaseId(), s.purchasedAt(), s.totalFen(), s.ruleSetVersion(), s.tierBefore(), s.tierAfter());
        return Verdict.ACCEPTED;
    }

    /**
     * The points a purchase earned on {@code baseFen} at {@code tierBefore}, and the tier it reached: a sale and a
     * checkout alike.
     */
    void earnedAtTier(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, UUID member, UUID survivor,
                      Tier known, UUID entry, long pointsEarned, LocalDate expires, UUID purchaseId, OffsetDateTime at,
                      long baseFen, int ruleSetVersion, Tier tierBefore, Tier tierAfter) {
        if (pointsEarned > 0) {
            earned(h, feed, who, e, member, entry, pointsEarned, expires, purchaseId, at);
        }
        if (tierBefore.compareTo(known) > 0) {
            // The store sold at a tier head office has since lowered (it had not pulled the review yet): the member
            // keeps the sale, and the points beyond the rate of the tier head office holds are taken back.
            long allowed = checks.pointsFor(h, who, ruleSetVersion, baseFen, known).orElse(pointsEarned);
            if (pointsEarned > allowed) {
                insertPoints(h, feed, null, Ids.next(), member, allowed - pointsEarned, PointsKind.ADJUST, null,
                        purchaseId, at, e.hlc());
                compensateIfAlias(h, feed, member, allowed - pointsEarned, 0, at);
                settleOverdraft(h, survivor, at);
            }
        }
        if (tierAfter != tierBefore && !raise(h, feed, e, member, tierAfter)) {
            raiseAsTheChainReaches(h, feed, who, e, survivor, tierAfter, ruleSetVersion, at);
        }
    }

    /**
     * A sale's raise that a later edit of a lower tier outstamps: another store's sale raised the member less, later,
     * and reached head office first (typically two members raised apart and then merged by phone). Head office raises
     * the member itself when the chain's own 12-month figure at the sale, over the member and those merged into it,
     * reaches the tier, stamped just after the edit that holds the field: the member's tier then does not depend on
     * which store's sale arrived first. Without that figure (a sale taken back since, say), it stays.
     */
    private void raiseAsTheChainReaches(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, UUID survivor,
                                        Tier tier, int ruleSetVersion, OffsetDateTime at) {
        Optional<RuleSet> rules = checks.rules(h, who, ruleSetVersion);
        if (rules.isEmpty() || TierPolicy.qualifying(rules.get(),
                TierReviews.figure(h, rules.get(), survivor, at)).compareTo(tier) < 0) {
            return;
        }
        Tier held = knownTier(h, survivor, survivor);
        long holder = h.createQuery("SELECT COALESCE(MAX(hlc), 0) FROM member_field WHERE member_id = :m AND field = 'tier'")
                .bind("m", survivor).mapTo(Long.class).one();
        if (lastWriterWins(h, feed, survivor, Change.Field.TIER, tier.name(), Math.max(holder + 1, e.hlc()), e.eventId())) {
            feed.rollups().tierMoved(survivor, at, held, tier);
        }
    }

    /** The tier head office holds for the member an id stands for. */
    static Tier knownTier(Handle h, UUID member, UUID survivor) {
        return PushScope.of(h).flatMap(scope -> scope.tier(member)).orElseGet(() -> Tier.valueOf(
                h.createQuery("SELECT tier FROM member WHERE id = :m").bind("m", survivor).mapTo(String.class).one()));
    }

    /** Imported or demo history: kept as a purchase, and the points it earned at the store are kept too. */
    private Verdict imported(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, Event.PurchaseImported p) {
        resolve(h, p.memberId());
        purchase(h, feed, who, p.purchaseId(), p.memberId(), p.receiptNo(), p.purchasedAt(), p.totalFen(), p.source(),
                p.lines());
        if (p.pointsEarned() > 0) {
            earned(h, feed, who, e, p.memberId(), p.pointsEntryId(), p.pointsEarned(), p.pointsExpireOn(), p.purchaseId(),
                    p.purchasedAt());
        }
        return Verdict.ACCEPTED;
    }

    private void earned(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, UUID member, UUID entry, long points,
                        LocalDate expires, UUID purchase, OffsetDateTime at) {
        insertPoints(h, feed, who, entry, member, points, PointsKind.EARN, expires, purchase, at, e.hlc());
        compensateIfAlias(h, feed, member, points, 0, at);
        settleOverdraft(h, resolve(h, member), at);
    }

    /** Keeps a purchase with its lines and sends it to the stores that keep the member's history. */
    void purchase(Handle h, FeedWriter feed, TerminalIdentity who, UUID id, UUID member, String receiptNo,
                          OffsetDateTime at, long totalFen, PurchaseSource source, List<Event.Line> lines) {
        if (PushScope.erased(h, member)) {
            lines = List.of(); // a sale made offline before the store heard of the erasure keeps its total only
        }
        PushScope.insert(h, """
                INSERT INTO purchase(id, member_id, store_id, terminal_id, receipt_no, purchased_at, total_fen, source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                id, member, who.storeId(), who.terminalId(), receiptNo, at, totalFen, source.name());
        MemberStores.insertLines(h, id, lines);
        UUID survivor = resolve(h, member);
        feed.rollups().purchase(who.storeId(), survivor, at, totalFen, source == PurchaseSource.SALE);
        MemberStores.send(h, feed, survivor, new Change.PurchaseRecorded(id, member, who.storeId(),
                who.terminalId(), receiptNo, at, totalFen, source, lines), who);
    }

    /** A spend: one SPEND entry per lot it consumed, kept with the terminal's ids, deltas and lots. */
    Verdict pointsSpent(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, Event.PointsRedeemed p) {
        UUID member = p.memberId();
        UUID survivor = resolve(h, member);
        for (Event.SpendEntry entry : p.entries()) {
            insertPoints(h, feed, who, entry.entryId(), member, entry.delta(), PointsKind.SPEND, null, entry.lotId(),
                    p.redeemedAt(), e.hlc());
        }
        compensateIfAlias(h, feed, member, -p.points(), 0, p.redeemedAt());
        return settleOverdraft(h, survivor, p.redeemedAt()) ? Verdict.OVERDRAFT : Verdict.ACCEPTED;
    }

    /**
     * A tier change made at a store (upgrade on a sale, yearly review): the latest by HLC holds, at every store, if it
     * raises the tier head office holds. It never lowers it: a store that had not yet pulled a higher tier (another
     * store's upgrade, head office's review) would take the member down from its own part of the year. That store gets
     * the higher tier on its next pull.
     */
    Verdict tier(Handle h, FeedWriter feed, IncomingEvent e, UUID memberId, Tier tier) {
        raise(h, feed, e, memberId, tier);
        return Verdict.ACCEPTED;
    }

    /** Raises the member to {@code tier} by the event's stamp; false when a later edit holds the field below it. */
    private boolean raise(Handle h, FeedWriter feed, IncomingEvent e, UUID memberId, Tier tier) {
        UUID member = resolve(h, memberId);
        Tier held = knownTier(h, memberId, member);
        if (tier.compareTo(held) <= 0) {
            return true;
        }
        // A later tier edit (head office's review) may hold the field: then the member's tier did not change here.
        if (lastWriterWins(h, feed, e, member, Change.Field.TIER, tier.name())) {
            feed.rollups().tierMoved(member, OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(
                    dev.counterpoint.store.Hlc.millisOf(e.hlc())), java.time.ZoneOffset.UTC), held, tier);
            return true;
        }
        return false;
    }

    private Verdict pointsEntry(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, UUID member, UUID entry,
                                long delta, PointsKind kind, UUID ref, OffsetDateTime at) {
        UUID survivor = resolve(h, member);
        insertPoints(h, feed, who, entry, member, delta, kind, null, ref, at, e.hlc());
        compensateIfAlias(h, feed, member, delta, 0, at);
        return settleOverdraft(h, survivor, at) ? Verdict.OVERDRAFT : Verdict.ACCEPTED;
    }

    Verdict svEntry(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, UUID member, UUID entry,
                            long deltaFen, StoredValueKind kind, UUID ref, OffsetDateTime at) {
        UUID survivor = resolve(h, member);
        insertSv(h, feed, who, entry, member, deltaFen, kind, ref, at, e.hlc());
        compensateIfAlias(h, feed, member, 0, deltaFen, at);
        return settleOverdraft(h, survivor, at) ? Verdict.OVERDRAFT : Verdict.ACCEPTED;
    }

    /** An entry made on a member that has since been merged moves on to the survivor at once. */
    void compensateIfAlias(Handle h, FeedWriter feed, UUID member, long points, long fen, OffsetDateTime now) {
        UUID survivor = resolve(h, member);
        if (!survivor.equals(member)) {
            movePoints(h, feed, member, survivor, points, member, now);
            moveSv(h, feed, member, survivor, fen, member, now);
        }
    }

    /**
     * A balance below zero means terminals spent, offline, more than there was: recorded as an open overdraft
     * exception with the shortfall; once later entries cover it, the exception is resolved. True if short now.
     */
    boolean settleOverdraft(Handle h, UUID member, OffsetDateTime now) {
        if (!PushScope.mayBeShort(h, member)) {
            return false; // nothing open and nothing taken since: the sums cannot be below zero
        }
        long points = sum(h, "SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = :m", member);
        long fen = sum(h, "SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = :m", member);
        boolean pointsShort = overdraft(h, "POINTS_OVERDRAFT", member, points, now);
        boolean svShort = overdraft(h, "STORED_VALUE_OVERDRAFT", member, fen, now);
        PushScope.settled(h, member, pointsShort || svShort);
        return pointsShort || svShort;
    }

    private boolean overdraft(Handle h, String kind, UUID member, long balance, OffsetDateTime now) {
        if (balance < 0) {
            upsertException(h, kind, member.toString(), Map.of("member_id", member.toString(), "shortfall", -balance), "OPEN", now);
            return true;
        }
        // Settled by head office itself: no one resolved it in the console.
        h.createUpdate("""
                UPDATE sync_exception SET state = 'RESOLVED', updated_at = :now, resolved_at = :now, resolved_by = NULL,
                       resolution = 'SETTLED_BY_OFFICE', resolution_note = NULL
                WHERE kind = :k AND subject = :s AND state = 'OPEN'""")
                .bind("now", now).bind("k", kind).bind("s", member.toString()).execute();
        return false;
    }

    void insertPoints(Handle h, FeedWriter feed, TerminalIdentity origin, UUID id, UUID member, long delta, PointsKind kind,
                              LocalDate expires, UUID ref, OffsetDateTime at, long hlc) {
        PushScope.insert(h, """
                INSERT INTO points_entry(id, member_id, delta, kind, lot_expires_on, ref_id, created_at, hlc, store_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                id, member, delta, kind.name(), expires, ref, at, hlc, origin == null ? null : origin.storeId());
        feed.rollups().points(origin == null ? null : origin.storeId(), member, at, kind, delta);
        MemberStores.send(h, feed, resolve(h, member), new Change.PointsEntry(id, member, delta, kind, expires, ref, at, hlc),
                origin);
    }

    private void insertSv(Handle h, FeedWriter feed, TerminalIdentity origin, UUID id, UUID member, long deltaFen,
                          StoredValueKind kind, UUID ref, OffsetDateTime at, long hlc) {
        PushScope.insert(h, """
                INSERT INTO sv_entry(id, member_id, delta_fen, kind, ref_id, created_at, hlc, store_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                id, member, deltaFen, kind.name(), ref, at, hlc, origin == null ? null : origin.storeId());
        feed.rollups().storedValue(origin == null ? null : origin.storeId(), member, at, kind, deltaFen);
        MemberStores.send(h, feed, resolve(h, member), new Change.StoredValueEntry(id, member, deltaFen, kind, ref, at, hlc),
                origin);
    }

    // ---- coupons ----

    /** Single use: the earliest redemption by (HLC, event id) holds the coupon; every other one is an exception. */
    Verdict couponRedeemed(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, Event.CouponRedeemed c,
                                   OffsetDateTime now) {
        UUID redemption = c.redemptionId();
        String code = c.couponCode();
        resolve(h, c.memberId());
        h.createUpdate("""
                INSERT INTO coupon_redemption(id, coupon_code, member_id, store_id, terminal_id, discount_fen, hlc, event_id,
                                              basket_fen)
                VALUES (:id, :code, :m, :s, :t, :d, :hlc, :e, :basket)""")
                .bind("id", redemption).bind("code", code).bind("m", c.memberId()).bind("s", who.storeId())
                .bind("t", who.terminalId()).bind("d", c.discountFen()).bind("hlc", e.hlc()).bind("e", e.eventId())
                .bind("basket", c.basketFen()).execute();
        feed.append(new Change.CouponRedeemed(code, c.couponId(), redemption), who);
        feed.rollups().couponRedeemed(who.storeId(), c.redeemedAt(), code, c.templateId(), c.reason().name(),
                c.discountFen());
        record Claim(UUID redemptionId, long hlc, UUID eventId) {
        }
        Optional<Claim> holder = h.createQuery("SELECT redemption_id, hlc, event_id FROM coupon_claim WHERE coupon_code = :c")
                .bind("c", code).map((rs, ctx) -> new Claim(rs.getObject(1, UUID.class), rs.getLong(2), rs.getObject(3, UUID.class)))
                .findOne();
        if (holder.isEmpty()) {
            h.createUpdate("INSERT INTO coupon_claim(coupon_code, redemption_id, hlc, event_id) VALUES (:c, :r, :hlc, :e)")
                    .bind("c", code).bind("r", redemption).bind("hlc", e.hlc()).bind("e", e.eventId()).execute();
            return Verdict.ACCEPTED;
        }
        Claim held = holder.get();
        boolean earlier = e.hlc() < held.hlc() || e.hlc() == held.hlc() && e.eventId().compareTo(held.eventId()) < 0;
        UUID winner = earlier ? redemption : held.redemptionId();
        if (earlier) {
            h.createUpdate("UPDATE coupon_claim SET redemption_id = :r, hlc = :hlc, event_id = :e WHERE coupon_code = :c")
                    .bind("c", code).bind("r", redemption).bind("hlc", e.hlc()).bind("e", e.eventId()).execute();
        }
        List<UUID> losers = h.createQuery("SELECT id FROM coupon_redemption WHERE coupon_code = :c AND id <> :w ORDER BY hlc, id")
                .bind("c", code).bind("w", winner).mapTo(UUID.class).list();
        Change.CouponAdjudicated decided = new Change.CouponAdjudicated(code, winner, losers);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("coupon_code", code);
        detail.put("winner_redemption_id", winner.toString());
        detail.put("loser_redemption_ids", losers.stream().map(UUID::toString).toList());
        upsertException(h, "COUPON_CONFLICT", code, detail, "OPEN", now);
        feed.append(decided, null);
        return earlier ? Verdict.ACCEPTED : Verdict.CONFLICT;
    }

    /** A coupon head office holds; {@code campaign_id} is null but for a campaign's ({@link Campaigns}). */
    static final String COUPON_INSERT = """
            INSERT INTO coupon(id, code, member_id, template_id, valid_from, valid_until, issued_at, issued_by, campaign_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /**
     * Writes a coupon head office holds and announces it on the change feed: store-issued ones (from
     * {@code origin}) and centrally issued ones (origin null) alike.
     */
    static Change.CouponIssued recordCoupon(Handle h, FeedWriter feed, TerminalIdentity origin, UUID id, String code,
                                            UUID member, String template, LocalDate from, LocalDate until,
                                            OffsetDateTime issued, String issuedBy) {
        h.execute(COUPON_INSERT, id, code, member, template, from, until, issued, issuedBy, null);
        Change.CouponIssued change = new Change.CouponIssued(id, code, member, template, from, until, issued, issuedBy);
        feed.rollups().couponIssued(origin == null ? null : origin.storeId(), issued, template, issuedBy);
        feed.append(change, origin);
        return change;
    }

    /**
     * Whether the member already holds a coupon of the same occasion template (not a manual one) whose validity
     * overlaps this one's.
     */
    private static boolean triggeredTwice(Handle h, UUID survivor, Event.CouponIssued c) {
        return h.createQuery("""
                SELECT COUNT(*) FROM coupon c JOIN coupon_template t ON t.id = c.template_id
                WHERE t.trigger_kind <> 'MANUAL' AND c.template_id = :t AND c.status = 'ISSUED' AND c.valid_until >= :from
                  AND c.member_id IN (SELECT id FROM member WHERE id = :m OR survivor_id = :m)""")
                .bind("t", c.templateId()).bind("from", c.validFrom()).bind("m", survivor).mapTo(Integer.class).one() > 0;
    }

    // ---- helpers ----

    void upsertException(Handle h, String kind, String subject, Map<String, ?> detail, String state, OffsetDateTime now) {
        String body;
        try {
            body = json.writeValueAsString(detail);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalArgumentException(ex);
        }
        // Opened again, it loses the resolution it had: someone must look at it anew.
        int updated = h.createUpdate("UPDATE sync_exception SET detail = :d, state = :st, updated_at = :now"
                        + ("OPEN".equals(state) ? ", resolved_by = NULL, resolved_at = NULL, resolution = NULL, resolution_note = NULL" : "")
                        + " WHERE kind = :k AND subject = :s")
                .bind("d", body).bind("st", state).bind("now", now).bind("k", kind).bind("s", subject).execute();
        if (updated == 0) {
            h.createUpdate("""
                    INSERT INTO sync_exception(id, kind, subject, detail, state, created_at, updated_at)
                    VALUES (:id, :k, :s, :d, :st, :now, :now)""")
                    .bind("id", Ids.next()).bind("k", kind).bind("s", subject).bind("d", body).bind("st", state).bind("now", now)
                    .execute();
        }
    }

    private static long hlcOf(OffsetDateTime now) {
        return now.toInstant().toEpochMilli() << 16;
    }

    private static long sum(Handle h, String sql, UUID member) {
        return h.createQuery(sql).bind("m", member).mapTo(Long.class).one();
    }
}
