package dev.counterpoint.office.console;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A table the console shows, built once for the page and for its CSV and Excel exports, so that an export holds exactly
 * what the page showed the same viewer. Column headings are bundle keys; each cell has the text shown and the value
 * exported (a number stays a number in Excel).
 */
public final class Table {
    /**
     * A column: its heading's bundle key, whether it holds numbers (right-aligned, a number in Excel), whether it
     * holds buttons (shown on the page, left out of exports), and, in a table sorted by its columns, the link that
     * sorts by it and how the rows are sorted by it now ("ascending", "descending" or null).
     */
    public record Column(String key, boolean numeric, boolean actions, String sortHref, String sorted) {
        Column(String key, boolean numeric, boolean actions) {
            this(key, numeric, actions, null, null);
        }
    }

    /** A button that posts a small form: where, its hidden fields, its label's key, and a question to confirm (or null). */
    public record Action(String url, java.util.Map<String, String> fields, String labelKey, String confirm) {
    }

    /**
     * @param text what the page shows
     * @param value what an export holds: a String, a Long, or a BigDecimal (yuan); null for an empty cell
     * @param href a link within the console, or null
     * @param css a class for the page (a state's colour), or null
     * @param action a button in the cell, or null
     */
    public record Cell(String text, Object value, String href, String css, Action action) {
        public static Cell of(String text) {
            return new Cell(text == null ? "" : text, text, null, null, null);
        }

        public static Cell link(String text, String href) {
            return new Cell(text, text, href, null, null);
        }

        public static Cell number(long n, Texts t) {
            return new Cell(t.number(n), n, null, null, null);
        }

        public static Cell money(long fen, Texts t) {
            return new Cell(t.money(fen), BigDecimal.valueOf(fen, 2), null, null, null);
        }

        public static Cell button(Action action) {
            return new Cell("", null, null, null, action);
        }

        public static Cell empty() {
            return new Cell("", null, null, null, null);
        }

        public Cell styled(String cssClass) {
            return new Cell(text, value, href, cssClass, action);
        }
    }

    private final String id;
    private final String titleKey;
    private final List<Column> columns = new ArrayList<>();
    private final List<List<Cell>> rows = new ArrayList<>();
    private String exportQuery = "";
    private boolean exportable = true;
    private int pageRows;
    private String note;

    /** @param id the name exports use ({@code /export/ID.csv}) */
    public Table(String id, String titleKey) {
        this.id = id;
        this.titleKey = titleKey;
    }

    public Table text(String key) {
        columns.add(new Column(key, false, false));
        return this;
    }

    public Table numeric(String key) {
        columns.add(new Column(key, true, false));
        return this;
    }

    public Table actions(String key) {
        columns.add(new Column(key, false, true));
        return this;
    }

    public Table row(Cell... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("a row of " + id + " has " + cells.length + " cells for " + columns.size() + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    /**
     * Makes the headings links that sort the rows: column {@code i}'s link is {@code href} with {@code sort=NAME} and
     * {@code dir}, NAME its bundle key's last part ({@code console.col.amount}: amount). Clicking the column the rows
     * are sorted by turns the order round; another column starts descending for numbers, ascending for text.
     *
     * @param href      the page's address with its other parameters, ending in '?' or '&amp;'
     * @param sortedBy  the name the rows are sorted by
     * @param anchor    where the page opens (an element's id), or null
     */
    public Table sortLinks(String href, String sortedBy, boolean descending, String anchor) {
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.actions()) {
                continue;
            }
            String name = sortName(c.key());
            boolean current = name.equals(sortedBy);
            boolean nextDescending = current ? !descending : c.numeric();
            columns.set(i, new Column(c.key(), c.numeric(), false, href + "sort=" + name + "&dir="
                    + (nextDescending ? "desc" : "asc") + (anchor == null ? "" : "#" + anchor),
                    current ? (descending ? "descending" : "ascending") : null));
        }
        return this;
    }

    /** The name a column is sorted by: its heading key's last part. */
    public static String sortName(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** The query string (without '?') that rebuilds this table for its export, e.g. {@code store=S001}. */
    /** No export links: what the table was found by must not be written into an address (a phone number). */
    public Table withoutExport() {
        this.exportable = false;
        return this;
    }

    public boolean exportable() {
        return exportable;
    }

    public Table exportQuery(String query) {
        this.exportQuery = query == null ? "" : query;
        return this;
    }

    /** The page shows at most the first {@code n} rows (the export holds them all). */
    public Table pageRows(int n) {
        this.pageRows = n;
        return this;
    }

    /** The rows the page shows. */
    public List<List<Cell>> rowsOnPage() {
        return pageRows > 0 && rows.size() > pageRows ? rows.subList(0, pageRows) : rows;
    }

    /** Rows the export holds that the page does not show. */
    public int hiddenRows() {
        return rows.size() - rowsOnPage().size();
    }

    /** A line said under the table's title (e.g. that a search found more than it shows). */
    public Table note(String text) {
        this.note = text;
        return this;
    }

    public String note() {
        return note;
    }

    public String id() {
        return id;
    }

    public String titleKey() {
        return titleKey;
    }

    public List<Column> columns() {
        return columns;
    }

    public List<List<Cell>> rows() {
        return rows;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public String exportHref(String format) {
        return "/export/" + id + "." + format + (exportQuery.isEmpty() ? "" : "?" + exportQuery);
    }
}
