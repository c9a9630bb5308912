package dev.counterpoint.coupon;

import dev.counterpoint.audit.AuditAction;
import dev.counterpoint.audit.AuditLog;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.TextInput;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Coupon issue (by trigger or by a manager) and void, each with its outbox event. */
public final class CouponService {
    private final Jdbi jdbi;
    private final CouponRepository coupons;
    private final Outbox outbox;
    private final Clock clock;
    private final RandomGenerator random;
    private final AuditLog audit;

    public CouponService(Jdbi jdbi, CouponRepository coupons, Outbox outbox, Clock clock, RandomGenerator random,
                         AuditLog audit) {
        this.audit = audit;
        this.jdbi = jdbi;
        this.coupons = coupons;
        this.outbox = outbox;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Issues a coupon from a template inside the caller's transaction, with its {@code coupon.issued} event.
     * Valid from today for the template's number of days.
     */
    public Coupon issue(Handle h, UUID memberId, CouponTemplate t, String issuedBy) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        LocalDate today = now.toLocalDate();
        return record(h, new Coupon(Ids.next(), CouponCodes.newCode(random), memberId, t, today,
                today.plusDays(t.validDays() - 1L), Coupon.Status.ISSUED, now, issuedBy));
    }

    /** Writes a coupon made elsewhere (e.g. a store's history) and its {@code coupon.issued} event, in the caller's transaction. */
    public Coupon record(Handle h, Coupon c) {
        coupons.insert(h, c);
        outbox.append(h, new Event.CouponIssued(c.id(), c.code(), c.template().id(), c.memberId(), c.validFrom(),
                c.validUntil(), c.issuedBy(), c.issuedAt()));
        return c;
    }

    /** A manager gives a member a coupon from any active template that may be issued today. */
    public Coupon issueManual(UUID memberId, String templateId, String manager) {
        TextInput.check("--manager", manager, MAX_MANAGER_LENGTH);
        return jdbi.inTransaction(h -> {
            record Held(String status, Tier tier) {
            }
            Held member = h.createQuery("SELECT status, tier FROM member WHERE id = :id FOR UPDATE").bind("id", memberId)
                    .map((rs, ctx) -> new Held(rs.getString(1), Tier.valueOf(rs.getString(2)))).findOne()
                    .orElseThrow(() -> new BusinessRuleException("member.error.unknown"));
            if ("ERASED".equals(member.status())) {
                throw new BusinessRuleException("member.error.erased");
            }
            CouponTemplate t = coupons.template(h, templateId)
                    .orElseThrow(() -> new BusinessRuleException("coupon.error.templateUnknown", templateId));
            if (!t.issuableOn(OffsetDateTime.now(clock).toLocalDate())) {
                throw new BusinessRuleException("coupon.error.templateNotValid", templateId);
            }
            // As the owner's issue at head office, which refuses a tier's perk for a member below the tier.
            if (!t.servesTier(member.tier())) {
                throw new BusinessRuleException("coupon.error.templateTier", templateId, t.tier().name(), member.tier().name());
            }
            Coupon c = issue(h, memberId, t, "manager:" + manager);
            audit.append(h, manager, AuditAction.COUPON_ISSUED_BY_MANAGER, c.code(),
                    java.util.Map.of("template", t.id(), "member", memberId.toString()));
            return c;
        });
    }

    /** Voids an issued coupon with a reason; a used or already void coupon is refused. */
    public Coupon voidCoupon(String code, String reason, String manager) {
        if (reason == null || reason.isBlank()) {
            throw new BusinessRuleException("coupon.error.voidReason");
        }
        TextInput.check("--reason", reason.strip(), MAX_REASON_LENGTH);
        TextInput.check("--manager", manager, MAX_MANAGER_LENGTH);
        return jdbi.inTransaction(h -> {
            Coupon c = coupons.findByCode(h, code.strip())
                    .orElseThrow(() -> new BusinessRuleException("coupon.error.unknown", code));
            if (!coupons.markVoid(h, c.id(), reason.strip())) {
                throw new BusinessRuleException(c.status() == Coupon.Status.VOID ? "redeem.error.couponVoid" : "redeem.error.couponUsed");
            }
            outbox.append(h, new Event.CouponVoided(c.id(), c.code(), c.memberId(), reason.strip(), "manager:" + manager,
                    OffsetDateTime.now(clock)));
            audit.append(h, manager, AuditAction.COUPON_VOIDED, c.code(), java.util.Map.of("reason", reason.strip()));
            return c;
        });
    }

    /** A void's reason as the event carries it; what a manager types goes into an event, checked as it enters. */
    static final int MAX_REASON_LENGTH = 200;
    /** A manager's name, recorded as "manager:NAME" in the event's 200 characters. */
    static final int MAX_MANAGER_LENGTH = 64;
}
