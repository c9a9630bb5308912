package dev.counterpoint.history;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One line of a purchase; sku and category may be unknown (a plain amount at the till). */
public record PurchaseLine(String sku, String category, int qty, long amountFen) {

    /** The line as events and {@code lookup --json} carry it. */
    public Map<String, Object> toPayload() {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("sku", sku);
        line.put("category", category);
        line.put("qty", qty);
        line.put("amount_fen", amountFen);
        return line;
    }

    public static List<Map<String, Object>> toPayload(List<PurchaseLine> lines) {
        return lines.stream().map(PurchaseLine::toPayload).toList();
    }
}
