package dev.counterpoint.coupon;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

public record Coupon(UUID id, String code, UUID memberId, CouponTemplate template, LocalDate validFrom,
                     LocalDate validUntil, Status status, OffsetDateTime issuedAt) {

    public enum Status { ISSUED, REDEEMED, VOID }

    public boolean usableOn(LocalDate day) {
        return status == Status.ISSUED && !day.isBefore(validFrom) && !day.isAfter(validUntil);
    }
}
