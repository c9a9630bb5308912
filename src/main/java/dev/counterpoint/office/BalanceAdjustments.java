package dev.counterpoint.office;

import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Verdict;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * A store manager's balance adjustments by hand ({@code points.adjusted}, {@code stored_value.adjusted}) at head office.
 * Checked first as if a stolen till had sent them: a member head office knows whose records the sending store keeps,
 * the sender's own staff and manager, a new adjustment, lots that are the member's, the expiry and the floor the named
 * rule set gives (amounts and the reason are bounded by the records themselves). Then applied with the terminal's entry
 * ids, so every store that keeps the member receives the same entries on the feed and balances agree. One that takes
 * head office's balance below zero (another store spent the same points or stored value meanwhile) is applied, so the
 * ledgers still agree, and is raised as an open {@code ADJUSTMENT_OVERDRAFT} exception for the owner, beside the
 * member's overdraft.
 */
final class BalanceAdjustments {
    static final String EXCEPTION = "ADJUSTMENT_OVERDRAFT";

    private final Projector projector;

    BalanceAdjustments(Projector projector) {
        this.projector = projector;
    }

    // ---- checks ----

    static void check(EventChecks checks, Handle h, TerminalIdentity who, Event.PointsAdjusted a) {
        UUID survivor = common(h, who, a.adjustmentId(), a.memberId(), a.staffId(), a.managerId());
        List<UUID> lots = a.entries().stream().map(Event.PointsMove::lotId).filter(Objects::nonNull).distinct().toList();
        if (!lots.isEmpty()) {
            int theirs = h.createQuery("""
                    SELECT COUNT(*) FROM points_entry
                    WHERE id IN (<lots>) AND delta > 0
                      AND member_id IN (SELECT id FROM member WHERE id = :s OR survivor_id = :s)""")
                    .bindList("lots", lots).bind("s", survivor).mapTo(Integer.class).one();
            if (theirs != lots.size()) {
                throw new Projector.Unusable("adjustment " + a.adjustmentId() + " takes points from a lot that is not the member's");
            }
        }
        Optional<RuleSet> rules = checks.rules(h, who, a.ruleSetVersion());
        if (rules.isEmpty()) {
            return; // a rule set head office does not know: the record's own bounds hold
        }
        RuleSet r = rules.get();
        if (a.delta() > 0) {
            // The terminal's day: adjusted_at carries the offset of its clock.
            LocalDate expected = r.lotExpiresOn(a.adjustedAt().toLocalDate());
            LocalDate given = a.entries().get(0).lotExpiresOn();
            if (!given.equals(expected)) {
                throw new Projector.Unusable("lot_expires_on " + given + " is not what rule set " + a.ruleSetVersion()
                        + " gives a lot opened on " + a.adjustedAt().toLocalDate() + " (" + expected + ")");
            }
        } else if (!r.clawbackMayGoBelowZero()
                && (a.balanceAfter() < 0 || a.entries().stream().anyMatch(m -> m.lotId() == null))) {
            throw new Projector.Unusable("rule set " + a.ruleSetVersion() + " keeps points at or above zero: adjustment "
                    + a.adjustmentId() + " takes them below");
        }
    }

    static void check(Handle h, TerminalIdentity who, Event.StoredValueAdjusted a) {
        common(h, who, a.adjustmentId(), a.memberId(), a.staffId(), a.managerId());
    }

    /** What both kinds must satisfy; returns the member the id stands for at head office. */
    private static UUID common(Handle h, TerminalIdentity who, UUID adjustmentId, UUID memberId, String staffId,
                               String managerId) {
        UUID survivor = Projector.resolve(h, memberId);
        if (!MemberStores.of(h, survivor).contains(who.storeId())) {
            throw new Projector.Unusable("member " + memberId + " is not kept by store " + who.storeId()
                    + ": its balances are not the store's to adjust");
        }
        CheckoutChecks.staff(h, who, staffId, StaffRole.CASHIER);
        CheckoutChecks.staff(h, who, managerId, StaffRole.MANAGER);
        if (h.createQuery("SELECT COUNT(*) FROM balance_adjustment WHERE id = :id").bind("id", adjustmentId)
                .mapTo(Integer.class).one() > 0) {
            throw new Projector.Unusable("adjustment " + adjustmentId + " is already held");
        }
        return survivor;
    }

    // ---- projection ----

    Verdict points(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, Event.PointsAdjusted a,
                   OffsetDateTime now) {
        UUID member = a.memberId();
        UUID survivor = Projector.resolve(h, member);
        record(h, who, e, a.adjustmentId(), member, "POINTS", a.delta(), a.reason(), a.staffId(), a.managerId(), a.adjustedAt());
        for (Event.PointsMove m : a.entries()) {
            // A lot the adjustment opens names the adjustment; an entry that takes names the lot it takes from.
            projector.insertPoints(h, feed, who, m.entryId(), member, m.delta(), PointsKind.ADJUST, m.lotExpiresOn(),
                    m.delta() > 0 ? a.adjustmentId() : m.lotId(), a.adjustedAt(), e.hlc());
            entry(h, m.entryId(), a.adjustmentId());
        }
        projector.compensateIfAlias(h, feed, member, a.delta(), 0, a.adjustedAt());
        boolean overdrawn = projector.settleOverdraft(h, survivor, a.adjustedAt());
        long balance = h.createQuery("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = :m")
                .bind("m", survivor).mapTo(Long.class).one();
        return verdict(h, who, a.adjustmentId(), survivor, "POINTS", a.delta(), a.balanceAfter(), balance, a.reason(),
                a.staffId(), a.managerId(), overdrawn, now);
    }

    Verdict storedValue(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, Event.StoredValueAdjusted a,
                        OffsetDateTime now) {
        UUID member = a.memberId();
        UUID survivor = Projector.resolve(h, member);
        record(h, who, e, a.adjustmentId(), member, "STORED_VALUE", a.deltaFen(), a.reason(), a.staffId(), a.managerId(),
                a.adjustedAt());
        Verdict verdict = projector.svEntry(h, feed, who, e, member, a.entryId(), a.deltaFen(), StoredValueKind.ADJUST,
                a.adjustmentId(), a.adjustedAt());
        entry(h, a.entryId(), a.adjustmentId());
        long balance = h.createQuery("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = :m")
                .bind("m", survivor).mapTo(Long.class).one();
        return verdict(h, who, a.adjustmentId(), survivor, "STORED_VALUE", a.deltaFen(), a.balanceAfterFen(), balance,
                a.reason(), a.staffId(), a.managerId(), verdict == Verdict.OVERDRAFT, now);
    }

    private static void record(Handle h, TerminalIdentity who, IncomingEvent e, UUID id, UUID member, String kind, long delta,
                               String reason, String staffId, String managerId, OffsetDateTime at) {
        h.createUpdate("""
                INSERT INTO balance_adjustment(id, member_id, store_id, terminal_id, kind, delta, reason, staff_id, manager_id,
                                               adjusted_at, event_id)
                VALUES (:id, :m, :s, :t, :k, :d, :r, :staff, :manager, :at, :e)""")
                .bind("id", id).bind("m", member).bind("s", who.storeId()).bind("t", who.terminalId()).bind("k", kind)
                .bind("d", delta).bind("r", reason).bind("staff", staffId).bind("manager", managerId).bind("at", at)
                .bind("e", e.eventId()).execute();
    }

    private static void entry(Handle h, UUID entryId, UUID adjustmentId) {
        h.createUpdate("INSERT INTO balance_adjustment_entry(entry_id, adjustment_id) VALUES (:e, :a)")
                .bind("e", entryId).bind("a", adjustmentId).execute();
    }

    /**
     * A negative adjustment that leaves head office's balance below zero is an exception an owner must look at: the
     * store's balance allowed it, so another store took from the same balance meanwhile. It stays open until resolved,
     * whatever later entries do to the balance.
     */
    private Verdict verdict(Handle h, TerminalIdentity who, UUID id, UUID survivor, String kind, long delta,
                            long storeBalanceAfter, long officeBalance, String reason, String staffId, String managerId,
                            boolean overdrawn, OffsetDateTime now) {
        if (delta < 0 && officeBalance < 0) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("adjustment_id", id.toString());
            detail.put("member_id", survivor.toString());
            detail.put("store_id", who.storeId());
            detail.put("terminal_id", who.terminalId());
            detail.put("staff_id", staffId);
            detail.put("manager_id", managerId);
            detail.put("kind", kind);
            detail.put("delta", delta);
            detail.put("reason", reason);
            detail.put("balance_at_store", storeBalanceAfter);
            detail.put("balance_at_office", officeBalance);
            projector.upsertException(h, EXCEPTION, id.toString(), detail, "OPEN", now);
            return Verdict.OVERDRAFT;
        }
        return overdrawn ? Verdict.OVERDRAFT : Verdict.ACCEPTED;
    }
}
