package dev.counterpoint.coupon;

import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.Limits;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a terminal requires of a coupon template before it keeps one: the same checks at the counter (a template that
 * arrives through the feed) and at head office (a template is refused there before it is published), so a template
 * the stores could not honour never leaves head office. Pure.
 */
public final class CouponTemplates {
    /** The templates every terminal is built with (terminal migrations V2 and V3): head office's cannot replace them. */
    public static final Set<String> BUILT_IN = Set.of("WELCOME", "BIRTHDAY", "WIN_BACK", "GOLD_PERK", "BEANS_10");
    /** Ids as the terminals' table holds them: capitals, digits and '_', up to 32. */
    public static final String ID_PATTERN = "[A-Z0-9_]{1,32}";
    /** The longest a coupon may last, as head office's single coupons (a year, leap years included). */
    public static final int MAX_VALID_DAYS = 366;
    /** Percentages from 1 to 99: 100 % off is a gift, not a coupon. */
    public static final int MAX_PERCENT = 99;
    public static final int MAX_PER_MEMBER = 100;

    private CouponTemplates() {}

    /** A published template as the terminal keeps it: a manual template (no trigger issues it at the counter). */
    public static CouponTemplate of(Change.CouponTemplatePublished p) {
        return new CouponTemplate(p.templateId(), CouponTemplate.Trigger.MANUAL, p.tier(),
                p.discount() == Change.Discount.AMOUNT_OFF ? CouponTemplate.DiscountKind.AMOUNT_OFF
                        : CouponTemplate.DiscountKind.PERCENT_OFF,
                p.amountOffFen(), p.percentOff(), p.maxOffFen(), p.minSpendFen(), p.validDays(), p.nameZh(), p.nameEn(),
                p.category(), p.validFrom(), p.validUntil(), p.perMemberLimit());
    }

    /**
     * What a terminal cannot use in this template, in English, one problem a line (empty: usable). {@code today} is the
     * day it is judged on at head office: a template whose last day has passed is not published. A terminal passes null:
     * a template published in time and pulled later still names the coupons issued from it.
     */
    public static List<String> problems(CouponTemplate t, LocalDate today) {
        List<String> out = new ArrayList<>();
        if (t.id() == null || !t.id().matches(ID_PATTERN)) {
            out.add("template_id must be 1 to 32 capital letters, digits or '_'");
        } else if (BUILT_IN.contains(t.id())) {
            out.add("template_id " + t.id() + " is built into every terminal and cannot be replaced");
        }
        if (t.trigger() != CouponTemplate.Trigger.MANUAL) {
            out.add("only manual templates can be published: the counters issue occasion coupons from their own");
        }
        if (t.discountKind() == CouponTemplate.DiscountKind.AMOUNT_OFF) {
            if (t.amountOffFen() <= 0 || t.amountOffFen() > Limits.MAX_TOP_UP_FEN) {
                out.add("amount_off_fen must be from 1 to " + Limits.MAX_TOP_UP_FEN);
            }
            if (t.percentOff() != 0 || t.maxOffFen() != 0) {
                out.add("an amount-off template has no percent_off or max_off_fen");
            }
        } else {
            if (t.percentOff() < 1 || t.percentOff() > MAX_PERCENT) {
                out.add("percent_off must be from 1 to " + MAX_PERCENT);
            }
            if (t.maxOffFen() <= 0 || t.maxOffFen() > Limits.MAX_TOP_UP_FEN) {
                out.add("a percent-off template needs max_off_fen (the most it takes off) from 1 to " + Limits.MAX_TOP_UP_FEN);
            }
            if (t.amountOffFen() != 0) {
                out.add("a percent-off template has no amount_off_fen");
            }
        }
        if (t.minSpendFen() < 0 || t.minSpendFen() > Limits.MAX_PURCHASE_FEN) {
            out.add("min_spend_fen must be from 0 to " + Limits.MAX_PURCHASE_FEN);
        }
        if (t.validDays() < 1 || t.validDays() > MAX_VALID_DAYS) {
            out.add("valid_days must be from 1 to " + MAX_VALID_DAYS);
        }
        if (t.validFrom() != null && t.validUntil() != null && t.validUntil().isBefore(t.validFrom())) {
            out.add("valid_until is before valid_from");
        }
        if (today != null && t.validUntil() != null && t.validUntil().isBefore(today)) {
            out.add("valid_until " + t.validUntil() + " has passed (today is " + today + ")");
        }
        if (t.perMemberLimit() < 0 || t.perMemberLimit() > MAX_PER_MEMBER) {
            out.add("per_member_limit must be from 0 (no limit) to " + MAX_PER_MEMBER);
        }
        if (blank(t.nameZh()) || blank(t.nameEn()) || t.nameZh().length() > 60 || t.nameEn().length() > 60) {
            out.add("name_zh and name_en are 1 to 60 characters");
        }
        if (t.category() != null && (t.category().isBlank() || t.category().length() > 64)) {
            out.add("category is 1 to 64 characters");
        }
        return out;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
