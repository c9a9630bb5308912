package dev.counterpoint.loyalty;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tags the counter shows on the member card, derived from history. Thresholds are documented
 * here rather than tuned per store; the RFM engine replaces them with store-relative scores.
 */
public enum SegmentTag {
    /** Enrolled here in the last 30 days (members brought in by import are not new to the business). */
    NEW,
    /** Spent ¥3,000 or more in the last 12 months. */
    HIGH_VALUE,
    /** Six or more visits in the last 90 days. */
    REGULAR,
    /** Bought before, but not in the last 90 days. */
    DORMANT;

    static final int NEW_DAYS = 30;
    static final long HIGH_VALUE_FEN = 300_000;
    static final int REGULAR_VISITS_90D = 6;
    static final int DORMANT_DAYS = 90;

    /** @param joined when the member joined this business; empty when unknown (imported from another system) */
    public static List<SegmentTag> derive(Optional<LocalDate> joined, Optional<LocalDate> lastPurchase, int visits90d,
                                          long spend12mFen, LocalDate today) {
        List<SegmentTag> tags = new ArrayList<>();
        if (joined.isPresent() && ChronoUnit.DAYS.between(joined.get(), today) < NEW_DAYS) {
            tags.add(NEW);
        }
        if (spend12mFen >= HIGH_VALUE_FEN) {
            tags.add(HIGH_VALUE);
        }
        if (visits90d >= REGULAR_VISITS_90D) {
            tags.add(REGULAR);
        }
        if (lastPurchase.isPresent() && ChronoUnit.DAYS.between(lastPurchase.get(), today) >= DORMANT_DAYS) {
            tags.add(DORMANT);
        }
        return List.copyOf(tags);
    }

    public String messageKey() {
        return "tag." + name();
    }
}
