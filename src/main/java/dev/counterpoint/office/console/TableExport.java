package dev.counterpoint.office.console;

import dev.counterpoint.shared.CsvCells;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * A console table as CSV (UTF-8 with a byte-order mark, so that Excel reads Chinese) or as an Excel workbook
 * (fastexcel; decision 0052). Text that a spreadsheet would take as a formula (starting with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return) gets a leading apostrophe in both, as {@code export-members} does.
 */
public final class TableExport {
    private TableExport() {}

    public static void csv(Table table, Texts t, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write('\uFEFF');
        try (CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT)) {
            List<Integer> shown = exported(table);
            csv.printRecord(shown.stream().map(i -> CsvCells.neutralise(t.text(table.columns().get(i).key()))).toList());
            for (List<Table.Cell> row : table.rows()) {
                csv.printRecord(shown.stream().map(i -> csvValue(row.get(i))).toList());
            }
        }
    }

    /** The columns an export holds: all but the buttons. */
    private static List<Integer> exported(Table table) {
        return java.util.stream.IntStream.range(0, table.columns().size()).filter(i -> !table.columns().get(i).actions())
                .boxed().toList();
    }

    private static String csvValue(Table.Cell cell) {
        Object v = cell.value();
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return v instanceof Number ? v.toString() : CsvCells.neutralise(v.toString());
    }

    public static void xlsx(Table table, Texts t, OutputStream out) throws IOException {
        Workbook wb = new Workbook(out, "Counterpoint", "1.0");
        Worksheet ws = wb.newWorksheet(sheetName(t.text(table.titleKey())));
        List<Integer> shown = exported(table);
        for (int c = 0; c < shown.size(); c++) {
            Table.Column column = table.columns().get(shown.get(c));
            ws.value(0, c, CsvCells.neutralise(t.text(column.key())));
            ws.style(0, c).bold().set();
            ws.width(c, column.numeric() ? 14 : 22);
        }
        int r = 1;
        for (List<Table.Cell> row : table.rows()) {
            for (int c = 0; c < shown.size(); c++) {
                Object v = row.get(shown.get(c)).value();
                if (v instanceof BigDecimal d) {
                    ws.value(r, c, d);
                    ws.style(r, c).format("#,##0.00").set();
                } else if (v instanceof Number n) {
                    ws.value(r, c, n);
                } else if (v != null) {
                    ws.value(r, c, CsvCells.neutralise(v.toString()));
                }
            }
            r++;
        }
        ws.freezePane(0, 1);
        wb.finish();
    }

    /** A sheet name Excel accepts: at most 31 characters, none of []:*?/\. */
    static String sheetName(String title) {
        String s = title.replaceAll("[\\[\\]:*?/\\\\]", " ").strip();
        return s.isEmpty() ? "Sheet1" : s.length() > 31 ? s.substring(0, 31) : s;
    }
}
