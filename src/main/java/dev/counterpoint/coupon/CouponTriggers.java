package dev.counterpoint.coupon;

import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.ReasonCode;
import dev.counterpoint.protocol.Tier;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which coupons are due for automatic issue: each trigger fires when its condition first holds, and not
 * again until the occasion comes round (the next birthday, the next absence, the next upgrade). Pure; the
 * issue itself checks again inside its transaction.
 */
public final class CouponTriggers {
    /** A birthday coupon is issued at most once per birthday; this is how far back "this birthday" reaches. */
    static final int BIRTHDAY_REPEAT_DAYS = 180;

    private CouponTriggers() {}

    /** A coupon to issue, and the reason it is issued for. */
    public record Due(ReasonCode reason, CouponTemplate template) {
    }

    public static List<Due> due(MemberFacts f, List<CouponTemplate> templates, RuleSet rules, LocalDate today) {
        List<Due> out = new ArrayList<>();
        Member m = f.member();
        for (CouponTemplate t : templates) {
            if (!t.issuableOn(today) || !t.servesTier(m.tier())) {
                continue;
            }
            switch (t.trigger()) {
                case WELCOME -> {
                    long days = ChronoUnit.DAYS.between(m.enrolledAt().toLocalDate(), today);
                    if (m.enrolledVia() == EnrolmentSource.COUNTER && days <= rules.welcomeWithinDays()
                            && !f.lastIssuedByTemplate().containsKey(t.id())) {
                        out.add(new Due(ReasonCode.WELCOME, t));
                    }
                }
                case BIRTHDAY -> {
                    if (m.birthday() != null) {
                        LocalDate next = nextBirthday(m.birthday(), today);
                        if (ChronoUnit.DAYS.between(today, next) <= rules.birthdayWindowDays()
                                && !issuedSince(f, t, next.minusDays(BIRTHDAY_REPEAT_DAYS))) {
                            out.add(new Due(ReasonCode.BIRTHDAY, t));
                        }
                    }
                }
                case WIN_BACK -> f.lastPurchase().ifPresent(last -> {
                    long gap = ChronoUnit.DAYS.between(last, today);
                    if (!issuedSince(f, t, last)) {
                        if (gap >= rules.winBackAfterDays()) {
                            out.add(new Due(ReasonCode.WIN_BACK, t));
                        } else if (f.churn().isPresent()) {
                            out.add(new Due(ReasonCode.CHURN_RISK, t));
                        }
                    }
                });
                case TIER_PERK -> {
                    LocalDate since = f.lastUpgradedOn().orElse(m.enrolledAt().toLocalDate());
                    if (!issuedSince(f.lastIssuedByTemplate(), t, since)) {
                        out.add(new Due(ReasonCode.TIER_PERK, t));
                    }
                }
                case MANUAL -> { }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The perks a raise to {@code tier} today makes due: the {@link #due} rule for a member upgraded today, for the
     * checkout that raises the tier to issue in its own transaction.
     *
     * @param lastIssuedByTemplate the day a coupon of each template was last issued to the member
     */
    public static List<CouponTemplate> perksOfUpgrade(List<CouponTemplate> templates, Tier tier, LocalDate today,
                                                      Map<String, LocalDate> lastIssuedByTemplate) {
        return templates.stream().filter(t -> t.trigger() == CouponTemplate.Trigger.TIER_PERK && t.issuableOn(today)
                && t.servesTier(tier) && !issuedSince(lastIssuedByTemplate, t, today)).toList();
    }

    private static boolean issuedSince(MemberFacts f, CouponTemplate t, LocalDate since) {
        return issuedSince(f.lastIssuedByTemplate(), t, since);
    }

    private static boolean issuedSince(Map<String, LocalDate> lastIssuedByTemplate, CouponTemplate t, LocalDate since) {
        return Optional.ofNullable(lastIssuedByTemplate.get(t.id())).filter(d -> !d.isBefore(since)).isPresent();
    }

    /** The next birthday on or after today; 29 February is kept on 28 February in common years. */
    static LocalDate nextBirthday(LocalDate birthday, LocalDate today) {
        MonthDay md = MonthDay.from(birthday);
        LocalDate thisYear = md.atYear(today.getYear());
        return thisYear.isBefore(today) ? md.atYear(today.getYear() + 1) : thisYear;
    }

    /** The birthday closest to today (this year's, last year's or next year's). */
    static LocalDate nearestBirthday(LocalDate birthday, LocalDate today) {
        MonthDay md = MonthDay.from(birthday);
        LocalDate best = md.atYear(today.getYear());
        for (int dy : new int[] {-1, 1}) {
            LocalDate c = md.atYear(today.getYear() + dy);
            if (Math.abs(ChronoUnit.DAYS.between(today, c)) < Math.abs(ChronoUnit.DAYS.between(today, best))) {
                best = c;
            }
        }
        return best;
    }
}
