package dev.counterpoint.coupon;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An issued coupon. It expires by its dates: after {@code validUntil} it is no longer usable, whatever
 * its status says, so no background job has to touch it.
 *
 * @param issuedBy "trigger:REASON" for automatic issues, "manager:NAME" for manual ones
 */
public record Coupon(UUID id, String code, UUID memberId, CouponTemplate template, LocalDate validFrom,
                     LocalDate validUntil, Status status, OffsetDateTime issuedAt, String issuedBy) {

    public enum Status { ISSUED, REDEEMED, VOID }

    public static final String TRIGGER_PREFIX = "trigger:";

    public boolean usableOn(LocalDate day) {
        return status == Status.ISSUED && !day.isBefore(validFrom) && !day.isAfter(validUntil);
    }
}
