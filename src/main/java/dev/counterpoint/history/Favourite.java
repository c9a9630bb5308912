package dev.counterpoint.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Something the member buys again and again: a SKU (with its category) and how often. */
public record Favourite(String sku, String category, int timesBought, int qty) {

    private static final Comparator<Favourite> MOST_BOUGHT = Comparator.comparingInt(Favourite::timesBought).reversed()
            .thenComparing(Comparator.comparingInt(Favourite::qty).reversed())
            .thenComparing(Favourite::sku);

    /**
     * The SKUs found in at least two of these purchases, most purchases first, then most units, then by SKU; the
     * category is the greatest one the SKU was sold under. Worked out from purchases already read (the panel's
     * 12 months) rather than by another query over the same year.
     */
    public static List<Favourite> of(List<Purchase> purchases, int limit) {
        Tally tally = new Tally();
        for (Purchase p : purchases) {
            tally.purchase();
            for (PurchaseLine l : p.lines()) {
                tally.line(l.sku(), l.category(), l.qty());
            }
        }
        return tally.top(limit);
    }

    /**
     * {@link #of} fed one purchase and line at a time, as they are read: the panel tallies its year of purchases
     * without listing it.
     */
    public static final class Tally {
        private static final class Count {
            String category;
            int times;
            int qty;
        }

        private final Map<String, Count> bySku = new HashMap<>();
        private final List<String> inThisPurchase = new ArrayList<>(4);

        /** A purchase; the lines that follow until the next are its own. */
        public void purchase() {
            inThisPurchase.clear();
        }

        /** A line of the last purchase (one without a SKU counts for nothing). */
        public void line(String sku, String category, int qty) {
            if (sku == null) {
                return;
            }
            Count c = bySku.get(sku);
            if (c == null) {
                c = new Count();
                c.category = category;
                bySku.put(sku, c);
            } else {
                c.category = greater(c.category, category);
            }
            if (!inThisPurchase.contains(sku)) {
                inThisPurchase.add(sku);
                c.times++;
            }
            c.qty += qty;
        }

        /** The SKUs found in at least two purchases, most bought first (as {@link #of}). */
        public List<Favourite> top(int limit) {
            List<Favourite> out = new ArrayList<>();
            bySku.forEach((sku, c) -> {
                if (c.times >= 2) {
                    out.add(new Favourite(sku, c.category, c.times, c.qty));
                }
            });
            out.sort(MOST_BOUGHT);
            return out.size() > limit ? List.copyOf(out.subList(0, limit)) : List.copyOf(out);
        }
    }

    /** As SQL's MAX: nulls ignored. */
    private static String greater(String a, String b) {
        return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
    }
}
