package dev.counterpoint.history;

import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        Map<String, Favourite> bySku = new LinkedHashMap<>();
        for (Purchase p : purchases) {
            Set<String> inThisPurchase = new HashSet<>();
            for (PurchaseLine l : p.lines()) {
                if (l.sku() == null) {
                    continue;
                }
                int times = inThisPurchase.add(l.sku()) ? 1 : 0;
                bySku.merge(l.sku(), new Favourite(l.sku(), l.category(), times, l.qty()), (a, b) -> new Favourite(a.sku(),
                        greater(a.category(), b.category()), a.timesBought() + b.timesBought(), a.qty() + b.qty()));
            }
        }
        return bySku.values().stream().filter(f -> f.timesBought() >= 2).sorted(MOST_BOUGHT).limit(limit).toList();
    }

    /** As SQL's MAX: nulls ignored. */
    private static String greater(String a, String b) {
        return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
    }
}
