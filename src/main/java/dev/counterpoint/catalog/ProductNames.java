package dev.counterpoint.catalog;

import dev.counterpoint.history.Favourite;
import dev.counterpoint.history.PurchaseLine;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What purchase lines and favourites are called on screen, on receipts and in {@code lookup}: the product's name from
 * the store's catalogue in the reader's language, else the SKU, else the category.
 */
public record ProductNames(Map<String, Product> bySku) {
    public static final ProductNames NONE = new ProductNames(Map.of());

    public ProductNames {
        bySku = Map.copyOf(bySku);
    }

    /** The line's name; empty for a plain amount (no SKU, no category), which the caller words itself. */
    public Optional<String> label(PurchaseLine line, Locale locale) {
        if (line.sku() != null) {
            return Optional.of(name(line.sku(), locale));
        }
        return Optional.ofNullable(line.category());
    }

    public String label(Favourite f, Locale locale) {
        return name(f.sku(), locale);
    }

    /** Whether the catalogue names this SKU (then the name says enough and a category would repeat it). */
    public boolean knows(String sku) {
        return sku != null && bySku.containsKey(sku);
    }

    /** The product's name in the reader's language, or the SKU when the catalogue does not have it. */
    public String name(String sku, Locale locale) {
        Product p = bySku.get(sku);
        return p == null ? sku : p.name(locale);
    }
}
