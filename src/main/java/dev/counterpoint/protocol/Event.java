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
                          EnrolmentSource source, String phoneBox) implements Event {
        /**
         * @param phoneBox the full number sealed for head office ({@link PhoneBox}); absent when the terminal had no
         *                 phone-box key yet, or the member gave no phone
         */
        public MemberEnrolled {
            Check.enrolment(memberId, cardCode, name, phoneHmac, phoneMasked, tier, homeStore, enrolledAt);
            required(source, "source");
            PhoneBox.check(phoneBox, "phone_box");
        }

        /**
         * The same enrolment with another phone hash, home store and box (a store joining head office, decision 0038:
         * its phones re-keyed and sealed for head office).
         */
        public MemberEnrolled rekeyed(String newPhoneHmac, String newHomeStore, String newPhoneBox) {
            return new MemberEnrolled(memberId, cardCode, name, newPhoneHmac, phoneMasked, birthday, tier, newHomeStore,
                    enrolledAt, source, newPhoneBox);
        }
    }

    /** A member brought from a legacy list (or the demo store), with opening balances. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberImported(UUID memberId, String cardCode, String name, String phoneHmac, String phoneMasked,
                          LocalDate birthday, Tier tier, String homeStore, OffsetDateTime enrolledAt,
                          EnrolmentSource source, long openingPoints, LocalDate openingPointsExpireOn, UUID pointsEntryId,
                          long openingStoredValueFen, UUID svEntryId, String phoneBox) implements Event {
        public MemberImported {
            new MemberEnrolled(memberId, cardCode, name, phoneHmac, phoneMasked, birthday, tier, homeStore, enrolledAt, source,
                    phoneBox);
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
                    openingStoredValueFen, svEntryId, e.phoneBox());
        }

        /** The same import with another phone hash, home store and box (a store joining head office, decision 0038). */
        public MemberImported rekeyed(String newPhoneHmac, String newHomeStore, String newPhoneBox) {
            return of(enrolment().rekeyed(newPhoneHmac, newHomeStore, newPhoneBox), openingPoints,
                    openingPointsExpireOn, pointsEntryId, openingStoredValueFen, svEntryId);
        }

        /** The enrolment part, as a counter enrolment would state it. */
        public MemberEnrolled enrolment() {
            return new MemberEnrolled(memberId, cardCode, name, phoneHmac, phoneMasked, birthday, tier, homeStore,
                    enrolledAt, source, phoneBox);
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
     * A manager at a store turned one of a member's custom tags on or off (decision 0077). Each (member, tag) is kept
     * with the latest change winning by the envelope's HLC, as a consent channel is. {@code staffId} is the manager who
     * set it; the store and terminal are the sender's.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberTagged(UUID memberId, String tag, boolean on, OffsetDateTime taggedAt, String staffId) implements Event {
        public MemberTagged {
            required(memberId, "member_id");
            TagName.check(tag, "tag");
            required(taggedAt, "tagged_at");
            text(staffId, "staff_id", MAX_CODE);
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

    /** The coupon part of a checkout: the wallet coupon it used and what it took off. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CheckoutCoupon(UUID redemptionId, UUID couponId, String couponCode, String templateId, ReasonCode reason,
                          long discountFen) {
        public CheckoutCoupon {
            required(redemptionId, "coupon.redemption_id");
            required(couponId, "coupon.coupon_id");
            text(couponCode, "coupon.coupon_code", MAX_CODE);
            text(templateId, "coupon.template_id", MAX_CODE);
            required(reason, "coupon.reason");
            notNegative(discountFen, "coupon.discount_fen");
        }
    }

    /**
     * One checkout at the counter, in one transaction: the basket ({@code lines}, adding up to {@code gross_fen}), the
     * coupon that took {@code discount_fen} off it, the points spent (one entry per lot) for {@code points_value_fen},
     * the stored value paid, what was left to pay by other tenders ({@code payable_fen}), and the points earned on the
     * earning base (the amount after coupon and points, and after stored value unless the rules let it earn), with the
     * tier change the purchase brought. {@code staff_id} is the cashier who rang it up.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CheckoutCompleted(UUID checkoutId, UUID purchaseId, String receiptNo, UUID memberId, String staffId,
                             OffsetDateTime completedAt, long grossFen, List<Line> lines, CheckoutCoupon coupon,
                             long discountFen, long pointsRedeemed, long pointsValueFen, List<SpendEntry> pointsEntries,
                             long pointsBalanceBefore, long pointsBeyondBalance, long storedValueFen, UUID svEntryId,
                             long svBalanceBeforeFen, long svBeyondBalanceFen, long payableFen, long earningBaseFen,
                             long pointsEarned, UUID pointsEntryId, LocalDate pointsExpireOn, Tier tierBefore,
                             Tier tierAfter, UUID tierEventId, long tierFigure, int ruleSetVersion) implements Event {
        public CheckoutCompleted {
            required(checkoutId, "checkout_id");
            required(purchaseId, "purchase_id");
            text(receiptNo, "receipt_no", MAX_CODE);
            required(memberId, "member_id");
            text(staffId, "staff_id", MAX_CODE);
            required(completedAt, "completed_at");
            atMost(positive(grossFen, "gross_fen"), Limits.MAX_PURCHASE_FEN, "gross_fen");
            lines = Check.lines(lines, grossFen);
            notNegative(discountFen, "discount_fen");
            if (coupon == null ? discountFen != 0 : coupon.discountFen() != discountFen) {
                throw new ProtocolException("discount_fen is not the coupon's discount");
            }
            notNegative(pointsRedeemed, "points_redeemed");
            notNegative(pointsValueFen, "points_value_fen");
            pointsEntries = list(pointsEntries, "points_entries");
            if (pointsEntries.stream().mapToLong(SpendEntry::delta).sum() != -pointsRedeemed) {
                throw new ProtocolException("points_entries do not add up to points_redeemed");
            }
            if ((pointsRedeemed == 0) != (pointsValueFen == 0)) {
                throw new ProtocolException("points_value_fen and points_redeemed go together");
            }
            notNegative(pointsBeyondBalance, "points_beyond_balance");
            notNegative(storedValueFen, "stored_value_fen");
            if (storedValueFen > 0) {
                required(svEntryId, "sv_entry_id");
            }
            notNegative(svBeyondBalanceFen, "sv_beyond_balance_fen");
            notNegative(payableFen, "payable_fen");
            if (grossFen - discountFen - pointsValueFen - storedValueFen != payableFen) {
                throw new ProtocolException("gross_fen less discount, points and stored value is not payable_fen");
            }
            notNegative(earningBaseFen, "earning_base_fen");
            if (earningBaseFen != payableFen && earningBaseFen != payableFen + storedValueFen) {
                throw new ProtocolException("earning_base_fen is neither payable_fen nor payable_fen with stored value");
            }
            atMost(notNegative(pointsEarned, "points_earned"), Limits.maxPointsFor(earningBaseFen), "points_earned");
            if (pointsEarned > 0) {
                required(pointsEntryId, "points_entry_id");
                required(pointsExpireOn, "points_expire_on");
            }
            required(tierBefore, "tier_before");
            required(tierAfter, "tier_after");
            if (tierAfter.compareTo(tierBefore) < 0) {
                throw new ProtocolException("a checkout never lowers a tier");
            }
            if (tierAfter != tierBefore) {
                required(tierEventId, "tier_event_id");
            }
            notNegative(tierFigure, "tier_figure");
            positive(ruleSetVersion, "rule_set_version");
        }

        /** The same checkout under another receipt number (a store joining head office, decision 0038). */
        public CheckoutCompleted withReceiptNo(String newReceiptNo) {
            return new CheckoutCompleted(checkoutId, purchaseId, newReceiptNo, memberId, staffId, completedAt, grossFen,
                    lines, coupon, discountFen, pointsRedeemed, pointsValueFen, pointsEntries, pointsBalanceBefore,
                    pointsBeyondBalance, storedValueFen, svEntryId, svBalanceBeforeFen, svBeyondBalanceFen, payableFen,
                    earningBaseFen, pointsEarned, pointsEntryId, pointsExpireOn, tierBefore, tierAfter, tierEventId,
                    tierFigure, ruleSetVersion);
        }
    }

    /** A line of a checkout taken back (numbered from 1 as the checkout's lines are) and its amount. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RefundLine(int lineNo, long amountFen) {
        public RefundLine {
            positive(lineNo, "lines.line_no");
            notNegative(amountFen, "lines.amount_fen");
        }
    }

    /**
     * Points given back or taken back by a refund: a returned spend opens a lot again with the spent lot's expiry
     * ({@code lot_id} names the lot it came from); a clawback names the lot it takes from (null: beyond the balance).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PointsMove(UUID entryId, long delta, UUID lotId, LocalDate lotExpiresOn) {
        public PointsMove {
            required(entryId, "entry_id");
            if (delta == 0) {
                throw new ProtocolException("a points move must move points");
            }
        }
    }

    /**
     * The tier raise a voided checkout made, taken back with the void (decision 0091): from the checkout's
     * {@code tier_after} down to {@code to_tier}, the highest tier the {@code figure} left after the void still reaches
     * and never below the checkout's {@code tier_before}; the tier perk coupons the raise issued and still unused are
     * voided ({@code perks_voided}, by code).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpgradeUndone(UUID tierEventId, Tier fromTier, Tier toTier, long figure, List<String> perksVoided) {
        public UpgradeUndone {
            required(tierEventId, "upgrade_undone.tier_event_id");
            required(fromTier, "upgrade_undone.from_tier");
            required(toTier, "upgrade_undone.to_tier");
            if (toTier.compareTo(fromTier) >= 0) {
                throw new ProtocolException("upgrade_undone lowers the tier");
            }
            notNegative(figure, "upgrade_undone.figure");
            perksVoided = list(perksVoided, "upgrade_undone.perks_voided");
            if (perksVoided.size() > Limits.MAX_LINES) {
                throw new ProtocolException("upgrade_undone.perks_voided: more than " + Limits.MAX_LINES);
            }
            perksVoided.forEach(code -> text(code, "upgrade_undone.perks_voided", MAX_CODE));
        }
    }

    /**
     * A checkout voided (the same day) or refunded (whole or chosen lines), approved by a manager: every effect of the
     * lines taken back is reversed in one transaction. Amounts are the checkout's, shared among the lines in proportion
     * to their amounts (the last refund of a receipt takes what is left, so the refunds add up to the checkout). A void
     * of the checkout that raised the member's tier may take the raise back ({@code upgrade_undone}, null otherwise; a
     * refund never does).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CheckoutRefunded(UUID refundId, UUID checkoutId, String receiptNo, String refundNo, RefundKind kind,
                            UUID memberId, String staffId, String managerId, OffsetDateTime refundedAt,
                            List<RefundLine> lines, long grossFen, long discountFen, long pointsValueFen,
                            long storedValueFen, long payableFen, List<PointsMove> pointsReturned,
                            List<PointsMove> pointsClawedBack, long pointsForgiven, UUID svEntryId, String couponCode,
                            boolean couponRestored, boolean complete, int ruleSetVersion, UpgradeUndone upgradeUndone)
            implements Event {
        public CheckoutRefunded {
            required(refundId, "refund_id");
            required(checkoutId, "checkout_id");
            text(receiptNo, "receipt_no", MAX_CODE);
            text(refundNo, "refund_no", MAX_CODE);
            required(kind, "kind");
            required(memberId, "member_id");
            text(staffId, "staff_id", MAX_CODE);
            text(managerId, "manager_id", MAX_CODE);
            required(refundedAt, "refunded_at");
            lines = list(lines, "lines");
            if (lines.isEmpty()) {
                throw new ProtocolException("a refund takes back at least one line");
            }
            if (lines.stream().map(RefundLine::lineNo).distinct().count() != lines.size()) {
                throw new ProtocolException("a line is taken back twice");
            }
            if (lines.stream().mapToLong(RefundLine::amountFen).sum() != grossFen) {
                throw new ProtocolException("lines do not add up to gross_fen");
            }
            atMost(notNegative(grossFen, "gross_fen"), Limits.MAX_PURCHASE_FEN, "gross_fen");
            notNegative(discountFen, "discount_fen");
            notNegative(pointsValueFen, "points_value_fen");
            notNegative(storedValueFen, "stored_value_fen");
            notNegative(payableFen, "payable_fen");
            if (grossFen - discountFen - pointsValueFen - storedValueFen != payableFen) {
                throw new ProtocolException("gross_fen less discount, points and stored value is not payable_fen");
            }
            pointsReturned = list(pointsReturned, "points_returned");
            if (pointsReturned.stream().anyMatch(m -> m.delta() < 0)) {
                throw new ProtocolException("points_returned gives points back");
            }
            pointsClawedBack = list(pointsClawedBack, "points_clawed_back");
            if (pointsClawedBack.stream().anyMatch(m -> m.delta() > 0)) {
                throw new ProtocolException("points_clawed_back takes points");
            }
            notNegative(pointsForgiven, "points_forgiven");
            if (storedValueFen > 0) {
                required(svEntryId, "sv_entry_id");
            }
            optText(couponCode, "coupon_code", MAX_CODE);
            if (couponRestored && couponCode == null) {
                throw new ProtocolException("coupon_restored names no coupon");
            }
            if (kind == RefundKind.VOID && !complete) {
                throw new ProtocolException("a void takes back the whole checkout");
            }
            positive(ruleSetVersion, "rule_set_version");
            if (upgradeUndone != null && kind != RefundKind.VOID) {
                throw new ProtocolException("only a void takes back a tier raise");
            }
        }

        /** The same refund under other receipt numbers (a store joining head office, decision 0038). */
        public CheckoutRefunded withReceiptNos(String newReceiptNo, String newRefundNo) {
            return new CheckoutRefunded(refundId, checkoutId, newReceiptNo, newRefundNo, kind, memberId, staffId, managerId,
                    refundedAt, lines, grossFen, discountFen, pointsValueFen, storedValueFen, payableFen, pointsReturned,
                    pointsClawedBack, pointsForgiven, svEntryId, couponCode, couponRestored, complete, ruleSetVersion,
                    upgradeUndone);
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public long pointsReturnedTotal() {
            return pointsReturned.stream().mapToLong(PointsMove::delta).sum();
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public long pointsClawedBackTotal() {
            return -pointsClawedBack.stream().mapToLong(PointsMove::delta).sum();
        }
    }

    /**
     * A manager's adjustment of a member's points by hand (a lost paper voucher honoured, a till error found at close,
     * goodwill), made by {@code staff_id} with the approval of {@code manager_id}, both of the sending store, for the
     * {@code reason} given. A positive one opens one lot ({@code entries} holds it, with the expiry the rules give a lot
     * opened that day); a negative one takes from the oldest usable lots first, one entry per lot, and beyond them (an
     * entry naming no lot) only where the rules let points go below zero. Balances are the store's ledger sums.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PointsAdjusted(UUID adjustmentId, UUID memberId, long delta, List<PointsMove> entries, long balanceBefore,
                          long balanceAfter, String reason, String staffId, String managerId, OffsetDateTime adjustedAt,
                          int ruleSetVersion) implements Event {
        public PointsAdjusted {
            required(adjustmentId, "adjustment_id");
            required(memberId, "member_id");
            Check.adjustment(delta, Limits.MAX_ADJUST_POINTS, balanceBefore, balanceAfter, "delta");
            entries = list(entries, "entries");
            if (entries.isEmpty() || entries.size() > Limits.MAX_LINES) {
                throw new ProtocolException("entries: from 1 to " + Limits.MAX_LINES);
            }
            if (entries.stream().mapToLong(PointsMove::delta).sum() != delta) {
                throw new ProtocolException("entries do not add up to delta");
            }
            if (delta > 0) {
                PointsMove lot = entries.get(0);
                if (entries.size() != 1 || lot.lotId() != null || lot.lotExpiresOn() == null) {
                    throw new ProtocolException("a positive adjustment opens one lot, with its expiry and naming no other");
                }
            } else {
                if (entries.stream().anyMatch(m -> m.delta() > 0 || m.lotExpiresOn() != null)) {
                    throw new ProtocolException("a negative adjustment only takes points");
                }
                if (entries.stream().filter(m -> m.lotId() == null).count() > 1
                        || entries.stream().filter(m -> m.lotId() != null).map(PointsMove::lotId).distinct().count()
                        != entries.stream().filter(m -> m.lotId() != null).count()) {
                    throw new ProtocolException("a negative adjustment takes from each lot once, and beyond them once");
                }
            }
            Check.adjustedBy(reason, staffId, managerId);
            required(adjustedAt, "adjusted_at");
            positive(ruleSetVersion, "rule_set_version");
        }
    }

    /**
     * A manager's adjustment of a member's stored value by hand, as {@link PointsAdjusted}: one entry of
     * {@code delta_fen}; a negative one never leaves the store's balance below zero.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StoredValueAdjusted(UUID adjustmentId, UUID memberId, UUID entryId, long deltaFen, long balanceBeforeFen,
                               long balanceAfterFen, String reason, String staffId, String managerId,
                               OffsetDateTime adjustedAt) implements Event {
        public StoredValueAdjusted {
            required(adjustmentId, "adjustment_id");
            required(memberId, "member_id");
            required(entryId, "entry_id");
            Check.adjustment(deltaFen, Limits.MAX_ADJUST_FEN, balanceBeforeFen, balanceAfterFen, "delta_fen");
            if (deltaFen < 0 && balanceAfterFen < 0) {
                throw new ProtocolException("a negative adjustment never leaves stored value below zero");
            }
            Check.adjustedBy(reason, staffId, managerId);
            required(adjustedAt, "adjusted_at");
        }
    }

    /**
     * A staff account added or changed at a store (a manager added a cashier, a member of staff changed their PIN): the
     * PIN only as its slow salted hash. {@code store_id} null: an account for every store (an owner's).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StaffAccount(String staffId, String storeId, String name, StaffRole role, String pinHash, boolean active,
                        OffsetDateTime updatedAt, String updatedBy) implements Event {
        public StaffAccount {
            text(staffId, "staff_id", MAX_CODE);
            optText(storeId, "store_id", MAX_CODE);
            text(name, "name", MAX_TEXT);
            required(role, "role");
            text(pinHash, "pin_hash", 300);
            required(updatedAt, "updated_at");
            optText(updatedBy, "updated_by", MAX_CODE);
        }

        @Override
        public UUID memberId() {
            return null;
        }
    }

    /**
     * One entry of a terminal's audit log (a sensitive action: a void, a refund, a manual coupon, a rules change, a PIN
     * change, staff added, an erasure, an export, a close of day), chained by hash to the one before it
     * ({@link AuditChain}): head office checks the chain of each terminal as the entries arrive.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record AuditRecorded(long seq, UUID entryId, OffsetDateTime recordedAt, String storeId, String terminalId,
                         String staffId, String action, String subject, Map<String, String> detail, String prevHash,
                         String hash) implements Event {
        public AuditRecorded {
            positive(seq, "seq");
            required(entryId, "entry_id");
            required(recordedAt, "recorded_at");
            text(storeId, "store_id", MAX_CODE);
            text(terminalId, "terminal_id", MAX_CODE);
            optText(staffId, "staff_id", MAX_CODE);
            text(action, "action", MAX_CODE);
            optText(subject, "subject", MAX_TEXT);
            required(detail, "detail");
            detail = Map.copyOf(detail);
            for (Map.Entry<String, String> e : detail.entrySet()) {
                text(e.getKey(), "detail key", MAX_CODE);
                optText(e.getValue(), "detail." + e.getKey(), MAX_TEXT);
            }
            if (!AuditChain.wellFormed(prevHash)) {
                throw new ProtocolException("prev_hash is not a SHA-256 hash");
            }
            if (!AuditChain.wellFormed(hash)) {
                throw new ProtocolException("hash is not a SHA-256 hash");
            }
        }

        @Override
        public UUID memberId() {
            return null;
        }
    }
}
