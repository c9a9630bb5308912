package dev.counterpoint.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Each event's name on the wire and the record it is read into. */
public enum EventType {
    MEMBER_ENROLLED("member.enrolled", Event.MemberEnrolled.class),
    MEMBER_IMPORTED("member.imported", Event.MemberImported.class),
    MEMBER_UPDATED("member.updated", Event.MemberUpdated.class),
    MEMBER_CONSENT("member.consent", Event.MemberConsent.class),
    MEMBER_ERASED("member.erased", Event.MemberErased.class),
    MEMBER_TAGGED("member.tagged", Event.MemberTagged.class),
    SALE_RECORDED("sale.recorded", Event.SaleRecorded.class),
    PURCHASE_IMPORTED("purchase.imported", Event.PurchaseImported.class),
    COUPON_REDEEMED("coupon.redeemed", Event.CouponRedeemed.class),
    COUPON_ISSUED("coupon.issued", Event.CouponIssued.class),
    COUPON_VOIDED("coupon.voided", Event.CouponVoided.class),
    POINTS_REDEEMED("points.redeemed", Event.PointsRedeemed.class),
    POINTS_EXPIRED("points.expired", Event.PointsExpired.class),
    STORED_VALUE_PAID("stored_value.paid", Event.StoredValuePaid.class),
    STORED_VALUE_TOPPED_UP("stored_value.topped_up", Event.StoredValueToppedUp.class),
    TIER_REVIEWED("tier.reviewed", Event.TierReviewed.class),
    RULES_CHANGED("rules.changed", Event.RulesChanged.class),
    CHECKOUT_COMPLETED("checkout.completed", Event.CheckoutCompleted.class),
    CHECKOUT_REFUNDED("checkout.refunded", Event.CheckoutRefunded.class),
    STAFF_ACCOUNT("staff.account", Event.StaffAccount.class),
    POINTS_ADJUSTED("points.adjusted", Event.PointsAdjusted.class),
    STORED_VALUE_ADJUSTED("stored_value.adjusted", Event.StoredValueAdjusted.class),
    AUDIT_RECORDED("audit.recorded", Event.AuditRecorded.class);

    private static final Map<String, EventType> BY_WIRE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wire, Function.identity()));
    private static final Map<Class<?>, EventType> BY_RECORD = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(t -> t.record, Function.identity()));

    private final String wire;
    private final Class<? extends Event> record;

    EventType(String wire, Class<? extends Event> record) {
        this.wire = wire;
        this.record = record;
    }

    public String wire() {
        return wire;
    }

    public Class<? extends Event> record() {
        return record;
    }

    public static Optional<EventType> byWire(String wire) {
        return Optional.ofNullable(wire == null ? null : BY_WIRE.get(wire));
    }

    public static EventType of(Event event) {
        return BY_RECORD.get(event.getClass());
    }
}
