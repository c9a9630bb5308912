package dev.counterpoint.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Each change's kind on the wire and the record it is read into. */
public enum ChangeKind {
    MEMBER_ENROLLED("member.enrolled", Change.MemberEnrolled.class),
    MEMBER_PROFILE("member.profile", Change.MemberProfile.class),
    MEMBER_MERGED("member.merged", Change.MemberMerged.class),
    MEMBER_SPLIT("member.split", Change.MemberSplit.class),
    MEMBER_CONSENT("member.consent", Change.MemberConsent.class),
    MEMBER_ERASED("member.erased", Change.MemberErased.class),
    MEMBER_TAG("member.tag", Change.MemberTag.class),
    POINTS_ENTRY("points.entry", Change.PointsEntry.class),
    SV_ENTRY("sv.entry", Change.StoredValueEntry.class),
    COUPON_ISSUED("coupon.issued", Change.CouponIssued.class),
    COUPON_REDEEMED("coupon.redeemed", Change.CouponRedeemed.class),
    COUPON_VOIDED("coupon.voided", Change.CouponVoided.class),
    COUPON_ADJUDICATED("coupon.adjudicated", Change.CouponAdjudicated.class),
    RULE_SET_PUBLISHED("rule_set.published", Change.RuleSetPublished.class),
    PURCHASE_RECORDED("purchase.recorded", Change.PurchaseRecorded.class),
    PURCHASE_REFUNDED("purchase.refunded", Change.PurchaseRefunded.class),
    TIER_REVIEWED("tier.reviewed", Change.TierReviewed.class),
    MEMBER_QR_KEY("member_qr.key", Change.MemberQrKey.class),
    PHONE_BOX_KEY("phone_box.key", Change.PhoneBoxKey.class),
    STAFF_ACCOUNT("staff.account", Change.StaffAccount.class),
    COUPON_RESTORED("coupon.restored", Change.CouponRestored.class),
    COUPON_TEMPLATE_PUBLISHED("coupon_template.published", Change.CouponTemplatePublished.class);

    private static final Map<String, ChangeKind> BY_WIRE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ChangeKind::wire, Function.identity()));
    private static final Map<Class<?>, ChangeKind> BY_RECORD = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(k -> k.record, Function.identity()));

    private final String wire;
    private final Class<? extends Change> record;

    ChangeKind(String wire, Class<? extends Change> record) {
        this.wire = wire;
        this.record = record;
    }

    public String wire() {
        return wire;
    }

    public Class<? extends Change> record() {
        return record;
    }

    public static Optional<ChangeKind> byWire(String wire) {
        return Optional.ofNullable(wire == null ? null : BY_WIRE.get(wire));
    }

    public static ChangeKind of(Change change) {
        return BY_RECORD.get(change.getClass());
    }
}
