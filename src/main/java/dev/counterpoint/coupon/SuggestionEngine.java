package dev.counterpoint.coupon;

import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.protocol.ReasonCode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides what to offer a member now, and why. Pure and deterministic: the same facts, basket, rules and
 * day always give the same ranked list.
 *
 * <p>What is offered: wallet coupons usable today by this member's tier on this basket (never an expired,
 * used, void or not-yet-valid one, nor one of a template whose per-member limit the member has reached), each with the reason it was issued for (or AFFINITY when it is for a
 * category the member often buys, else WALLET); and expiring points as a POINTS_EXPIRING reminder.
 *
 * <p>Ranking, first difference decides:
 * <ol>
 *   <li>urgency: what is lost within {@value #URGENT_DAYS} days (coupon's last day, points' expiry) comes first,
 *       if it is worth at least {@value #URGENT_MIN_VALUE_FEN} fen — a few expiring points must not push a real
 *       offer off the one-key redemption;</li>
 *   <li>value to the member, in fen: the discount on the basket, or on their average ticket (at least the
 *       minimum spend) when the basket is not known; points at the redemption rate;</li>
 *   <li>relevance of the reason: BIRTHDAY, TIER_PERK, CHURN_RISK, WIN_BACK, WELCOME, AFFINITY, POINTS_EXPIRING, WALLET;</li>
 *   <li>fewer days left, then the coupon code (so equal offers always come in the same order).</li>
 * </ol>
 */
public final class SuggestionEngine {
    static final int URGENT_DAYS = 7;
    static final long URGENT_MIN_VALUE_FEN = 500;

    private static final List<ReasonCode> RELEVANCE = List.of(ReasonCode.BIRTHDAY, ReasonCode.TIER_PERK,
            ReasonCode.CHURN_RISK, ReasonCode.WIN_BACK, ReasonCode.WELCOME, ReasonCode.AFFINITY,
            ReasonCode.POINTS_EXPIRING, ReasonCode.WALLET);

    static final Comparator<Suggestion> RANKING = Comparator
            .comparing((Suggestion s) -> s.daysLeft() > URGENT_DAYS || s.valueFen() < URGENT_MIN_VALUE_FEN)
            .thenComparing(Comparator.comparingLong(Suggestion::valueFen).reversed())
            .thenComparingInt(s -> RELEVANCE.indexOf(s.reason()))
            .thenComparingLong(Suggestion::daysLeft)
            .thenComparing(s -> s.couponCode() == null ? "" : s.couponCode())
            .thenComparing(s -> s.couponId() == null ? "" : s.couponId().toString());

    public List<Suggestion> suggest(MemberFacts f, Basket basket, RuleSet rules, LocalDate today) {
        List<Suggestion> out = new ArrayList<>();
        for (Coupon c : f.wallet()) {
            CouponTemplate t = c.template();
            if (!c.usableOn(today) || !memberOwns(f, c) || !t.servesTier(f.member().tier()) || !basket.allows(t)
                    || !t.allowsAnotherUse(f.usedByTemplate().getOrDefault(t.id(), 0))) {
                continue;
            }
            out.add(walletSuggestion(f, c, basket, today));
        }
        f.pointsExpiring().ifPresent(e -> {
            long points = rules.wholeFenPoints(Math.min(e.points(), f.pointsUsable()));
            long daysLeft = ChronoUnit.DAYS.between(today, e.expiresOn());
            if (points > 0 && daysLeft >= 0 && daysLeft <= rules.pointsReminderDays()) {
                out.add(new Suggestion(ReasonCode.POINTS_EXPIRING, null, null, null, e.expiresOn(), daysLeft,
                        rules.fenForPoints(points), points, null, 0, 0, null));
            }
        });
        out.sort(RANKING);
        return List.copyOf(out);
    }

    private static boolean memberOwns(MemberFacts f, Coupon c) {
        return c.memberId() == null || c.memberId().equals(f.member().id());
    }

    private static Suggestion walletSuggestion(MemberFacts f, Coupon c, Basket basket, LocalDate today) {
        CouponTemplate t = c.template();
        long basis = basket.amountFen() != null ? basket.amountFen() : Math.max(f.averageTicketFen(), t.minSpendFen());
        long value = t.discountFor(basis);
        long daysLeft = ChronoUnit.DAYS.between(today, c.validUntil());
        ReasonCode reason = issuedFor(c);
        LocalDate reasonDate = null;
        long reasonDays = 0;
        long usual = 0;
        String category = null;
        switch (reason) {
            case BIRTHDAY -> {
                if (f.member().birthday() != null) {
                    reasonDate = CouponTriggers.nearestBirthday(f.member().birthday(), today);
                    reasonDays = ChronoUnit.DAYS.between(today, reasonDate);
                } else {
                    reason = ReasonCode.WALLET;
                }
            }
            case WIN_BACK, CHURN_RISK -> {
                // Once the member has been back since the coupon was issued, the absence is over: a wallet coupon.
                if (f.lastPurchase().isPresent() && f.lastPurchase().get().isBefore(c.issuedAt().toLocalDate())) {
                    reasonDate = f.lastPurchase().get();
                    reasonDays = ChronoUnit.DAYS.between(reasonDate, today);
                    usual = f.churn().map(w -> w.usualDays()).orElse(0L);
                    if (reason == ReasonCode.CHURN_RISK && usual == 0) {
                        reason = ReasonCode.WIN_BACK;
                    }
                } else {
                    reason = ReasonCode.WALLET;
                }
            }
            case WALLET -> {
                if (t.category() != null && f.affinity().contains(t.category())) {
                    reason = ReasonCode.AFFINITY;
                    category = t.category();
                }
            }
            default -> { }
        }
        return new Suggestion(reason, t, c.id(), c.code(), c.validUntil(), daysLeft, value, 0, reasonDate, reasonDays,
                usual, category);
    }

    /** The reason the coupon was issued for: the trigger's, or WALLET for a manager's coupon. */
    public static ReasonCode issuedFor(Coupon c) {
        if (c.issuedBy() != null && c.issuedBy().startsWith(Coupon.TRIGGER_PREFIX)) {
            try {
                return ReasonCode.valueOf(c.issuedBy().substring(Coupon.TRIGGER_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                return ReasonCode.WALLET;
            }
        }
        return ReasonCode.WALLET;
    }
}
