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

    /** A coupon in a member's wallet, issued by a store or centrally. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CouponIssued(UUID couponId, String code, UUID memberId, String templateId, LocalDate validFrom,
                        LocalDate validUntil, OffsetDateTime issuedAt) implements Change {
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

    /** Head office decided which redemption holds a coupon used twice. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CouponAdjudicated(String couponCode, UUID winnerRedemptionId, List<UUID> loserRedemptionIds) implements Change {
        public CouponAdjudicated {
            text(couponCode, "coupon_code", MAX_CODE);
            required(winnerRedemptionId, "winner_redemption_id");
            loserRedemptionIds = list(loserRedemptionIds, "loser_redemption_ids");
        }
    }

    /** A rule set the owner published for every store; its body is the rule set's own JSON. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RuleSetPublished(int version, String body) implements Change {
        public RuleSetPublished {
            positive(version, "version");
            text(body, "body", 64 * 1024);
        }
    }
}
