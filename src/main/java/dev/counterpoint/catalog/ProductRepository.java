package dev.counterpoint.catalog;

import dev.counterpoint.history.PurchaseRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/** The store's product catalogue (table {@code product}). */
public final class ProductRepository {
    /** The catalogue's names for purchase lines, read in the same statement as the lines. */
    public static final PurchaseRepository.LineNames<Product> LINE_NAMES = new PurchaseRepository.LineNames<>() {
        @Override
        public String join() {
            return "LEFT JOIN product pr ON pr.sku = l.sku";
        }

        @Override
        public String columns() {
            return "pr.sku, pr.name_zh, pr.name_en, pr.category";
        }

        @Override
        public Product read(ResultSet rs, int first) throws SQLException {
            String sku = rs.getString(first);
            return sku == null ? null
                    : new Product(sku, rs.getString(first + 1), rs.getString(first + 2), rs.getString(first + 3));
        }
    };

    /** Adds the product, or replaces what the catalogue said of its SKU (an import of a newer list). */
    public void put(Handle h, Product p, OffsetDateTime at) {
        h.createUpdate("""
                MERGE INTO product(sku, name_zh, name_en, category, updated_at) KEY (sku)
                VALUES (:sku, :zh, :en, :category, :at)""")
                .bind("sku", p.sku()).bind("zh", p.nameZh()).bind("en", p.nameEn()).bind("category", p.category())
                .bind("at", at).execute();
    }

    /** The products of these SKUs that the catalogue has, by SKU. */
    public Map<String, Product> bySku(Handle h, Collection<String> skus) {
        if (skus.isEmpty()) {
            return Map.of();
        }
        return h.createQuery("SELECT sku, name_zh, name_en, category FROM product WHERE sku IN (<skus>)")
                .bindList("skus", List.copyOf(skus))
                .map((rs, ctx) -> new Product(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list().stream().collect(Collectors.toUnmodifiableMap(Product::sku, Function.identity()));
    }

    public long count(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM product").mapTo(Long.class).one();
    }
}
