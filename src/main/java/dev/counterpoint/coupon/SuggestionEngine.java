package dev.counterpoint.coupon;

import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.member.Member;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which coupons to offer a member now, and why. Pure and deterministic: the same facts,
 * rules and day always give the same ranked list.
 *
 * <p>Ranking: time-bound occasions first (birthday, then win-back, then welcome: the order in
 * which the chance is lost), then wallet coupons, soonest to expire first.
 */
public final class SuggestionEngine {
    /** A birthday coupon is issued at most once per birthday; this is how far back "this birthday" reaches. */
    private static final int BIRTHDAY_REPEAT_DAYS = 180;

    public List<Suggestion> suggest(MemberFacts facts, Map<CouponTemplate.Trigger, CouponTemplate> templates,
                                    RuleSet rules, LocalDate today) {
        List<Suggestion> out = new ArrayList<>();
        Member m = facts.member();

        CouponTemplate birthday = templates.get(CouponTemplate.Trigger.BIRTHDAY);
        if (birthday != null && m.birthday() != null) {
            LocalDate next = nextBirthday(m.birthday(), today);
            long days = ChronoUnit.DAYS.between(today, next);
            if (days <= rules.birthdayWindowDays() && !issuedSince(facts, birthday, next.minusDays(BIRTHDAY_REPEAT_DAYS))) {
                out.add(new Suggestion(ReasonCode.BIRTHDAY, birthday, null, null, next, days));
            }
        }

        CouponTemplate winBack = templates.get(CouponTemplate.Trigger.WIN_BACK);
        if (winBack != null && facts.lastPurchase().isPresent()) {
            LocalDate last = facts.lastPurchase().get();
            long days = ChronoUnit.DAYS.between(last, today);
            if (days >= rules.winBackAfterDays() && !issuedSince(facts, winBack, last)) {
                out.add(new Suggestion(ReasonCode.WIN_BACK, winBack, null, null, last, days));
            }
        }

        CouponTemplate welcome = templates.get(CouponTemplate.Trigger.WELCOME);
        if (welcome != null && m.enrolledVia() == Member.EnrolmentSource.COUNTER && facts.purchaseCount() == 0) {
            LocalDate enrolled = m.enrolledAt().toLocalDate();
            long days = ChronoUnit.DAYS.between(enrolled, today);
            if (days <= rules.welcomeWithinDays() && !facts.lastIssuedByTemplate().containsKey(welcome.id())) {
                out.add(new Suggestion(ReasonCode.WELCOME, welcome, null, null, enrolled, days));
            }
        }

        facts.wallet().stream()
                .filter(c -> c.usableOn(today))
                .sorted(Comparator.comparing(Coupon::validUntil).thenComparing(Coupon::code))
                .forEach(c -> out.add(new Suggestion(ReasonCode.WALLET, c.template(), c.id(), c.code(), c.validUntil(),
                        ChronoUnit.DAYS.between(today, c.validUntil()))));
        return List.copyOf(out);
    }

    private static boolean issuedSince(MemberFacts facts, CouponTemplate template, LocalDate since) {
        return Optional.ofNullable(facts.lastIssuedByTemplate().get(template.id())).filter(d -> !d.isBefore(since)).isPresent();
    }

    /** The next birthday on or after today; 29 February is kept on 28 February in common years. */
    static LocalDate nextBirthday(LocalDate birthday, LocalDate today) {
        MonthDay md = MonthDay.from(birthday);
        LocalDate thisYear = md.atYear(today.getYear());
        return thisYear.isBefore(today) ? md.atYear(today.getYear() + 1) : thisYear;
    }
}
