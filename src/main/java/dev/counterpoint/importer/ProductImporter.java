package dev.counterpoint.importer;

import dev.counterpoint.catalog.Product;
import dev.counterpoint.catalog.ProductRepository;
import dev.counterpoint.shared.UserMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports the store's product catalogue: {@code sku,name_zh,name_en[,category]}, one product per line, at least one
 * name. A SKU already in the catalogue takes the file's names (a newer list replaces an older one); a SKU twice in one
 * file is refused the second time. The catalogue is the store's own: it names purchase lines and is not synced.
 */
public final class ProductImporter {
    public static final List<String> COLUMNS = List.of("sku", "name_zh", "name_en");
    static final String CATEGORY = "category";
    static final int MAX_SKU_LENGTH = 64;           // product.sku, purchase_line.sku
    static final int MAX_NAME_LENGTH = 200;         // product.name_zh, name_en
    static final int MAX_CATEGORY_LENGTH = 64;      // product.category
    private static final Logger LOG = LoggerFactory.getLogger(ProductImporter.class);

    private final Jdbi jdbi;
    private final ProductRepository products;
    private final Clock clock;

    public ProductImporter(Jdbi jdbi, ProductRepository products, Clock clock) {
        this.jdbi = jdbi;
        this.products = products;
        this.clock = clock;
    }

    /**
     * Imports the file, reporting each refused row's problems to {@code errors}; the good rows are kept.
     *
     * @throws ImportFileException when the file cannot be read at all; then nothing was imported
     */
    public ImportResult importFile(Path file, Consumer<UserMessage> errors) throws ImportFileException {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Map<String, Long> seen = new HashMap<>();
        long[] counts = new long[2];
        try (CsvFile csv = CsvFile.open(file, COLUMNS, List.of(CATEGORY)); Handle h = jdbi.open()) {
            while (csv.hasNext()) {
                h.useTransaction(tx -> {
                    for (int n = 0; n < PurchaseImporter.BATCH_ROWS && csv.hasNext(); n++) {
                        RowCheck check = new RowCheck(csv.next());
                        Product p = check.hasAllColumns() ? product(check, seen) : null;
                        if (p != null && check.ok()) {
                            products.put(tx, p, now);
                            counts[0]++;
                        } else {
                            counts[1]++;
                            check.errors().forEach(errors);
                        }
                    }
                });
            }
        }
        LOG.info("imported products from {}: {} imported, {} rejected", file, counts[0], counts[1]);
        return new ImportResult(counts[0], counts[1]);
    }

    private static Product product(RowCheck check, Map<String, Long> seen) {
        String sku = check.plain("sku", check.required("sku", MAX_SKU_LENGTH));
        String zh = check.plain("name_zh", check.optional("name_zh", MAX_NAME_LENGTH));
        String en = check.plain("name_en", check.optional("name_en", MAX_NAME_LENGTH));
        String category = check.has(CATEGORY) ? check.plain(CATEGORY, check.optional(CATEGORY, MAX_CATEGORY_LENGTH)) : null;
        if (zh == null && en == null && check.ok()) {
            check.reject("import.row.productNameRequired");
        }
        if (sku != null) {
            Long first = seen.putIfAbsent(sku, check.line());
            if (first != null) {
                check.reject("import.row.skuRepeated", RowCheck.shown(sku), String.valueOf(first));
            }
        }
        return check.ok() ? new Product(sku, zh, en, category) : null;
    }
}
