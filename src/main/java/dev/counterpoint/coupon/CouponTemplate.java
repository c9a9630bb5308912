package dev.counterpoint.coupon;

import dev.counterpoint.protocol.Tier;
import java.time.LocalDate;
import java.util.Locale;

/**
 * What a coupon is worth and when it may be used; coupons are issued from templates.
 *
 * @param tier      the lowest tier the coupon serves (null: every tier)
 * @param category  the basket must contain this category (null: any basket)
 * @param validFrom the template may be issued from this day (null: always)
 * @param validUntil the template may be issued until this day (null: always); no coupon of it is valid longer
 * @param perMemberLimit how many coupons of this template one member may use (0: no limit)
 */
public record CouponTemplate(String id, Trigger trigger, Tier tier, DiscountKind discountKind, long amountOffFen,
                             int percentOff, long maxOffFen, long minSpendFen, int validDays, String nameZh, String nameEn,
                             String category, LocalDate validFrom, LocalDate validUntil, int perMemberLimit) {

    /** A template without a per-member limit (the built-in ones). */
    public CouponTemplate(String id, Trigger trigger, Tier tier, DiscountKind discountKind, long amountOffFen,
                          int percentOff, long maxOffFen, long minSpendFen, int validDays, String nameZh, String nameEn,
                          String category, LocalDate validFrom, LocalDate validUntil) {
        this(id, trigger, tier, discountKind, amountOffFen, percentOff, maxOffFen, minSpendFen, validDays, nameZh, nameEn,
                category, validFrom, validUntil, 0);
    }

    public enum Trigger { WELCOME, BIRTHDAY, WIN_BACK, TIER_PERK, MANUAL }

    public enum DiscountKind { AMOUNT_OFF, PERCENT_OFF }

    public String name(Locale locale) {
        return "zh".equals(locale.getLanguage()) ? nameZh : nameEn;
    }

    /** Whether the discount can be worked out without knowing the basket. */
    public boolean needsBasket() {
        return discountKind == DiscountKind.PERCENT_OFF || minSpendFen > 0 || category != null;
    }

    public boolean servesTier(Tier memberTier) {
        return tier == null || memberTier.compareTo(tier) >= 0;
    }

    public boolean issuableOn(LocalDate day) {
        return (validFrom == null || !day.isBefore(validFrom)) && (validUntil == null || !day.isAfter(validUntil));
    }

    /** Whether a member who has used {@code used} coupons of this template may use another. */
    public boolean allowsAnotherUse(int used) {
        return perMemberLimit <= 0 || used < perMemberLimit;
    }

    /** The last day a coupon issued on {@code day} is valid: its days from issue, never past the template's last day. */
    public LocalDate lastValidDay(LocalDate day) {
        LocalDate last = day.plusDays(validDays - 1L);
        return validUntil != null && validUntil.isBefore(last) ? validUntil : last;
    }

    /** The discount on a basket: never more than the basket, capped for percentages, rounded down to the fen. */
    public long discountFor(Long basketFen) {
        if (discountKind == DiscountKind.AMOUNT_OFF) {
            return basketFen == null ? amountOffFen : Math.min(amountOffFen, basketFen);
        }
        long off = basketFen * percentOff / 100;
        return maxOffFen > 0 ? Math.min(off, maxOffFen) : off;
    }
}
