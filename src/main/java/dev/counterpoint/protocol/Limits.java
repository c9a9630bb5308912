package dev.counterpoint.protocol;

/** Bounds every store and head office apply to what crosses the wire, whatever the rules in force. */
public final class Limits {
    /** One top-up at the counter: ¥100,000. */
    public static final long MAX_TOP_UP_FEN = 10_000_000;
    /** One purchase, sold or imported: ¥100 million. */
    public static final long MAX_PURCHASE_FEN = 10_000_000_000L;
    /** Points per ¥1 ×1000 that any rule set may give a tier (100 points per ¥1). */
    public static final int MAX_EARN_PERMILLE = 100_000;
    /** Lines on one purchase: a legacy import may hold a long one. */
    public static final int MAX_LINES = 10_000;
    /**
     * A manager's balance adjustment by hand, either way: at most what the largest top-up is worth, ¥100,000 of stored
     * value or the points ¥100,000 earns at the highest rate any rule set may give (10 million).
     */
    public static final long MAX_ADJUST_FEN = MAX_TOP_UP_FEN;
    public static final long MAX_ADJUST_POINTS = MAX_TOP_UP_FEN * MAX_EARN_PERMILLE / 100_000;
    /**
     * An opening balance brought from a legacy member list, by a till's import or head office's: no more than a
     * manager may adjust by hand, ¥100,000 of stored value or 10 million points. A balance a till could claim for its
     * own member without any purchase behind it stays within what one store may move; a larger legacy balance is
     * refused by the import, row by row, and brought over by adjustments a manager signs.
     */
    public static final long MAX_OPENING_FEN = MAX_ADJUST_FEN;
    public static final long MAX_OPENING_POINTS = MAX_ADJUST_POINTS;

    private Limits() {}

    /** The most points a purchase of this amount can earn under any valid rule set. */
    public static long maxPointsFor(long amountFen) {
        return Math.multiplyExact(amountFen, MAX_EARN_PERMILLE) / 100_000;
    }
}
