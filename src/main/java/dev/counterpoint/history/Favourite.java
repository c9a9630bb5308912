package dev.counterpoint.history;

/** Something the member buys again and again: a SKU (with its category) and how often. */
public record Favourite(String sku, String category, int timesBought, int qty) {
}
