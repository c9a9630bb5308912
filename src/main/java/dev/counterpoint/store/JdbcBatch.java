package dev.counterpoint.store;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * One INSERT prepared once and run in batches: for an import's thousands of rows a transaction, and one row for the
 * counter's own writes, through the same statement. Values are bound by position; a time with an offset is stored in
 * UTC, as the repositories' other statements store it. Runs in the caller's transaction, as a Jdbi batch, so its
 * statements are seen where every other statement is (the SQL logger, the benchmarks' floors).
 */
public final class JdbcBatch implements AutoCloseable {
    private final Handle handle;
    private final String sql;
    private PreparedBatch batch;

    private JdbcBatch(Handle handle, String sql) {
        this.handle = handle;
        this.sql = sql;
        this.batch = handle.prepareBatch(sql);
    }

    /** {@code sql} with {@code ?} for each value. */
    public static JdbcBatch prepare(Handle h, String sql) {
        return new JdbcBatch(h, sql);
    }

    /** Adds one row: a value for each {@code ?}, in order (null for SQL NULL). */
    public void add(Object... values) {
        Object[] bound = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            bound[i] = v instanceof OffsetDateTime t ? t.withOffsetSameInstant(ZoneOffset.UTC) : v;
        }
        batch.add(bound);
    }

    /** Runs the rows added since the last flush. */
    public void flush() {
        if (batch.size() == 0) {
            return;
        }
        try {
            batch.execute();
        } catch (RuntimeException e) {
            throw new IllegalStateException("batch failed: " + sql, e);
        } finally {
            batch.close();
            batch = handle.prepareBatch(sql);
        }
    }

    @Override
    public void close() {
        batch.close();
    }

    /**
     * A repository's rows of one table, added through the typed method of its subclass and written by one
     * {@link JdbcBatch} of the table's INSERT.
     */
    public abstract static class Rows implements AutoCloseable {
        protected final JdbcBatch batch;

        protected Rows(Handle h, String sql) {
            batch = prepare(h, sql);
        }

        /** Writes the rows added since the last flush, in the handle's transaction. */
        public void flush() {
            batch.flush();
        }

        @Override
        public void close() {
            batch.close();
        }
    }
}
