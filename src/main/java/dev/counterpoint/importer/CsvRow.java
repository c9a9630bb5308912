package dev.counterpoint.importer;

import java.util.Map;
import org.apache.commons.csv.CSVRecord;

/** One data row and the physical line of the file it starts on (the header is line 1). */
record CsvRow(long line, CSVRecord record, Map<String, Integer> columns) {

    int size() {
        return record.size();
    }

    /** Whether the file has this column (an optional one may be left out). */
    boolean has(String column) {
        return columns.containsKey(column);
    }

    /** The field under the column name, without surrounding white space. */
    String get(String column) {
        return record.get(columns.get(column)).strip();
    }
}
