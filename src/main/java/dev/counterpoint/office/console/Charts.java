package dev.counterpoint.office.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * ECharts options for the console's charts, as JSON for a {@code data-chart} attribute (the page's script hands it to
 * ECharts; no inline script, so no formatter functions: labels use ECharts' string templates). Money goes as yuan with
 * two decimals, rates as percentages with one.
 */
final class Charts {
    /** Categories shown at once before the chart scrolls sideways (a slider under it). */
    static final int VISIBLE_CATEGORIES = 15;
    static final String UP = "#1e7b45";
    static final String DOWN = "#b3261e";

    private Charts() {}

    /** What a value axis holds. */
    enum Unit {
        YUAN("¥{value}", "¥{c}"), PERCENT("{value} %", "{c} %"), COUNT("{value}", "{c}");

        final String axis;
        final String label;

        Unit(String axis, String label) {
            this.axis = axis;
            this.label = label;
        }
    }

    /** One series of values, by category. */
    record Series(String name, String type, List<? extends Number> values) {
    }

    /** A bar or line chart over {@code categories}, with one value axis (in ¥). */
    static String of(ObjectMapper json, List<String> categories, List<Series> series) {
        return of(json, categories, series, true);
    }

    /** @param yuan whether the values are money (the axis says ¥) */
    static String of(ObjectMapper json, List<String> categories, List<Series> series, boolean yuan) {
        Bars bars = new Bars(categories).axis(yuan ? Unit.YUAN : Unit.COUNT);
        series.forEach(s -> bars.series(s.name(), s.type(), s.values(), 0, null, null));
        return bars.json(json);
    }

    /**
     * Bars (and lines) over categories, with one or two value axes, an optional reference line and, past
     * {@value #VISIBLE_CATEGORIES} categories, a slider to scroll through them.
     */
    static final class Bars {
        private final List<String> categories;
        private final List<Unit> axes = new ArrayList<>();
        private final List<ObjectNode> series = new ArrayList<>();
        private final ObjectMapper nodes = new ObjectMapper();
        private boolean labels;
        private boolean scroll;
        private int labelWidth;
        private boolean reference;
        private final java.util.Map<Integer, Number> maxima = new java.util.HashMap<>();

        Bars(List<String> categories) {
            this.categories = categories;
        }

        Bars axis(Unit unit) {
            axes.add(unit);
            return this;
        }

        /** The texts written on the last series' bars, one per category, instead of the bare values. */
        Bars itemLabels(List<String> texts) {
            ArrayNode data = (ArrayNode) series.get(series.size() - 1).get("data");
            for (int i = 0; i < data.size() && i < texts.size(); i++) {
                ObjectNode item = nodes.createObjectNode();
                item.set("value", data.get(i));
                item.putObject("label").put("formatter", texts.get(i));
                data.set(i, item);
            }
            return this;
        }

        /** The top of value axis {@code axis} (else ECharts picks it from the values). */
        Bars max(int axis, Number max) {
            maxima.put(axis, max);
            return this;
        }

        /** Past {@value #VISIBLE_CATEGORIES} categories, a slider under the chart scrolls through them. */
        Bars scroll() {
            this.scroll = true;
            return this;
        }

        /** Category names wrapped to lines of at most {@code px} pixels (long names: coupon templates). */
        Bars wrapLabels(int px) {
            this.labelWidth = px;
            return this;
        }

        /** Values written on the bars (readable for a few categories only). */
        Bars labels() {
            this.labels = true;
            return this;
        }

        /**
         * @param axis  the value axis (0 left, 1 right)
         * @param stack bars of the same stack are piled up (null: side by side)
         * @param color the series' colour (null: the theme's)
         */
        Bars series(String name, String type, List<? extends Number> values, int axis, String stack, String color) {
            ObjectNode node = nodes.createObjectNode().put("name", name).put("type", type);
            if (axis > 0) {
                node.put("yAxisIndex", axis);
            }
            if (stack != null) {
                node.put("stack", stack);
            }
            if (color != null) {
                node.putObject("itemStyle").put("color", color);
            }
            if ("line".equals(type)) {
                node.put("showSymbol", categories.size() <= 31);
            } else {
                node.put("barMaxWidth", 56);
            }
            if (labels && categories.size() <= VISIBLE_CATEGORIES) {
                node.putObject("label").put("show", true).put("position", "bar".equals(type) && stack == null ? "top" : "inside")
                        .put("formatter", axes.get(axis).label);
            }
            ArrayNode data = node.putArray("data");
            for (Number n : values) {
                if (n == null) {
                    data.add("-"); // no bar at all (a zero would still show its label)
                } else if (n instanceof BigDecimal d) {
                    data.add(d);
                } else {
                    data.add(n.longValue());
                }
            }
            series.add(node);
            return this;
        }

        /** A dashed line across the chart at {@code value} of the first series' axis, labelled {@code label}. */
        Bars reference(String name, Number value, String label) {
            if (series.isEmpty()) {
                throw new IllegalStateException("a reference line goes with a series");
            }
            ObjectNode line = series.get(0).putObject("markLine");
            line.put("symbol", "none");
            line.putObject("lineStyle").put("type", "dashed").put("color", "#5d6b7a");
            line.putObject("label").put("formatter", label).put("position", "end").put("lineHeight", 15);
            reference = true;
            ObjectNode at = line.putArray("data").addObject().put("name", name);
            if (value instanceof BigDecimal d) {
                at.put("yAxis", d);
            } else {
                at.put("yAxis", value.longValue());
            }
            return this;
        }

        String json(ObjectMapper json) {
            ObjectNode option = json.createObjectNode();
            option.putObject("tooltip").put("trigger", "axis");
            if (series.size() > 1) {
                option.putObject("legend").put("top", 0);
            }
            boolean scroll = this.scroll && categories.size() > VISIBLE_CATEGORIES;
            ObjectNode grid = option.putObject("grid");
            grid.put("left", 16).put("right", reference ? 104 : 16).put("top", series.size() > 1 ? 36 : 20).put("bottom", scroll ? 40 : 8)
                    .put("containLabel", true);
            ObjectNode x = option.putObject("xAxis").put("type", "category");
            if (categories.size() <= VISIBLE_CATEGORIES) {
                ObjectNode label = x.putObject("axisLabel").put("interval", 0); // every name, not every other one
                if (labelWidth > 0) {
                    label.put("width", labelWidth).put("overflow", "break").put("lineHeight", 14);
                }
            }
            ArrayNode data = x.putArray("data");
            categories.forEach(data::add);
            ArrayNode y = option.putArray("yAxis");
            for (int i = 0; i < Math.max(1, axes.size()); i++) {
                Unit unit = axes.isEmpty() ? Unit.COUNT : axes.get(i);
                ObjectNode axis = y.addObject().put("type", "value");
                axis.putObject("axisLabel").put("formatter", unit.axis);
                if (unit == Unit.COUNT) {
                    axis.put("minInterval", 1); // no half members
                }
                Number max = maxima.get(i);
                if (max != null) {
                    axis.put("max", max.longValue());
                }
                if (i > 0) {
                    axis.putObject("splitLine").put("show", false);
                }
            }
            if (scroll) {
                ArrayNode zoom = option.putArray("dataZoom");
                zoom.addObject().put("type", "slider").put("startValue", 0).put("endValue", VISIBLE_CATEGORIES - 1)
                        .put("height", 18).put("bottom", 8);
                zoom.addObject().put("type", "inside");
            }
            ArrayNode all = option.putArray("series");
            series.forEach(all::add);
            return write(json, option);
        }
    }

    /** A ring of parts of a whole, e.g. members by tier, each part labelled with its count and share. */
    static String ring(ObjectMapper json, List<String> names, List<Long> values, List<String> colors) {
        ObjectNode option = json.createObjectNode();
        option.putObject("tooltip").put("trigger", "item").put("formatter", "{b}: {c} ({d}%)");
        option.putObject("legend").put("top", 0);
        ObjectNode pie = option.putArray("series").addObject().put("type", "pie");
        pie.putArray("radius").add("38%").add("66%");
        pie.putArray("center").add("50%").add("56%");
        pie.putObject("label").put("formatter", "{b}\n{c} · {d}%");
        ArrayNode data = pie.putArray("data");
        for (int i = 0; i < names.size(); i++) {
            ObjectNode part = data.addObject().put("name", names.get(i)).put("value", values.get(i));
            if (colors != null) {
                part.putObject("itemStyle").put("color", colors.get(i));
            }
            if (values.get(i) == 0) { // in the legend, without a label pointing at nothing
                part.putObject("label").put("show", false);
                part.putObject("labelLine").put("show", false);
            }
        }
        return write(json, option);
    }

    private static String write(ObjectMapper json, ObjectNode option) {
        try {
            return json.writeValueAsString(option);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a chart's option is plain JSON", e);
        }
    }

    static BigDecimal yuan(long fen) {
        return BigDecimal.valueOf(fen, 2);
    }

    /** A rate (a fraction of 1) as a percentage with one decimal. */
    static BigDecimal percent(double rate) {
        return BigDecimal.valueOf(rate * 100).setScale(1, java.math.RoundingMode.HALF_UP);
    }
}
