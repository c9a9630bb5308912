package dev.counterpoint.checkout;

import dev.counterpoint.audit.AuditAction;
import dev.counterpoint.audit.AuditLog;
import dev.counterpoint.history.ChainHistory;
import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.Limits;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Text;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Money;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A manager's correction of a member's points or stored value by hand (a lost paper voucher honoured, a till error
 * found at close, goodwill points), made by a member of staff with a manager's approval and a reason. One transaction
 * writes the ledger entries ({@code ADJUST}), the {@code points.adjusted} or {@code stored_value.adjusted} event and the
 * {@code BALANCE_ADJUSTED} audit entry, or, when anything is refused, nothing. Positive points open a lot with the
 * expiry the rules give a lot opened today; negative points are taken from the oldest usable lots first, as a
 * redemption takes them, and go below zero only where the rules let a refund's clawback do so. Stored value never goes
 * below zero. Either way at most {@link Limits#MAX_ADJUST_POINTS} points or {@link Limits#MAX_ADJUST_FEN} fen.
 */
public final class Adjustments {
    /** The longest reason: the protocol's free text. */
    public static final int MAX_REASON = 200;

    /** Which balance an adjustment corrects. */
    public enum Kind { POINTS, STORED_VALUE }

    /** What a manager asked for: {@code delta} in points, or in fen for stored value; either sign. */
    public record Request(UUID memberId, Kind kind, long delta, String reason) {
    }

    private final Jdbi jdbi;
    private final MemberRepository members;
    private final PointsLedger points;
    private final StoredValueLedger storedValue;
    private final RuleSetRepository rules;
    private final MemberUpkeep upkeep;
    private final Outbox outbox;
    private final AuditLog audit;
    private final Hlc hlc;
    private final Clock clock;
    private final ChainHistory chain;

    public Adjustments(Jdbi jdbi, MemberRepository members, PointsLedger points, StoredValueLedger storedValue,
                       RuleSetRepository rules, MemberUpkeep upkeep, Outbox outbox, AuditLog audit, Hlc hlc, Clock clock,
                       ChainHistory chain) {
        this.jdbi = jdbi;
        this.members = members;
        this.points = points;
        this.storedValue = storedValue;
        this.rules = rules;
        this.upkeep = upkeep;
        this.outbox = outbox;
        this.audit = audit;
        this.hlc = hlc;
        this.clock = clock;
        this.chain = chain;
    }

    /**
     * What is wrong with an adjustment as typed, before anyone's PIN is asked or the member is read: a zero or too large
     * amount, a reason missing, too long, or holding a control or text-direction character. Empty when nothing.
     */
    public static Optional<UserMessage> problem(Kind kind, long delta, String reason) {
        if (delta == 0) {
            return Optional.of(new UserMessage("adjust.error.zero"));
        }
        long max = kind == Kind.POINTS ? Limits.MAX_ADJUST_POINTS : Limits.MAX_ADJUST_FEN;
        if (delta < -max || delta > max) {
            return Optional.of(kind == Kind.POINTS
                    ? new UserMessage("adjust.error.pointsTooLarge", max)
                    : new UserMessage("adjust.error.storedValueTooLarge", Money.format(max)));
        }
        String r = reason == null ? "" : reason.strip();
        if (r.isEmpty()) {
            return Optional.of(new UserMessage("adjust.error.reasonRequired"));
        }
        return Text.problem(r, MAX_REASON).map(p -> p == Text.Problem.TOO_LONG
                ? new UserMessage("adjust.error.reasonTooLong", MAX_REASON)
                : new UserMessage("adjust.error.reasonInvalid"));
    }

    /**
     * Adjusts a balance as {@code staff} asks and {@code manager} approves (both PINs checked). Refused, with nothing
     * written, for a {@link #problem}, an approver who is not a manager, a member whose balances this store does not
     * hold, or a balance the adjustment would take below what the rules allow.
     */
    public Adjustment adjust(Request request, Staff staff, Staff manager) {
        problem(request.kind(), request.delta(), request.reason()).ifPresent(p -> {
            throw new BusinessRuleException(p.key(), p.args());
        });
        if (!manager.may(StaffRole.MANAGER)) {
            throw new BusinessRuleException("staff.error.role", manager.id(), new UserMessage(StaffRole.MANAGER.messageKey()));
        }
        String reason = request.reason().strip();
        long delta = request.delta();
        return jdbi.inTransaction(h -> {
            UUID memberId = request.memberId();
            members.lockForAction(h, memberId);
            Member m = members.findById(h, memberId).orElseThrow();
            if (!chain.held(h, memberId, m.homeStore())) {
                throw new BusinessRuleException("adjust.error.balancesNotHere");
            }
            RuleSet ruleSet = rules.active(h);
            OffsetDateTime now = OffsetDateTime.now(clock);
            LocalDate today = now.toLocalDate();
            long stamp = hlc.now();
            UUID id = Ids.next();
            long after;
            if (request.kind() == Kind.POINTS) {
                if (delta < 0) {
                    // Lots already expired are written off first, so that what is taken comes from usable points.
                    upkeep.writeOffExpired(h, memberId, today);
                }
                long before = points.balance(h, memberId);
                List<Event.PointsMove> entries = delta > 0
                        ? List.of(lot(h, memberId, delta, ruleSet.lotExpiresOn(today), id, now, stamp))
                        : take(h, memberId, -delta, before, ruleSet, today, now, stamp);
                after = points.balance(h, memberId);
                outbox.append(h, new Event.PointsAdjusted(id, memberId, delta, entries, before, after, reason, staff.id(),
                        manager.id(), now, ruleSet.version()));
            } else {
                long before = storedValue.balanceFen(h, memberId);
                if (delta < 0 && before + delta < 0) {
                    throw new BusinessRuleException("adjust.error.storedValueBelowZero", Money.format(-delta),
                            Money.format(Math.max(0, before)));
                }
                UUID entry = storedValue.append(h, memberId, delta, StoredValueKind.ADJUST, id, now, stamp);
                after = before + delta;
                outbox.append(h, new Event.StoredValueAdjusted(id, memberId, entry, delta, before, after, reason, staff.id(),
                        manager.id(), now));
            }
            Map<String, String> detail = new LinkedHashMap<>();
            detail.put("adjustment_id", id.toString());
            detail.put("member_id", memberId.toString());
            detail.put("kind", request.kind().name());
            detail.put("delta", request.kind() == Kind.POINTS ? Long.toString(delta) : Money.format(delta));
            detail.put("balance_after", request.kind() == Kind.POINTS ? Long.toString(after) : Money.format(after));
            detail.put("reason", reason);
            detail.put("staff", staff.id());
            detail.put("manager", manager.id());
            audit.append(h, manager.id(), AuditAction.BALANCE_ADJUSTED, m.cardCode(), detail);
            return new Adjustment(id, memberId, m.cardCode(), request.kind(), delta, after, reason, staff.id(), manager.id(),
                    now);
        });
    }

    private Event.PointsMove lot(Handle h, UUID memberId, long add, LocalDate expires, UUID adjustment,
                                 OffsetDateTime now, long stamp) {
        UUID entry = points.append(h, memberId, add, PointsKind.ADJUST, expires, adjustment, now, stamp);
        return new Event.PointsMove(entry, add, null, expires);
    }

    /** Takes points from the oldest usable lots, then beyond them where the rules let the balance go below zero. */
    private List<Event.PointsMove> take(Handle h, UUID memberId, long wanted, long balance, RuleSet ruleSet,
                                        LocalDate today, OffsetDateTime now, long stamp) {
        List<PointLots.Lot> lots = points.lots(h, memberId);
        long usable = PointLots.usable(lots, today);
        long fromLots = Math.min(wanted, usable);
        if (!ruleSet.clawbackMayGoBelowZero() && (wanted > usable || wanted > balance)) {
            throw new BusinessRuleException("adjust.error.pointsBelowZero", wanted, Math.max(0, Math.min(usable, balance)));
        }
        List<Event.PointsMove> out = new ArrayList<>();
        for (Map.Entry<PointLots.Lot, Long> part : PointLots.allocate(lots, fromLots, today)) {
            UUID entry = points.append(h, memberId, -part.getValue(), PointsKind.ADJUST, null, part.getKey().id(), now, stamp);
            out.add(new Event.PointsMove(entry, -part.getValue(), part.getKey().id(), null));
        }
        if (wanted > fromLots) {
            UUID entry = points.append(h, memberId, fromLots - wanted, PointsKind.ADJUST, null, null, now, stamp);
            out.add(new Event.PointsMove(entry, fromLots - wanted, null, null));
        }
        return out;
    }
}
