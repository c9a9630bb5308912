package dev.counterpoint.history;

import dev.counterpoint.protocol.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One line of a purchase; sku and category may be unknown (a plain amount at the till). */
public record PurchaseLine(String sku, String category, int qty, long amountFen) {

    /** The line as {@code lookup --json} prints it. */
    public Map<String, Object> toPayload() {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("sku", sku);
        line.put("category", category);
        line.put("qty", qty);
        line.put("amount_fen", amountFen);
        return line;
    }

    /** The lines as the sync protocol carries them. */
    public static List<Event.Line> toWire(List<PurchaseLine> lines) {
        return lines.stream().map(l -> new Event.Line(l.sku, l.category, l.qty, l.amountFen)).toList();
    }
}
