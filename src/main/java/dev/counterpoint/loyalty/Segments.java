package dev.counterpoint.loyalty;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * RFM scores, tags, churn warning and category affinity from a member's last 12 months. Pure.
 *
 * <p>Scores use fixed, documented thresholds rather than quintiles: a single store's terminal does not see
 * the whole member base, and a member's tags should not change because someone else shopped.
 * <ul>
 *   <li>R (days since last visit, which may be before the 12 months): ≤14 → 5, ≤30 → 4, ≤60 → 3, ≤120 → 2,
 *   more → 1; never visited → 0.</li>
 *   <li>F (visits in 12 months): ≥24 → 5, ≥12 → 4, ≥6 → 3, ≥2 → 2, 1 → 1, none → 0.</li>
 *   <li>M (spend in 12 months): ≥¥5,000 → 5, ≥¥2,000 → 4, ≥¥800 → 3, ≥¥200 → 2, more than 0 → 1, none → 0.</li>
 * </ul>
 */
public final class Segments {
    private Segments() {}

    static final int NEW_DAYS = 30;
    /** A regular has at least this many visits in 12 months: enough intervals for a usual rhythm. */
    static final int REGULAR_VISITS = 3;
    /** Affinity: a category bought on at least this many visits ... */
    static final int AFFINITY_MIN_VISITS = 3;
    /** ... and on at least this share (per cent) of all visits. */
    static final int AFFINITY_MIN_SHARE = 40;
    static final int AFFINITY_MAX = 2;

    /** One visit: the day, the amount and the categories bought. */
    public record Visit(LocalDate day, long totalFen, List<String> categories) {
    }

    public record Rfm(int recency, int frequency, int monetary) {
    }

    /** The usual interval between visits and the current gap, when the gap is over twice the usual. */
    public record ChurnWarning(long usualDays, long gapDays) {
    }

    public record Profile(Rfm rfm, List<SegmentTag> tags, Optional<ChurnWarning> churn, List<String> affinity,
                          long averageTicketFen) {
    }

    /**
     * @param visits the last 12 months' visits, any order
     * @param joined when the member joined this business; empty when unknown (imported from another system)
     */
    public static Profile derive(List<Visit> visits, Optional<LocalDate> joined, LocalDate today) {
        return derive(visits, Optional.empty(), joined, today);
    }

    /**
     * As {@link #derive(List, Optional, LocalDate)}, knowing the member's last visit ever: R counts from it when the
     * year holds none, so a member last seen two years ago is dormant, not never seen.
     */
    public static Profile derive(List<Visit> visits, Optional<LocalDate> lastVisit, Optional<LocalDate> joined,
                                 LocalDate today) {
        Tally tally = new Tally();
        for (Visit v : visits) {
            tally.visit(v.day(), v.totalFen());
            v.categories().forEach(tally::category);
        }
        return tally.profile(lastVisit, joined, today);
    }

    /**
     * {@link #derive} fed one visit at a time, keeping only what the profile needs (the days, the spend, the
     * categories' visit counts): the panel tallies the year of purchases as it reads them instead of listing it.
     */
    public static final class Tally {
        private long[] days = new long[16];
        private int visits;
        private long spend;
        private final Map<String, Integer> categoryVisits = new TreeMap<>();
        private final List<String> thisVisit = new ArrayList<>(4);

        /** A visit; the categories that follow until the next are its own. */
        public void visit(LocalDate day, long totalFen) {
            if (visits == days.length) {
                days = java.util.Arrays.copyOf(days, visits * 2);
            }
            days[visits++] = day.toEpochDay();
            spend += totalFen;
            thisVisit.clear();
        }

        /** A category bought on the last visit (null or blank ones count for nothing, as in {@link #derive}). */
        public void category(String category) {
            if (category != null && !category.isBlank() && !thisVisit.contains(category)) {
                thisVisit.add(category);
                categoryVisits.merge(category, 1, Integer::sum);
            }
        }

        /** @param lastVisit the member's last visit ever, if known: R counts from it when it is later than the year's */
        public Profile profile(Optional<LocalDate> lastVisit, Optional<LocalDate> joined, LocalDate today) {
            long[] sorted = java.util.Arrays.copyOf(days, visits);
            java.util.Arrays.sort(sorted);
            Optional<LocalDate> last = visits == 0 ? Optional.empty() : Optional.of(LocalDate.ofEpochDay(sorted[visits - 1]));
            if (lastVisit.isPresent() && (last.isEmpty() || lastVisit.get().isAfter(last.get()))) {
                last = lastVisit;
            }
            return Segments.profile(visits, spend, last, churn(sorted, today), affinity(categoryVisits, visits), joined, today);
        }
    }

    private static Profile profile(int visits, long spend, Optional<LocalDate> last, Optional<ChurnWarning> churn,
                                   List<String> affinity, Optional<LocalDate> joined, LocalDate today) {
        Rfm rfm = new Rfm(recency(last.map(d -> ChronoUnit.DAYS.between(d, today))), frequency(visits), monetary(spend));
        boolean isNew = joined.isPresent() && ChronoUnit.DAYS.between(joined.get(), today) < NEW_DAYS;
        List<SegmentTag> tags = new ArrayList<>();
        if (rfm.monetary() >= 4) {
            tags.add(SegmentTag.HIGH_VALUE);
        }
        if (rfm.frequency() >= 4 && rfm.recency() >= 3) {
            tags.add(SegmentTag.LOYAL);
        }
        if (rfm.recency() >= 4 && rfm.frequency() <= 2 && !isNew) {
            tags.add(SegmentTag.PROMISING);
        }
        if (isNew) {
            tags.add(SegmentTag.NEW);
        }
        if (rfm.recency() == 1) {
            tags.add(SegmentTag.DORMANT);
        } else if (churn.isPresent()) {
            tags.add(SegmentTag.AT_RISK);
        }
        long average = visits == 0 ? 0 : spend / visits;
        return new Profile(rfm, List.copyOf(tags), churn, affinity, average);
    }

    static int recency(Optional<Long> days) {
        if (days.isEmpty()) {
            return 0;
        }
        long d = days.get();
        return d <= 14 ? 5 : d <= 30 ? 4 : d <= 60 ? 3 : d <= 120 ? 2 : 1;
    }

    static int frequency(int visits) {
        return visits >= 24 ? 5 : visits >= 12 ? 4 : visits >= 6 ? 3 : visits >= 2 ? 2 : visits;
    }

    static int monetary(long fen) {
        return fen >= 500_000 ? 5 : fen >= 200_000 ? 4 : fen >= 80_000 ? 3 : fen >= 20_000 ? 2 : fen > 0 ? 1 : 0;
    }

    /** Usual interval = median of the gaps between visit days; warns when today's gap exceeds twice it. */
    static Optional<ChurnWarning> churn(List<Visit> visits, LocalDate today) {
        long[] days = visits.stream().mapToLong(v -> v.day().toEpochDay()).sorted().toArray();
        return churn(days, today);
    }

    /** As {@link #churn(List, LocalDate)}, from the visits' days as epoch days in ascending order. */
    private static Optional<ChurnWarning> churn(long[] sortedDays, LocalDate today) {
        int distinct = 0;
        long[] days = new long[sortedDays.length];
        for (long d : sortedDays) {
            if (distinct == 0 || days[distinct - 1] != d) {
                days[distinct++] = d;
            }
        }
        if (distinct < REGULAR_VISITS) {
            return Optional.empty();
        }
        long[] gaps = new long[distinct - 1];
        for (int i = 1; i < distinct; i++) {
            gaps[i - 1] = days[i] - days[i - 1];
        }
        java.util.Arrays.sort(gaps);
        long usual = Math.max(1, gaps[gaps.length / 2]);
        long gap = today.toEpochDay() - days[distinct - 1];
        return gap > 2 * usual ? Optional.of(new ChurnWarning(usual, gap)) : Optional.empty();
    }

    /** Categories bought on at least 3 visits and 40% of visits, most often first (then by name). */
    static List<String> affinity(List<Visit> visits) {
        Tally tally = new Tally();
        for (Visit v : visits) {
            tally.visit(v.day(), v.totalFen());
            v.categories().forEach(tally::category);
        }
        return affinity(tally.categoryVisits, visits.size());
    }

    private static List<String> affinity(Map<String, Integer> counts, int visits) {
        if (counts.isEmpty()) {
            return List.of();
        }
        return counts.entrySet().stream()
                .filter(e -> e.getValue() >= AFFINITY_MIN_VISITS && e.getValue() * 100 >= AFFINITY_MIN_SHARE * visits)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(AFFINITY_MAX).map(Map.Entry::getKey).toList();
    }
}
