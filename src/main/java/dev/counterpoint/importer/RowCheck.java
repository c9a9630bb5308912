package dev.counterpoint.importer;

import dev.counterpoint.protocol.Text;
import dev.counterpoint.shared.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and checks the fields of one row, collecting every problem (so one pass over the file
 * shows all that needs fixing). Each message names the line, the column and the reason.
 */
final class RowCheck {
    static final int SHOWN_LENGTH = 40;
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    // Longer digit strings than this cannot be a long; they are simply "too large".
    private static final int MAX_DIGITS = 18;

    private final CsvRow row;
    private final List<UserMessage> errors = new ArrayList<>();

    RowCheck(CsvRow row) {
        this.row = row;
    }

    long line() {
        return row.line();
    }

    /** False (with an error) when the row does not have one field per header column. */
    boolean hasAllColumns() {
        if (row.size() != row.columns().size()) {
            reject("import.row.columnCount", String.valueOf(row.columns().size()), String.valueOf(row.size()));
            return false;
        }
        return true;
    }

    /** Whether the file has this (optional) column. */
    boolean has(String column) {
        return row.has(column);
    }

    /** The field, or null (with an error) when it is empty or longer than {@code maxLength}. */
    String required(String column, int maxLength) {
        String value = row.get(column);
        if (value.isEmpty()) {
            reject("import.row.required", column);
            return null;
        }
        return withinLength(column, value, maxLength);
    }

    /** The field, or null when it is empty or (with an error) longer than {@code maxLength}. */
    String optional(String column, int maxLength) {
        String value = row.get(column);
        return value.isEmpty() ? null : withinLength(column, value, maxLength);
    }

    /** A whole number from 0 to {@code max}; an empty field is 0; null (with an error) otherwise. */
    Long nonNegativeOrZero(String column, long max) {
        String value = row.get(column);
        return value.isEmpty() ? Long.valueOf(0) : whole(column, value, 0, max, "import.row.notNonNegative");
    }

    /** A required whole number from {@code min} to {@code max} (min is 0 or 1); null (with an error) otherwise. */
    Long wholeNumber(String column, long min, long max) {
        String value = row.get(column);
        if (value.isEmpty()) {
            reject("import.row.required", column);
            return null;
        }
        return whole(column, value, min, max, min > 0 ? "import.row.notPositive" : "import.row.notNonNegative");
    }

    /**
     * Free text (a name, a code, an item) as it may enter: without line breaks or other control characters, and without
     * bidirectional text controls. The value, or null (with an error) when it holds one. Null passes.
     */
    String plain(String column, String value) {
        if (value == null) {
            return null;
        }
        Optional<Text.Problem> problem = Text.problem(value, Integer.MAX_VALUE);
        if (problem.isEmpty()) {
            return value;
        }
        reject(problem.get() == Text.Problem.BIDI ? "import.row.bidiControls" : "import.row.controlCharacters", column);
        return null;
    }

    void reject(String key, Object... args) {
        errors.add(message(key, args));
    }

    /**
     * A problem found after the row's other checks (by a look-up in the database) but told in its column's place:
     * at {@code position}, a count of {@link #errorCount} taken when that column was checked.
     */
    void rejectAt(int position, String key, Object... args) {
        errors.add(position, message(key, args));
    }

    int errorCount() {
        return errors.size();
    }

    private UserMessage message(String key, Object... args) {
        Object[] withLine = new Object[args.length + 1];
        withLine[0] = String.valueOf(row.line());
        System.arraycopy(args, 0, withLine, 1, args.length);
        return new UserMessage(key, withLine);
    }

    boolean ok() {
        return errors.isEmpty();
    }

    List<UserMessage> errors() {
        return errors;
    }

    /** A field as quoted back in a message: on one line and cut short if long. */
    static String shown(String value) {
        return shown(value, SHOWN_LENGTH);
    }

    static String shown(String value, int maxLength) {
        String flat = value.replaceAll("[\\p{Cntrl}\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]", " ");
        return flat.length() <= maxLength ? flat : flat.substring(0, maxLength) + "…";
    }

    private String withinLength(String column, String value, int maxLength) {
        if (value.length() > maxLength) {
            reject("import.row.tooLong", column, String.valueOf(maxLength));
            return null;
        }
        return value;
    }

    private Long whole(String column, String value, long min, long max, String notANumberKey) {
        if (!DIGITS.matcher(value).matches()) {
            reject(notANumberKey, column, shown(value));
            return null;
        }
        if (value.length() > MAX_DIGITS || Long.parseLong(value) > max) {
            reject("import.row.tooLarge", column, shown(value), String.valueOf(max));
            return null;
        }
        long n = Long.parseLong(value);
        if (n < min) {
            reject(notANumberKey, column, shown(value));
            return null;
        }
        return n;
    }
}
