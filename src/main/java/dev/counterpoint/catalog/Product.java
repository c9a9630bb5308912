package dev.counterpoint.catalog;

import java.util.Locale;

/** A product of the store's catalogue: its SKU and its names; at least one name is given. */
public record Product(String sku, String nameZh, String nameEn, String category) {
    public Product {
        if (nameZh == null && nameEn == null) {
            throw new IllegalArgumentException("a product needs a name in Chinese or English: " + sku);
        }
    }

    /** The name in the reader's language, else the other one. */
    public String name(Locale locale) {
        boolean chinese = "zh".equals(locale.getLanguage());
        String wanted = chinese ? nameZh : nameEn;
        return wanted != null ? wanted : chinese ? nameEn : nameZh;
    }
}
