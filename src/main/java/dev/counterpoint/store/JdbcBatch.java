package dev.counterpoint.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Handle;

/**
 * One INSERT prepared once on the handle's connection and run in JDBC batches: for an import's thousands of rows a
 * transaction, where Jdbi's named binding and statement set-up per row cost more than H2's work on the row. Values are
 * bound by position as JDBC objects; a time with an offset is stored in UTC, as the repositories' Jdbi statements store
 * it. Runs in the caller's transaction.
 */
public final class JdbcBatch implements AutoCloseable {
    private final String sql;
    private final PreparedStatement statement;
    private int pending;

    private JdbcBatch(String sql, PreparedStatement statement) {
        this.sql = sql;
        this.statement = statement;
    }

    /** {@code sql} with {@code ?} for each value, prepared on the handle's connection. */
    public static JdbcBatch prepare(Handle h, String sql) {
        try {
            return new JdbcBatch(sql, h.getConnection().prepareStatement(sql));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare " + sql, e);
        }
    }

    /** Adds one row: a value for each {@code ?}, in order (null for SQL NULL). */
    public void add(Object... values) {
        try {
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                statement.setObject(i + 1, v instanceof OffsetDateTime t ? t.withOffsetSameInstant(ZoneOffset.UTC) : v);
            }
            statement.addBatch();
            pending++;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot bind a row of " + sql, e);
        }
    }

    /** Runs the rows added since the last flush. */
    public void flush() {
        if (pending == 0) {
            return;
        }
        try {
            statement.executeBatch();
            pending = 0;
        } catch (SQLException e) {
            throw new IllegalStateException("batch failed: " + sql, e);
        }
    }

    @Override
    public void close() {
        try {
            statement.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close " + sql, e);
        }
    }
}
