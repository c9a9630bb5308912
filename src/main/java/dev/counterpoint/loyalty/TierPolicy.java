package dev.counterpoint.loyalty;

import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Optional;

/**
 * Tier decisions from the rolling 12-month figure (spend in fen, or points earned, as the rules say).
 * Up as soon as a threshold is reached; down only at the yearly review date. Pure.
 */
public final class TierPolicy {
    private TierPolicy() {}

    /** The highest tier the figure reaches. */
    public static Tier qualifying(RuleSet rules, long figure) {
        Tier best = Tier.NORMAL;
        for (Tier t : Tier.values()) {
            if (figure >= rules.threshold(t)) {
                best = t;
            }
        }
        return best;
    }

    /** The tier after a sale: higher if the figure reaches a higher tier, never lower. */
    public static Optional<Tier> upgrade(RuleSet rules, Tier current, long figure) {
        Tier q = qualifying(rules, figure);
        return q.compareTo(current) > 0 ? Optional.of(q) : Optional.empty();
    }

    /** The latest review date on or before {@code today}. */
    public static LocalDate lastReviewDate(RuleSet rules, LocalDate today) {
        MonthDay md = rules.reviewMonthDay();
        LocalDate thisYear = md.atYear(today.getYear());
        return thisYear.isAfter(today) ? md.atYear(today.getYear() - 1) : thisYear;
    }

    /**
     * Whether the member's tier is due for review: a review date has passed since the last review (or, never
     * reviewed, since they joined).
     */
    public static boolean reviewDue(RuleSet rules, Optional<LocalDate> lastReviewed, LocalDate joined, LocalDate today) {
        LocalDate due = lastReviewDate(rules, today);
        LocalDate since = lastReviewed.orElse(joined);
        return since.isBefore(due);
    }

    /** How far the member is from the next tier. */
    public static TierProgress progress(RuleSet rules, Tier current, long figure) {
        Tier next = current.ordinal() + 1 < Tier.values().length ? Tier.values()[current.ordinal() + 1] : null;
        if (next == null) {
            return new TierProgress(current, null, rules.tierBasis(), figure, 0, 0);
        }
        long threshold = rules.threshold(next);
        return new TierProgress(current, next, rules.tierBasis(), figure, threshold, Math.max(0, threshold - figure));
    }

    /**
     * @param next     the next tier up, null at the top
     * @param figure   the rolling 12-month figure (fen or points, see {@code basis})
     * @param needed   how much more of it reaches {@code next}
     */
    public record TierProgress(Tier tier, Tier next, TierBasis basis, long figure, long threshold, long needed) {
    }
}
