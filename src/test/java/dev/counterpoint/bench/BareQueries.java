package dev.counterpoint.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The floor of the scan benchmarks: the SELECTs the app ran, captured from Jdbi (an {@link SqlLogger}) with their
 * arguments, and replayed bare over JDBC on one connection of the same database — each statement prepared once,
 * every column of every row read. Only statements run on threads the filter accepts are captured (the window's
 * database thread, not the sync scheduler's).
 */
final class BareQueries implements AutoCloseable {

    /** One statement as Jdbi ran it: positional SQL and its arguments in order. */
    record Captured(String sql, List<Argument> args, StatementContext ctx) {
    }

    private final Jdbi jdbi;
    private final Handle handle;
    private final Connection bare;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private final List<Captured> captured = new ArrayList<>();

    BareQueries(Jdbi jdbi, Predicate<Thread> threads) {
        this.jdbi = jdbi;
        this.handle = jdbi.open();
        this.bare = handle.getConnection();
        jdbi.setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext c) {
                String sql = c.getParsedSql().getSql();
                if (!threads.test(Thread.currentThread()) || !sql.stripLeading().regionMatches(true, 0, "SELECT", 0, 6)) {
                    return;
                }
                List<Argument> args = new ArrayList<>();
                var params = c.getParsedSql().getParameters();
                if (params.isPositional()) {
                    for (int i = 0; i < params.getParameterCount(); i++) {
                        args.add(c.getBinding().findForPosition(i).orElseThrow());
                    }
                } else {
                    for (String name : params.getParameterNames()) {
                        args.add(c.getBinding().findForName(name, c).orElseThrow());
                    }
                }
                synchronized (captured) {
                    captured.add(new Captured(sql, args, c));
                }
            }
        });
    }

    /** The statements captured since the last call, oldest first. */
    List<Captured> take() {
        synchronized (captured) {
            List<Captured> run = List.copyOf(captured);
            captured.clear();
            return run;
        }
    }

    /** Runs the statements bare, reading every row; returns the nanoseconds it took. */
    long replay(List<Captured> run) throws SQLException {
        long t0 = System.nanoTime();
        for (Captured c : run) {
            PreparedStatement ps = prepared.get(c.sql());
            if (ps == null) {
                ps = bare.prepareStatement(c.sql());
                prepared.put(c.sql(), ps);
            }
            for (int a = 0; a < c.args().size(); a++) {
                c.args().get(a).apply(a + 1, ps, c.ctx());
            }
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int col = 1; col <= columns; col++) {
                        rs.getObject(col);
                    }
                }
            }
        }
        return System.nanoTime() - t0;
    }

    /** Stops capturing and closes the bare connection. */
    @Override
    public void close() throws SQLException {
        jdbi.setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
        for (PreparedStatement ps : prepared.values()) {
            ps.close();
        }
        handle.close();
    }
}
