package dev.counterpoint.loyalty;

import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.UserMessage;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a rule set may be put in force. Each problem is a message naming the field, so a manager (or
 * the person who wrote the rules file) knows what to fix; a refused set changes nothing.
 */
public final class RuleSetValidator {
    private RuleSetValidator() {}

    static final int MAX_DAYS = 3660;
    static final int MAX_PERMILLE = 100_000;

    public static List<UserMessage> problems(RuleSet r) {
        List<UserMessage> out = new ArrayList<>();
        if (r.version() < 1) {
            out.add(field("version", "rules.error.positive"));
        }
        if (r.tierBasis() == null) {
            out.add(field("tierBasis", "rules.error.required"));
        }
        if (r.tierThresholds() == null) {
            out.add(field("tierThresholds", "rules.error.required"));
        } else {
            long previous = 0;
            for (Tier t : List.of(Tier.SILVER, Tier.GOLD, Tier.DIAMOND)) {
                Long v = r.tierThresholds().get(t);
                String name = "tierThresholds." + t.name();
                if (v == null) {
                    out.add(field(name, "rules.error.required"));
                } else if (v <= previous) {
                    out.add(field(name, "rules.error.ascending"));
                } else {
                    previous = v;
                }
            }
        }
        if (r.tierReviewDate() == null) {
            out.add(field("tierReviewDate", "rules.error.required"));
        } else {
            try {
                r.reviewMonthDay();
            } catch (DateTimeException e) {
                out.add(field("tierReviewDate", "rules.error.monthDay"));
            }
        }
        if (r.earnPermille() == null) {
            out.add(field("earnPermille", "rules.error.required"));
        } else {
            for (Tier t : Tier.values()) {
                Integer v = r.earnPermille().get(t);
                if (v == null) {
                    out.add(field("earnPermille." + t.name(), "rules.error.required"));
                } else if (v < 0 || v > MAX_PERMILLE) {
                    out.add(new UserMessage("rules.error.range", "earnPermille." + t.name(), 0, MAX_PERMILLE));
                }
            }
        }
        if (r.pointsExpiry() == null) {
            out.add(field("pointsExpiry", "rules.error.required"));
        }
        days(out, "pointsLifetimeDays", r.pointsLifetimeDays(), 1);
        if (r.pointsPerYuanRedeemed() < 1 || r.pointsPerYuanRedeemed() > 10_000) {
            out.add(new UserMessage("rules.error.range", "pointsPerYuanRedeemed", 1, 10_000));
        }
        days(out, "pointsReminderDays", r.pointsReminderDays(), 0);
        days(out, "birthdayWindowDays", r.birthdayWindowDays(), 0);
        days(out, "winBackAfterDays", r.winBackAfterDays(), 1);
        days(out, "welcomeWithinDays", r.welcomeWithinDays(), 0);
        days(out, "historyDays", r.historyDays(), 1);
        if (r.offlineAllowanceFen() < 0) {
            out.add(field("offlineAllowanceFen", "rules.error.notNegative"));
        }
        if (r.topUpBonuses() == null) {
            out.add(field("topUpBonuses", "rules.error.required"));
        } else {
            for (int i = 0; i < r.topUpBonuses().size(); i++) {
                RuleSet.TopUpBonus b = r.topUpBonuses().get(i);
                String name = "topUpBonuses[" + i + "]";
                if (b == null || b.minTopUpFen() <= 0 || b.bonusFen() <= 0) {
                    out.add(field(name, "rules.error.positive"));
                } else if (b.bonusFen() > b.minTopUpFen()) {
                    out.add(field(name, "rules.error.bonusTooLarge"));
                }
            }
        }
        return List.copyOf(out);
    }

    private static void days(List<UserMessage> out, String name, int value, int min) {
        if (value < min || value > MAX_DAYS) {
            out.add(new UserMessage("rules.error.range", name, min, MAX_DAYS));
        }
    }

    private static UserMessage field(String name, String key) {
        return new UserMessage(key, name);
    }
}
