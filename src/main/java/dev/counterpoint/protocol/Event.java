package dev.counterpoint.protocol;

import static dev.counterpoint.protocol.Check.MAX_CODE;
import static dev.counterpoint.protocol.Check.MAX_TEXT;
import static dev.counterpoint.protocol.Check.atMost;
import static dev.counterpoint.protocol.Check.list;
import static dev.counterpoint.protocol.Check.notNegative;
import static dev.counterpoint.protocol.Check.optText;
import static dev.counterpoint.protocol.Check.positive;
import static dev.counterpoint.protocol.Check.required;
import static dev.counterpoint.protocol.Check.text;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a terminal tells head office: one record per event type, written to the outbox in the transaction of the
 * rows it describes. Constructors check each field, so an event that exists is well formed; what it means for the
 * chain (bounds from the rules, the sender's own store) is checked where it arrives.
 */
public sealed interface Event {
    /** The member the event is about; null for a store's rule change. */
    UUID memberId();

    /** A member enrolled at this store's counter. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberEnrolled(UUID memberId, String cardCode, String name, String phoneHmac, String phoneMasked,
                          LocalDate birthday, Tier tier, String homeStore, OffsetDateTime enrolledAt,
                          EnrolmentSource source) implements Event {
        public MemberEnrolled {
            Check.enrolment(memberId, cardCode, name, phoneHmac, phoneMasked, tier, homeStore, enrolledAt);
            required(source, "source");
        }

        /** The same enrolment with another phone hash and home store (a store joining head office, decision 0038). */
        public MemberEnrolled withPhoneHmacAndHomeStore(String newPhoneHmac, String newHomeStore) {
            return new MemberEnrolled(memberId, cardCode, name, newPhoneHmac, phoneMasked, birthday, tier, newHomeStore,
                    enrolledAt, source);
        }
    }

    /** A member brought from a legacy list (or the demo store), with opening balances. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberImported(UUID memberId, String cardCode, String name, String phoneHmac, String phoneMasked,
                          LocalDate birthday, Tier tier, String homeStore, OffsetDateTime enrolledAt,
                          EnrolmentSource source, long openingPoints, LocalDate openingPointsExpireOn, UUID pointsEntryId,
                          long openingStoredValueFen, UUID svEntryId) implements Event {
        public MemberImported {
            new MemberEnrolled(memberId, cardCode, name, phoneHmac, phoneMasked, birthday, tier, homeStore, enrolledAt, source);
            atMost(notNegative(openingPoints, "opening_points"), Limits.MAX_OPENING_POINTS, "opening_points");
            atMost(notNegative(openingStoredValueFen, "opening_stored_value_fen"), Limits.MAX_OPENING_FEN,
                    "opening_stored_value_fen");
            if (openingPoints > 0) {
                required(pointsEntryId, "points_entry_id");
            }
            if (openingStoredValueFen > 0) {
                required(svEntryId, "sv_entry_id");
            }
        }

        public static MemberImported of(MemberEnrolled e, long openingPoints, LocalDate openingPointsExpireOn,
                                        UUID pointsEntryId, long openingStoredValueFen, UUID svEntryId) {
            return new MemberImported(e.memberId(), e.cardCode(), e.name(), e.phoneHmac(), e.phoneMasked(), e.birthday(),
                    e.tier(), e.homeStore(), e.enrolledAt(), e.source(), openingPoints, openingPointsExpireOn, pointsEntryId,
                    openingStoredValueFen, svEntryId);
        }

        /** The same import with another phone hash and home store (a store joining head office, decision 0038). */
        public MemberImported withPhoneHmacAndHomeStore(String newPhoneHmac, String newHomeStore) {
            return of(enrolment().withPhoneHmacAndHomeStore(newPhoneHmac, newHomeStore), openingPoints,
                    openingPointsExpireOn, pointsEntryId, openingStoredValueFen, svEntryId);
        }

        /** The enrolment part, as a counter enrolment would state it. */
        public MemberEnrolled enrolment() {
            return new MemberEnrolled(memberId, cardCode, name, phoneHmac, phoneMasked, birthday, tier, homeStore,
                    enrolledAt, source);
        }
    }

    /** Profile fields a store edited; a field left out is unchanged. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberUpdated(UUID memberId, ProfileFields fields) implements Event {
        public MemberUpdated {
            required(memberId, "member_id");
            required(fields, "fields");
        }
    }

    /** The edited fields: only those present were changed (an object of field name to new value). */
    record ProfileFields(String name, LocalDate birthday) {
        public ProfileFields {
            optText(name, "fields.name", MAX_TEXT);
            if (name != null && name.isBlank()) {
                throw new ProtocolException("a member's name cannot be empty");
            }
            if (name == null && birthday == null) {
                throw new ProtocolException("fields changes nothing");
            }
        }

        @JsonCreator
        static ProfileFields of(Map<String, String> fields) {
            for (String key : fields.keySet()) {
                if (!key.equals("name") && !key.equals("birthday")) {
                    throw new ProtocolException("not a profile field: " + key);
                }
            }
            String birthday = fields.get("birthday");
            try {
                return new ProfileFields(fields.get("name"), birthday == null ? null : LocalDate.parse(birthday));
            } catch (java.time.DateTimeException e) {
                throw new ProtocolException("fields.birthday is not a date");
            }
        }

        @JsonValue
        Map<String, String> asMap() {
            Map<String, String> out = new LinkedHashMap<>();
            if (name != null) {
                out.put("name", name);
            }
            if (birthday != null) {
                out.put("birthday", birthday.toString());
            }
            return out;
        }
    }

    /**
     * Consent a member gave or withdrew at a store: the privacy notice and marketing per channel; a channel left null
     * is unchanged. The store and terminal are the sender's (head office takes them from its credential). {@code
     * staffId} names who took it: null until staff sign in at the counter.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberConsent(UUID memberId, Boolean privacyNotice, Boolean marketingSms, Boolean marketingWechat,
                         OffsetDateTime recordedAt, String staffId) implements Event {
        public MemberConsent {
            required(memberId, "member_id");
            if (privacyNotice == null && marketingSms == null && marketingWechat == null) {
                throw new ProtocolException("the consent changes nothing");
            }
            required(recordedAt, "recorded_at");
            optText(staffId, "staff_id", MAX_CODE);
        }

        /** The channels this event sets, with their values, in channel order. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public Map<ConsentChannel, Boolean> channels() {
            Map<ConsentChannel, Boolean> out = new java.util.EnumMap<>(ConsentChannel.class);
            if (privacyNotice != null) {
                out.put(ConsentChannel.PRIVACY_NOTICE, privacyNotice);
            }
            if (marketingSms != null) {
                out.put(ConsentChannel.MARKETING_SMS, marketingSms);
            }
            if (marketingWechat != null) {
                out.put(ConsentChannel.MARKETING_WECHAT, marketingWechat);
            }
            return out;
        }
    }

    /**
     * A manager at a store erased a member's personal data (an erasure request made at the counter): head office
     * erases it everywhere (decision 0044). {@code erasedBy} is who approved it, as the manager gave it.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberErased(UUID memberId, OffsetDateTime erasedAt, String erasedBy) implements Event {
        public MemberErased {
            required(memberId, "member_id");
            required(erasedAt, "erased_at");
            optText(erasedBy, "erased_by", MAX_TEXT);
        }
    }

    /** One line of a purchase. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Line(String sku, String category, int qty, long amountFen) {
        public Line {
            optText(sku, "sku", MAX_CODE);
            optText(category, "category", MAX_CODE);
            positive(qty, "qty");
            atMost(notNegative(amountFen, "amount_fen"), Limits.MAX_PURCHASE_FEN, "amount_fen");
        }
    }

    /** A sale at the counter, with the points it earned and the tier upgrade it brought, if any. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SaleRecorded(UUID purchaseId, String receiptNo, UUID memberId, OffsetDateTime purchasedAt, long totalFen,
                        List<Line> lines, long pointsEarned, UUID pointsEntryId, LocalDate pointsExpireOn,
                        Tier tierBefore, Tier tierAfter, UUID tierEventId, long tierFigure, int ruleSetVersion)
            implements Event {
        public SaleRecorded {
            required(purchaseId, "purchase_id");
            text(receiptNo, "receipt_no", Check.MAX_RECEIPT);
            required(memberId, "member_id");
            required(purchasedAt, "purchased_at");
            atMost(positive(totalFen, "total_fen"), Limits.MAX_PURCHASE_FEN, "total_fen");
            lines = Check.lines(lines, totalFen);
            notNegative(pointsEarned, "points_earned");
            if (pointsEarned > 0) {
                required(pointsEntryId, "points_entry_id");
                required(pointsExpireOn, "points_expire_on");
            }
            required(tierBefore, "tier_before");
            required(tierAfter, "tier_after");
            if (tierAfter.compareTo(tierBefore) < 0) {
                throw new ProtocolException("a sale never lowers a tier");
            }
            if (tierAfter != tierBefore) {
                required(tierEventId, "tier_event_id");
            }
            notNegative(tierFigure, "tier_figure");
            positive(ruleSetVersion, "rule_set_version");
        }

        /** The same sale under another receipt number (a store joining head office, decision 0038). */
        public SaleRecorded withReceiptNo(String newReceiptNo) {
            return new SaleRecorded(purchaseId, newReceiptNo, memberId, purchasedAt, totalFen, lines, pointsEarned,
                    pointsEntryId, pointsExpireOn, tierBefore, tierAfter, tierEventId, tierFigure, ruleSetVersion);
        }
    }

    /** Purchase history brought from a legacy system or made for the demo store; it may carry points earned. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PurchaseImported(UUID purchaseId, UUID memberId, String cardCode, OffsetDateTime purchasedAt, long totalFen,
                            List<Line> lines, PurchaseSource source, String receiptNo, long pointsEarned,
                            UUID pointsEntryId, LocalDate pointsExpireOn, Integer ruleSetVersion) implements Event {
        public PurchaseImported {
            required(purchaseId, "purchase_id");
            required(memberId, "member_id");
            optText(cardCode, "card_code", MAX_CODE);
            required(purchasedAt, "purchased_at");
            atMost(notNegative(totalFen, "total_fen"), Limits.MAX_PURCHASE_FEN, "total_fen");
            lines = Check.lines(lines, totalFen);
            required(source, "source");
            if (source == PurchaseSource.SALE) {
                throw new ProtocolException("an imported purchase cannot claim to be a sale");
            }
            optText(receiptNo, "receipt_no", Check.MAX_RECEIPT);
            atMost(notNegative(pointsEarned, "points_earned"), Limits.maxPointsFor(totalFen), "points_earned");
            if (pointsEarned > 0) {
                required(pointsEntryId, "points_entry_id");
                required(pointsExpireOn, "points_expire_on");
                required(ruleSetVersion, "rule_set_version");
            }
        }

        /** The same purchase under another receipt number (a store joining head office, decision 0038). */
        public PurchaseImported withReceiptNo(String newReceiptNo) {
            return new PurchaseImported(purchaseId, memberId, cardCode, purchasedAt, totalFen, lines, source, newReceiptNo,
                    pointsEarned, pointsEntryId, pointsExpireOn, ruleSetVersion);
        }
    }

    /** A wallet coupon used at the counter. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CouponRedeemed(UUID redemptionId, UUID couponId, String couponCode, String templateId, UUID memberId,
                          ReasonCode reason, Long basketFen, long discountFen, OffsetDateTime redeemedAt) implements Event {
        public CouponRedeemed {
            required(redemptionId, "redemption_id");
            required(couponId, "coupon_id");
            text(couponCode, "coupon_code", MAX_CODE);
            text(templateId, "template_id", MAX_CODE);
            required(memberId, "member_id");
            required(reason, "reason");
            if (basketFen != null) {
                atMost(notNegative(basketFen, "basket_fen"), Limits.MAX_PURCHASE_FEN, "basket_fen");
            }
            atMost(notNegative(discountFen, "discount_fen"), basketFen == null ? Limits.MAX_PURCHASE_FEN : basketFen,
                    "discount_fen");
            required(redeemedAt, "redeemed_at");
        }
    }

    /** A coupon a store issued (a trigger, a manager). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CouponIssued(UUID couponId, String couponCode, String templateId, UUID memberId, LocalDate validFrom,
                        LocalDate validUntil, String issuedBy, OffsetDateTime issuedAt) implements Event {
        public CouponIssued {
            required(couponId, "coupon_id");
            text(couponCode, "coupon_code", MAX_CODE);
            text(templateId, "template_id", MAX_CODE);
            required(memberId, "member_id");
            required(validFrom, "valid_from");
            required(validUntil, "valid_until");
            if (validUntil.isBefore(validFrom)) {
                throw new ProtocolException("valid_until is before valid_from");
            }
            optText(issuedBy, "issued_by", MAX_TEXT);
            required(issuedAt, "issued_at");
        }
    }

    /** A coupon a manager voided. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CouponVoided(UUID couponId, String couponCode, UUID memberId, String reason, String voidedBy,
                        OffsetDateTime voidedAt) implements Event {
        public CouponVoided {
            required(couponId, "coupon_id");
            text(couponCode, "coupon_code", MAX_CODE);
            text(reason, "reason", MAX_TEXT);
            optText(voidedBy, "voided_by", MAX_TEXT);
            required(voidedAt, "voided_at");
        }
    }

    /** One entry of a points spend: the lot it consumed (null beyond the balance) and how much. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SpendEntry(UUID entryId, long delta, UUID lotId) {
        public SpendEntry {
            required(entryId, "entries.entry_id");
            if (delta >= 0) {
                throw new ProtocolException("a spend entry must be negative");
            }
        }
    }

    /** Points spent for money off. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PointsRedeemed(List<UUID> entryIds, List<SpendEntry> entries, UUID memberId, long points, long discountFen,
                          long balanceBefore, long beyondBalance, int ruleSetVersion, OffsetDateTime redeemedAt)
            implements Event {
        public PointsRedeemed {
            entryIds = list(entryIds, "entry_ids");
            entries = list(entries, "entries");
            required(memberId, "member_id");
            positive(points, "points");
            if (entries.isEmpty() || entries.stream().mapToLong(SpendEntry::delta).sum() != -points) {
                throw new ProtocolException("spend entries do not add up to the points spent");
            }
            notNegative(discountFen, "discount_fen");
            notNegative(beyondBalance, "beyond_balance");
            positive(ruleSetVersion, "rule_set_version");
            required(redeemedAt, "redeemed_at");
        }
    }

    /** A lot's remaining points written off on its expiry date. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PointsExpired(UUID entryId, UUID memberId, UUID lotId, long points, LocalDate lotExpiredOn, long balanceAfter,
                         OffsetDateTime writtenOffAt) implements Event {
        public PointsExpired {
            required(entryId, "entry_id");
            required(memberId, "member_id");
            required(lotId, "lot_id");
            positive(points, "points");
            required(lotExpiredOn, "lot_expired_on");
            required(writtenOffAt, "written_off_at");
        }
    }

    /** A payment from stored value. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StoredValuePaid(UUID entryId, UUID memberId, long amountFen, long balanceBeforeFen, long beyondBalanceFen,
                           OffsetDateTime paidAt) implements Event {
        public StoredValuePaid {
            required(entryId, "entry_id");
            required(memberId, "member_id");
            atMost(positive(amountFen, "amount_fen"), Limits.MAX_PURCHASE_FEN, "amount_fen");
            notNegative(beyondBalanceFen, "beyond_balance_fen");
            required(paidAt, "paid_at");
        }
    }

    /** Stored value bought, with the rules' bonus if a step was reached. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StoredValueToppedUp(UUID entryId, UUID bonusEntryId, UUID memberId, long amountFen, long bonusFen,
                               Long balanceAfterFen, Integer ruleSetVersion, OffsetDateTime toppedUpAt) implements Event {
        public StoredValueToppedUp {
            required(entryId, "entry_id");
            required(memberId, "member_id");
            atMost(positive(amountFen, "amount_fen"), Limits.MAX_TOP_UP_FEN, "amount_fen");
            atMost(notNegative(bonusFen, "bonus_fen"), amountFen, "bonus_fen");
            if (bonusFen > 0) {
                required(bonusEntryId, "bonus_entry_id");
            }
            required(toppedUpAt, "topped_up_at");
        }
    }

    /** The yearly tier review's outcome at a store. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record TierReviewed(UUID tierEventId, UUID memberId, Tier fromTier, Tier toTier, TierReason reason, TierBasis basis,
                        long figure, LocalDate reviewDate, int ruleSetVersion) implements Event {
        public TierReviewed {
            required(tierEventId, "tier_event_id");
            required(memberId, "member_id");
            required(fromTier, "from_tier");
            required(toTier, "to_tier");
            required(reason, "reason");
            Check.review(fromTier, toTier, reason);
            required(basis, "basis");
            notNegative(figure, "figure");
            required(reviewDate, "review_date");
            positive(ruleSetVersion, "rule_set_version");
        }
    }

    /** A store's manager put a rule set in force locally. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RulesChanged(int version, int previousVersion, String source, String body, OffsetDateTime activatedAt)
            implements Event {
        public RulesChanged {
            positive(version, "version");
            optText(source, "source", MAX_TEXT);
            Check.multilineText(body, "body", 64 * 1024);
            required(activatedAt, "activated_at");
        }

        @Override
        public UUID memberId() {
            return null;
        }
    }
}
