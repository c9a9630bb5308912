package dev.counterpoint.history;

/** One line of a purchase; sku and category may be unknown (a plain amount at the till). */
public record PurchaseLine(String sku, String category, int qty, long amountFen) {
}
