package dev.counterpoint.shared;

/**
 * Cells of a CSV file the project writes for people to open in a spreadsheet. A cell that starts with {@code =},
 * {@code +}, {@code -}, {@code @}, a tab or a carriage return would be read there as a formula (a name such as
 * {@code =HYPERLINK(…)} typed at a counter or brought by an import): it gets a leading apostrophe, which spreadsheets
 * take as "text" and do not show.
 */
public final class CsvCells {
    private CsvCells() {}

    public static String neutralise(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        return switch (cell.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + cell;
            default -> cell;
        };
    }
}
