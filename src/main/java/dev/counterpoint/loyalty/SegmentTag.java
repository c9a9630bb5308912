package dev.counterpoint.loyalty;

/**
 * Tags the counter shows on the member card, derived from RFM scores and visit rhythm by
 * {@link Segments#derive}; the thresholds are documented there and in docs/loyalty.md.
 */
public enum SegmentTag {
    /** 高价值: monetary score 4 or 5. */
    HIGH_VALUE,
    /** 忠诚: frequency score 4 or 5 and recency score 3 or better. */
    LOYAL,
    /** 潜力: seen recently (recency 4 or 5) but not often yet (frequency 1 or 2), and not new. */
    PROMISING,
    /** 新会员: enrolled here in the last 30 days (members brought in by import are not new to the business). */
    NEW,
    /** 沉睡: recency score 1, i.e. no visit for more than 120 days. */
    DORMANT,
    /** 流失风险: a regular whose gap since the last visit is over twice their usual interval. */
    AT_RISK;

    public String messageKey() {
        return "tag." + name();
    }
}
