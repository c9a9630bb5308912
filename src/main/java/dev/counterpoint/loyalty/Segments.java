package dev.counterpoint.loyalty;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
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
 *   <li>R (days since last visit): ≤14 → 5, ≤30 → 4, ≤60 → 3, ≤120 → 2, more → 1; never visited → 0.</li>
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
        Optional<LocalDate> last = visits.stream().map(Visit::day).max(Comparator.naturalOrder());
        long spend = visits.stream().mapToLong(Visit::totalFen).sum();
        Rfm rfm = new Rfm(recency(last.map(d -> ChronoUnit.DAYS.between(d, today))), frequency(visits.size()), monetary(spend));
        Optional<ChurnWarning> churn = churn(visits, today);
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
        long average = visits.isEmpty() ? 0 : spend / visits.size();
        return new Profile(rfm, List.copyOf(tags), churn, affinity(visits), average);
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
        List<LocalDate> days = visits.stream().map(Visit::day).distinct().sorted().toList();
        if (days.size() < REGULAR_VISITS) {
            return Optional.empty();
        }
        long[] gaps = new long[days.size() - 1];
        for (int i = 1; i < days.size(); i++) {
            gaps[i - 1] = ChronoUnit.DAYS.between(days.get(i - 1), days.get(i));
        }
        java.util.Arrays.sort(gaps);
        long usual = Math.max(1, gaps[gaps.length / 2]);
        long gap = ChronoUnit.DAYS.between(days.get(days.size() - 1), today);
        return gap > 2 * usual ? Optional.of(new ChurnWarning(usual, gap)) : Optional.empty();
    }

    /** Categories bought on at least 3 visits and 40% of visits, most often first (then by name). */
    static List<String> affinity(List<Visit> visits) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Visit v : visits) {
            v.categories().stream().filter(c -> c != null && !c.isBlank()).distinct()
                    .forEach(c -> counts.merge(c, 1, Integer::sum));
        }
        return counts.entrySet().stream()
                .filter(e -> e.getValue() >= AFFINITY_MIN_VISITS && e.getValue() * 100 >= AFFINITY_MIN_SHARE * visits.size())
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(AFFINITY_MAX).map(Map.Entry::getKey).toList();
    }
}
