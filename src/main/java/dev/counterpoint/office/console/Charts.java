package dev.counterpoint.office.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * ECharts options for the console's charts, as JSON for a {@code data-chart} attribute (the page's script hands it to
 * ECharts; no inline script). Money goes as yuan with two decimals.
 */
final class Charts {
    private Charts() {}

    /** One series of values, by category. */
    record Series(String name, String type, List<? extends Number> values) {
    }

    /** A bar or line chart over {@code categories}, with one value axis (in ¥). */
    static String of(ObjectMapper json, List<String> categories, List<Series> series) {
        return of(json, categories, series, true);
    }

    /** @param yuan whether the values are money (the axis says ¥) */
    static String of(ObjectMapper json, List<String> categories, List<Series> series, boolean yuan) {
        ObjectNode option = json.createObjectNode();
        option.putObject("tooltip").put("trigger", "axis");
        option.putObject("legend").put("top", 0);
        ObjectNode grid = option.putObject("grid");
        grid.put("left", 60).put("right", 20).put("top", 36).put("bottom", 30).put("containLabel", false);
        ArrayNode x = option.putObject("xAxis").put("type", "category").putArray("data");
        categories.forEach(x::add);
        option.putObject("yAxis").put("type", "value").putObject("axisLabel").put("formatter", yuan ? "¥{value}" : "{value}");
        ArrayNode all = option.putArray("series");
        for (Series s : series) {
            ObjectNode node = all.addObject().put("name", s.name()).put("type", s.type());
            if ("line".equals(s.type())) {
                node.put("showSymbol", categories.size() <= 31);
            } else {
                node.put("barMaxWidth", 56);
            }
            ArrayNode data = node.putArray("data");
            for (Number n : s.values()) {
                if (n instanceof BigDecimal d) {
                    data.add(d);
                } else {
                    data.add(n.longValue());
                }
            }
        }
        try {
            return json.writeValueAsString(option);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a chart's option is plain JSON", e);
        }
    }

    static BigDecimal yuan(long fen) {
        return BigDecimal.valueOf(fen, 2);
    }
}
