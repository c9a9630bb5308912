package dev.counterpoint.receipt;

import java.util.ArrayList;
import java.util.List;

/**
 * A receipt as lines, before it meets a width: the one formatting that the preview, the printer and the command line
 * share. {@link #render} fits it to a paper width in columns (a Chinese character takes two, as it prints), wrapping
 * what is too long; {@link EscPos} turns the rows into printer bytes, the preview shows them as they are.
 */
public record ReceiptLayout(List<Line> lines) {
    public static final int MIN_WIDTH = 24;
    public static final int MAX_WIDTH = 64;

    /** NORMAL; BOLD; LARGE: double width and height (half as many columns), bold. */
    public enum Style { NORMAL, BOLD, LARGE }

    public sealed interface Line permits Centered, Left, Pair, Rule {
    }

    /** Text centred on the paper. */
    public record Centered(String text, Style style) implements Line {
    }

    /** Text from the left edge; {@code indent} columns before it and before each wrapped part. */
    public record Left(String text, Style style, int indent) implements Line {
    }

    /** A label on the left and a figure on the right edge (the figure on its own line when both do not fit). */
    public record Pair(String left, String right, Style style) implements Line {
    }

    /** A dashed line across the paper. */
    public record Rule() implements Line {
    }

    /** One printed row: its text (already fitted to its columns, no trailing spaces) and style. */
    public record Row(String text, Style style) {
    }

    public ReceiptLayout {
        lines = List.copyOf(lines);
    }

    /** The rows at {@code width} columns (LARGE rows have half as many). */
    public List<Row> render(int width) {
        return render(width, false);
    }

    /** Plain text at {@code width} columns, for a terminal: LARGE rows are centred on the whole width instead. */
    public String plainText(int width) {
        StringBuilder b = new StringBuilder();
        for (Row r : render(width, true)) {
            b.append(r.text()).append('\n');
        }
        return b.toString();
    }

    private List<Row> render(int width, boolean plain) {
        if (width < MIN_WIDTH || width > MAX_WIDTH) {
            throw new IllegalArgumentException("a receipt is " + MIN_WIDTH + " to " + MAX_WIDTH + " columns wide: " + width);
        }
        List<Row> rows = new ArrayList<>();
        for (Line line : lines) {
            Style style = style(line);
            int cols = style == Style.LARGE && !plain ? width / 2 : width;
            if (line instanceof Centered c) {
                for (String part : wrap(Glyphs.printable(c.text()), cols)) {
                    rows.add(new Row(" ".repeat((cols - Glyphs.width(part)) / 2) + part, style));
                }
            } else if (line instanceof Left l) {
                int indent = Math.min(Math.max(0, l.indent()), cols / 2);
                for (String part : wrap(Glyphs.printable(l.text()), cols - indent)) {
                    rows.add(new Row(" ".repeat(indent) + part, style));
                }
            } else if (line instanceof Pair p) {
                pair(rows, Glyphs.printable(p.left()), Glyphs.printable(p.right()), cols, style);
            } else {
                rows.add(new Row("-".repeat(cols), Style.NORMAL));
            }
        }
        return rows;
    }

    private static Style style(Line line) {
        if (line instanceof Centered c) {
            return c.style();
        }
        if (line instanceof Left l) {
            return l.style();
        }
        return line instanceof Pair p ? p.style() : Style.NORMAL;
    }

    private static void pair(List<Row> rows, String left, String right, int cols, Style style) {
        int rw = Glyphs.width(right);
        if (rw > cols) {
            for (String part : wrap(left, cols)) {
                rows.add(new Row(part, style));
            }
            for (String part : wrap(right, cols)) {
                rows.add(new Row(part, style));
            }
            return;
        }
        List<String> parts = wrap(left, cols);
        String last = parts.isEmpty() ? "" : parts.get(parts.size() - 1);
        for (int i = 0; i < parts.size() - 1; i++) {
            rows.add(new Row(parts.get(i), style));
        }
        int lw = Glyphs.width(last);
        if (lw + 1 + rw <= cols || last.isEmpty() && rw <= cols) {
            rows.add(new Row(last + " ".repeat(cols - lw - rw) + right, style));
        } else {
            rows.add(new Row(last, style));
            rows.add(new Row(" ".repeat(cols - rw) + right, style));
        }
    }

    /**
     * Splits text into parts no wider than {@code cols}: at the last space that fits where there is one, else (Chinese
     * text, a long code) wherever the columns run out. Spaces at the ends of parts go.
     */
    static List<String> wrap(String text, int cols) {
        List<String> parts = new ArrayList<>();
        String rest = text.strip();
        while (!rest.isEmpty()) {
            if (Glyphs.width(rest) <= cols) {
                parts.add(rest);
                break;
            }
            int used = 0;
            int cut = 0;
            int lastSpace = -1;
            for (int i = 0; i < rest.length(); ) {
                int cp = rest.codePointAt(i);
                int w = Glyphs.width(cp);
                if (used + w > cols) {
                    break;
                }
                if (cp == ' ') {
                    lastSpace = i;
                }
                used += w;
                i += Character.charCount(cp);
                cut = i;
            }
            if (lastSpace > 0) {
                cut = lastSpace;
            }
            if (cut == 0) { // one character wider than the columns: cannot happen at 24 columns or more, but never loop
                cut = Character.charCount(rest.codePointAt(0));
            }
            parts.add(rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).strip();
        }
        return parts;
    }

    /** Builds a layout line by line. */
    public static final class Builder {
        private final List<Line> lines = new ArrayList<>();

        public Builder centered(String text, Style style) {
            lines.add(new Centered(text, style));
            return this;
        }

        public Builder left(String text) {
            lines.add(new Left(text, Style.NORMAL, 0));
            return this;
        }

        public Builder indented(String text) {
            lines.add(new Left(text, Style.NORMAL, 2));
            return this;
        }

        public Builder pair(String left, String right) {
            lines.add(new Pair(left, right, Style.NORMAL));
            return this;
        }

        public Builder pair(String left, String right, Style style) {
            lines.add(new Pair(left, right, style));
            return this;
        }

        public Builder rule() {
            lines.add(new Rule());
            return this;
        }

        public ReceiptLayout build() {
            return new ReceiptLayout(lines);
        }
    }
}
