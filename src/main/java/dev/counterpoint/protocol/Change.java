package dev.counterpoint.protocol;

import static dev.counterpoint.protocol.Check.MAX_CODE;
import static dev.counterpoint.protocol.Check.MAX_TEXT;
import static dev.counterpoint.protocol.Check.list;
import static dev.counterpoint.protocol.Check.optText;
import static dev.counterpoint.protocol.Check.positive;
import static dev.counterpoint.protocol.Check.required;
import static dev.counterpoint.protocol.Check.text;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * What head office tells terminals through the change feed: one record per kind. Terminals read every change
 * through these records, so a change that is not well formed is parked at the terminal instead of applied.
 */
public sealed interface Change {

    /** A member enrolled or imported anywhere in the chain. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberEnrolled(UUID memberId, String cardCode, String name, String phoneHmac, String phoneMasked,
                          LocalDate birthday, Tier tier, String homeStore, OffsetDateTime enrolledAt,
                          EnrolmentSource enrolledVia, long hlc) implements Change {
        public MemberEnrolled {
            Check.enrolment(memberId, cardCode, name, phoneHmac, phoneMasked, tier, homeStore, enrolledAt);
            required(enrolledVia, "enrolled_via");
        }
    }

    /** The profile fields head office keeps with the latest edit winning. */
    enum Field {
        @JsonProperty("name") NAME,
        @JsonProperty("birthday") BIRTHDAY,
        @JsonProperty("tier") TIER;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The winning value of one profile field (null: cleared). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberProfile(UUID memberId, Field field, String value, long hlc) implements Change {
        public MemberProfile {
            required(memberId, "member_id");
            required(field, "field");
            optText(value, "value", MAX_TEXT);
            switch (field) {
                case NAME -> text(value, "value", MAX_TEXT);
                case TIER -> {
                    if (Arrays.stream(Tier.values()).noneMatch(t -> t.name().equals(value))) {
                        throw new ProtocolException("value " + value + " is not a tier");
                    }
                }
                case BIRTHDAY -> {
                    try {
                        if (value != null) {
                            LocalDate.parse(value);
                        }
                    } catch (DateTimeException e) {
                        throw new ProtocolException("value " + value + " is not a date");
                    }
                }
            }
        }
    }

    /**
     * The winning value of one consent channel (the latest by HLC), where and when it was recorded: the store and
     * terminal it was given at, and who took it ({@code staffId}: null until staff sign in at the counter).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberConsent(UUID memberId, ConsentChannel channel, boolean granted, OffsetDateTime recordedAt, String storeId,
                         String terminalId, String staffId, long hlc) implements Change {
        public MemberConsent {
            required(memberId, "member_id");
            required(channel, "channel");
            required(recordedAt, "recorded_at");
            optText(storeId, "store_id", MAX_CODE);
            optText(terminalId, "terminal_id", MAX_CODE);
            optText(staffId, "staff_id", MAX_CODE);
            positive(hlc, "hlc");
        }
    }

    /**
     * The winning state of one of a member's custom tags (the latest change by HLC; decision 0077), sent to the stores
     * that keep the member: who set it ({@code storeId} null when it was head office's owner, {@code staffId} the
     * manager or console user) and when.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberTag(UUID memberId, String tag, boolean on, OffsetDateTime setAt, String storeId, String staffId, long hlc)
            implements Change {
        public MemberTag {
            required(memberId, "member_id");
            TagName.check(tag, "tag");
            required(setAt, "set_at");
            optText(storeId, "store_id", MAX_CODE);
            optText(staffId, "staff_id", MAX_CODE);
            positive(hlc, "hlc");
        }
    }

    /**
     * A member's personal data was erased (decision 0044): a store erases what it holds and never takes it back. What
     * remains is what a store needs to keep the anonymous ledgers and to say that the card was erased: the id, the
     * card code, the home store, the tier and how and when the member enrolled. A store that never had the member keeps it so.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberErased(UUID memberId, String cardCode, String homeStore, Tier tier, OffsetDateTime enrolledAt,
                        EnrolmentSource enrolledVia, OffsetDateTime erasedAt) implements Change {
        public MemberErased {
            required(memberId, "member_id");
            text(cardCode, "card_code", MAX_CODE);
            text(homeStore, "home_store", MAX_CODE);
            required(tier, "tier");
            required(enrolledAt, "enrolled_at");
            required(enrolledVia, "enrolled_via");
            required(erasedAt, "erased_at");
        }
    }

    /** A member became an alias of another (same phone enrolled twice). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberMerged(UUID aliasId, UUID survivorId) implements Change {
        public MemberMerged {
            required(aliasId, "alias_id");
            required(survivorId, "survivor_id");
            if (aliasId.equals(survivorId)) {
                throw new ProtocolException("a member cannot be merged into itself");
            }
        }
    }

    /**
     * A merge by phone undone: an owner found the two members to be different people. The alias is a member of its
     * own again and its card leads to it; the balances the merge moved come back as entries of their own.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberSplit(UUID aliasId, UUID survivorId, String cardCode) implements Change {
        public MemberSplit {
            required(aliasId, "alias_id");
            required(survivorId, "survivor_id");
            text(cardCode, "card_code", MAX_CODE);
            if (aliasId.equals(survivorId)) {
                throw new ProtocolException("a member cannot be split from itself");
            }
        }
    }

    /** A points ledger entry, with head office's id. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PointsEntry(UUID entryId, UUID memberId, long delta, PointsKind kind, LocalDate lotExpiresOn, UUID refId,
                       OffsetDateTime createdAt, long hlc) implements Change {
        public PointsEntry {
            required(entryId, "entry_id");
            required(memberId, "member_id");
            required(kind, "kind");
            required(createdAt, "created_at");
        }
    }

    /** A stored-value ledger entry, with head office's id. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StoredValueEntry(UUID entryId, UUID memberId, long deltaFen, StoredValueKind kind, UUID refId,
                            OffsetDateTime createdAt, long hlc) implements Change {
        public StoredValueEntry {
            required(entryId, "entry_id");
            required(memberId, "member_id");
            required(kind, "kind");
            required(createdAt, "created_at");
        }
    }

    /**
     * A coupon in a member's wallet, issued by a store or centrally. {@code issuedBy} says why (the store's
     * {@code trigger:REASON} for an occasion coupon, so that every counter offers it with the same reason), or null.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CouponIssued(UUID couponId, String code, UUID memberId, String templateId, LocalDate validFrom,
                        LocalDate validUntil, OffsetDateTime issuedAt, String issuedBy) implements Change {
        public CouponIssued {
            required(couponId, "coupon_id");
            text(code, "code", MAX_CODE);
            required(memberId, "member_id");
            text(templateId, "template_id", MAX_CODE);
            required(validFrom, "valid_from");
            required(validUntil, "valid_until");
            if (validUntil.isBefore(validFrom)) {
                throw new ProtocolException("valid_until is before valid_from");
            }
            required(issuedAt, "issued_at");
            optText(issuedBy, "issued_by", MAX_TEXT);
        }
    }

    /** A coupon was used at another store. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CouponRedeemed(String couponCode, UUID couponId, UUID redemptionId) implements Change {
        public CouponRedeemed {
            text(couponCode, "coupon_code", MAX_CODE);
            required(redemptionId, "redemption_id");
        }
    }

    /** A coupon was voided. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CouponVoided(String couponCode) implements Change {
        public CouponVoided {
            text(couponCode, "coupon_code", MAX_CODE);
        }
    }

    /**
     * A public key whose member QR tokens terminals accept: head office mints the tokens and keeps the private key
     * (decision 0043). Base64 of the X.509 encoding of an Ed25519 key.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MemberQrKey(String publicKey, OffsetDateTime publishedAt) implements Change {
        public MemberQrKey {
            text(publicKey, "public_key", 200);
            required(publishedAt, "published_at");
            try {
                java.security.KeyFactory.getInstance("Ed25519").generatePublic(
                        new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(publicKey)));
            } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
                throw new ProtocolException("public_key: not a base64 Ed25519 public key");
            }
        }
    }

    /**
     * Head office's phone-box key: terminals seal each new member's full number with it (decision 0059). Base64 of the
     * X.509 encoding of an RSA-3072 key; the latest published is used.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PhoneBoxKey(String publicKey, OffsetDateTime publishedAt) implements Change {
        public PhoneBoxKey {
            PhoneBox.publicKey(publicKey);
            required(publishedAt, "published_at");
        }
    }

    /** Head office decided which redemption holds a coupon used twice. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CouponAdjudicated(String couponCode, UUID winnerRedemptionId, List<UUID> loserRedemptionIds) implements Change {
        public CouponAdjudicated {
            text(couponCode, "coupon_code", MAX_CODE);
            required(winnerRedemptionId, "winner_redemption_id");
            loserRedemptionIds = list(loserRedemptionIds, "loser_redemption_ids");
        }
    }

    /**
     * A purchase made anywhere in the chain, sent to the stores that keep the member's history: the member's home
     * store, the stores where they were served, and any store that asked for it (see api.md, "A member's stores").
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PurchaseRecorded(UUID purchaseId, UUID memberId, String storeId, String terminalId, String receiptNo,
                            OffsetDateTime purchasedAt, long totalFen, PurchaseSource source, List<Event.Line> lines)
            implements Change {
        public PurchaseRecorded {
            required(purchaseId, "purchase_id");
            required(memberId, "member_id");
            text(storeId, "store_id", MAX_CODE);
            optText(terminalId, "terminal_id", MAX_CODE);
            optText(receiptNo, "receipt_no", Check.MAX_RECEIPT);
            required(purchasedAt, "purchased_at");
            Check.atMost(Check.notNegative(totalFen, "total_fen"), Limits.MAX_PURCHASE_FEN, "total_fen");
            required(source, "source");
            lines = Check.lines(lines, totalFen);
        }
    }

    /**
     * Head office's yearly review of a member's tier from the whole chain's figure (stores never lower a tier
     * themselves). Sent to every store when the tier changes.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record TierReviewed(UUID tierEventId, UUID memberId, Tier fromTier, Tier toTier, TierReason reason, long figure,
                        LocalDate reviewDate, int ruleSetVersion, long hlc) implements Change {
        public TierReviewed {
            required(tierEventId, "tier_event_id");
            required(memberId, "member_id");
            required(fromTier, "from_tier");
            required(toTier, "to_tier");
            Check.review(fromTier, toTier, required(reason, "reason"));
            Check.notNegative(figure, "figure");
            required(reviewDate, "review_date");
            positive(ruleSetVersion, "rule_set_version");
            positive(hlc, "hlc");
        }
    }

    /** A rule set the owner published for every store; its body is the rule set's own JSON. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RuleSetPublished(int version, String body) implements Change {
        public RuleSetPublished {
            positive(version, "version");
            Check.multilineText(body, "body", 64 * 1024);
        }
    }

    /**
     * A staff account as head office holds it (the latest change by HLC), for the stores it serves: its own store's
     * terminals, or every store for an account with no store (an owner's). The PIN travels only as its slow salted hash.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StaffAccount(String staffId, String storeId, String name, StaffRole role, String pinHash, boolean active,
                        OffsetDateTime updatedAt, String updatedBy, long hlc) implements Change {
        public StaffAccount {
            new Event.StaffAccount(staffId, storeId, name, role, pinHash, active, updatedAt, updatedBy);
            positive(hlc, "hlc");
        }
    }

    /** How a coupon template takes money off. */
    enum Discount {
        @JsonProperty("amount_off") AMOUNT_OFF,
        @JsonProperty("percent_off") PERCENT_OFF
    }

    /**
     * A coupon template head office made, for every store: what a coupon of it takes off (an amount, or a percentage
     * with a cap), on what basket (a minimum spend, a category), for whom (the lowest tier), for how long a coupon of it
     * lasts ({@code validDays} from issue, never past {@code validUntil}), when it may be issued ({@code validFrom} to
     * {@code validUntil}, null: any day) and how many coupons of it one member may use ({@code perMemberLimit}, 0: no
     * limit). Published again with the same id, it replaces the earlier version; {@code active} false withdraws it.
     * Only the shape is checked here; a terminal checks the rest as it checks its own templates (coupon.CouponTemplates).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CouponTemplatePublished(String templateId, String nameZh, String nameEn, Discount discount, long amountOffFen,
                                   int percentOff, long maxOffFen, long minSpendFen, String category, Tier tier,
                                   int validDays, LocalDate validFrom, LocalDate validUntil, int perMemberLimit,
                                   boolean active, OffsetDateTime publishedAt) implements Change {
        public CouponTemplatePublished {
            text(templateId, "template_id", 32);
            text(nameZh, "name_zh", 60);
            text(nameEn, "name_en", 60);
            required(discount, "discount");
            Check.notNegative(amountOffFen, "amount_off_fen");
            Check.notNegative(percentOff, "percent_off");
            Check.notNegative(maxOffFen, "max_off_fen");
            Check.atMost(Check.notNegative(minSpendFen, "min_spend_fen"), Limits.MAX_PURCHASE_FEN, "min_spend_fen");
            optText(category, "category", 64);
            positive(validDays, "valid_days");
            if (validFrom != null && validUntil != null && validUntil.isBefore(validFrom)) {
                throw new ProtocolException("valid_until is before valid_from");
            }
            Check.notNegative(perMemberLimit, "per_member_limit");
            required(publishedAt, "published_at");
        }
    }

    /**
     * What has been taken back of a purchase, as head office holds it after a refund or void made anywhere: the total
     * refunded so far and whether a void took it back whole. Sent to the stores that keep the member's history, so that
     * each counts the purchase as head office does (the tier figure, the visit, the history's badge).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PurchaseRefunded(UUID purchaseId, UUID memberId, long refundedFen, boolean voided) implements Change {
        public PurchaseRefunded {
            required(purchaseId, "purchase_id");
            required(memberId, "member_id");
            Check.atMost(Check.notNegative(refundedFen, "refunded_fen"), Limits.MAX_PURCHASE_FEN, "refunded_fen");
            if (voided && refundedFen == 0) {
                throw new ProtocolException("refunded_fen: a voided purchase was taken back whole, not by nothing");
            }
        }
    }

    /** A redeemed coupon is usable again: the checkout that used it was taken back whole (the rules said restore). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CouponRestored(String couponCode) implements Change {
        public CouponRestored {
            text(couponCode, "coupon_code", MAX_CODE);
        }
    }
}
