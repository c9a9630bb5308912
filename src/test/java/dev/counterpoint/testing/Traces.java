package dev.counterpoint.testing;

import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Where in a database any of some texts still appears: every column of every row of every table of the schema. */
public final class Traces {
    private Traces() {}

    /** "table.column: value" for each cell holding one of {@code needles} (binary cells compared as text and as hex). */
    public static List<String> of(Jdbi jdbi, String... needles) {
        return jdbi.withHandle(h -> {
            List<String> tables = h.createQuery("""
                    SELECT table_name FROM information_schema.tables
                    WHERE LOWER(table_schema) = 'public' AND table_type IN ('BASE TABLE', 'TABLE')
                    ORDER BY table_name""").mapTo(String.class).list();
            if (tables.isEmpty()) {
                throw new IllegalStateException("no tables found: the query does not fit this database");
            }
            List<String> hits = new ArrayList<>();
            for (String table : tables) {
                h.createQuery("SELECT * FROM \"" + table + "\"").map((rs, ctx) -> {
                    ResultSetMetaData meta = rs.getMetaData();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        if (value == null) {
                            continue;
                        }
                        String text = value instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                                + " " + HexFormat.of().formatHex(b) : String.valueOf(value);
                        for (String needle : needles) {
                            if (text.contains(needle)) {
                                hits.add(table + "." + meta.getColumnName(i) + ": " + text);
                            }
                        }
                    }
                    return table;
                }).list();
            }
            return hits;
        });
    }

    /** How many tables {@link #of} looks in, so a test can say it looked. */
    public static int tables(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT COUNT(*) FROM information_schema.tables
                WHERE LOWER(table_schema) = 'public' AND table_type IN ('BASE TABLE', 'TABLE')""").mapTo(Integer.class).one());
    }
}
