package dev.counterpoint.office.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Adds sums to roll-up rows. On H2, where head office's writers run one at a time, each row is updated in place and
 * the rows that did not exist yet are inserted, in two JDBC batches per table. On PostgreSQL pushes write side by side
 * and may add to the same row (a chain-wide day): one {@code INSERT … ON CONFLICT DO UPDATE} per row, which adds to
 * the row whoever made it, sent in key order so that two pushes lock shared rows in the same order.
 */
final class Upserts {
    private Upserts() {
    }

    static void add(Handle h, String table, List<String> keys, List<String> columns, RollupBatch.Sums sums) {
        List<Map.Entry<List<Object>, long[]>> rows = new ArrayList<>();
        for (Map.Entry<List<Object>, long[]> e : sums.rows.entrySet()) {
            for (long v : e.getValue()) {
                if (v != 0) {
                    rows.add(e);
                    break;
                }
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        if (postgres(h)) {
            addOnConflict(h, table, keys, columns, rows);
            return;
        }
        String update = "UPDATE " + table + " SET "
                + columns.stream().map(c -> c + " = " + c + " + ?").collect(Collectors.joining(", "))
                + " WHERE " + keys.stream().map(k -> k + " = ?").collect(Collectors.joining(" AND "));
        String insert = "INSERT INTO " + table + "(" + String.join(", ", keys) + ", " + String.join(", ", columns)
                + ") VALUES (" + "?, ".repeat(keys.size() + columns.size() - 1) + "?)";
        Connection c = h.getConnection();
        try {
            List<Map.Entry<List<Object>, long[]>> missing = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(update)) {
                for (Map.Entry<List<Object>, long[]> row : rows) {
                    int p = 1;
                    for (long v : row.getValue()) {
                        ps.setLong(p++, v);
                    }
                    for (Object k : row.getKey()) {
                        ps.setObject(p++, k);
                    }
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) {
                        missing.add(rows.get(i));
                    }
                }
            }
            if (!missing.isEmpty()) {
                insert(c, insert, missing);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the roll-up " + table + ": " + e.getMessage(), e);
        }
    }

    private static boolean postgres(Handle h) {
        try {
            return h.getConnection().getMetaData().getURL().startsWith("jdbc:postgresql:");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell the office database apart", e);
        }
    }

    private static void addOnConflict(Handle h, String table, List<String> keys, List<String> columns,
                                      List<Map.Entry<List<Object>, long[]>> rows) {
        List<Map.Entry<List<Object>, long[]>> ordered = new ArrayList<>(rows);
        ordered.sort(java.util.Comparator.comparing(e -> e.getKey().toString()));
        String sql = "INSERT INTO " + table + " AS t(" + String.join(", ", keys) + ", " + String.join(", ", columns)
                + ") VALUES (" + "?, ".repeat(keys.size() + columns.size() - 1) + "?) ON CONFLICT ("
                + String.join(", ", keys) + ") DO UPDATE SET "
                + columns.stream().map(c -> c + " = t." + c + " + EXCLUDED." + c).collect(Collectors.joining(", "));
        try {
            insert(h.getConnection(), sql, ordered);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the roll-up " + table + ": " + e.getMessage(), e);
        }
    }

    /** One batch of an insert whose parameters are a row's keys, then its sums. */
    private static void insert(Connection c, String sql, List<Map.Entry<List<Object>, long[]>> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Map.Entry<List<Object>, long[]> row : rows) {
                int p = 1;
                for (Object k : row.getKey()) {
                    ps.setObject(p++, k);
                }
                for (long v : row.getValue()) {
                    ps.setLong(p++, v);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
