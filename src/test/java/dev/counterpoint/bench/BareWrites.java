package dev.counterpoint.bench;

import dev.counterpoint.store.Ids;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The floor of the checkout benchmark: the rows the app wrote, written again bare. Every statement the app prepares on
 * the threads the filter accepts is recorded at the JDBC level (a {@link StatementBuilder} that hands Jdbi a recording
 * proxy of each {@link PreparedStatement}): its SQL and the parameters of each execution or batch row, so a batch of
 * purchase lines is as many rows here as it was there. {@link #replay} then runs the writes among them (INSERT, UPDATE,
 * MERGE, and the receipt number's counter) on one plain JDBC connection of the same database, in one
 * transaction, each statement prepared once, with new keys: the first value of each inserted row (its id) is replaced
 * by a new UUIDv7 wherever it occurs, the receipt number by one taken from the same counter, a coupon issued on the way
 * gets a code of its own, and a redeemed coupon is replaced by a copy of it made beforehand (its redemption is unique). {@link #remove} then deletes what the replay wrote, untimed,
 * so that the members' balances stay as the app left them.
 */
final class BareWrites implements AutoCloseable {
    private static final Pattern INSERT = Pattern.compile("^\\s*INSERT\\s+INTO\\s+(\\w+)\\s*\\(\\s*(\\w+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MERGE = Pattern.compile("^\\s*MERGE\\s+INTO\\s+(\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern UPDATE = Pattern.compile("^\\s*UPDATE\\s+(\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern RECEIPT_NUMBER = Pattern.compile("FINAL\\s+TABLE\\s*\\(\\s*UPDATE\\s+receipt_counter",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern REDEEM_COUPON = Pattern.compile("^\\s*UPDATE\\s+coupon\\s+SET\\s+status\\s*=\\s*'REDEEMED'",
            Pattern.CASE_INSENSITIVE);

    /** One parameter as the app set it: the setter's name, the value, and the SQL type given to setNull or setObject. */
    record Param(String setter, Object value, Integer sqlType) {
    }

    /** One statement as the app ran it: one list of parameters per execution (or per batch row). */
    record Captured(String sql, String thread, List<List<Param>> rows) {
        /** INSERT, UPDATE, MERGE or DELETE, or the receipt number taken from its counter. */
        boolean write() {
            String s = sql.stripLeading().toUpperCase(Locale.ROOT);
            return s.startsWith("INSERT") || s.startsWith("UPDATE") || s.startsWith("MERGE") || s.startsWith("DELETE")
                    || RECEIPT_NUMBER.matcher(sql).find();
        }

        /** The table written, for the list of what a checkout writes. */
        String table() {
            for (Pattern p : List.of(INSERT, MERGE, UPDATE)) {
                Matcher m = p.matcher(sql);
                if (m.find()) {
                    return m.group(1).toLowerCase(Locale.ROOT);
                }
            }
            return RECEIPT_NUMBER.matcher(sql).find() ? "receipt_counter" : sql.strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
        }

        String verb() {
            return sql.stripLeading().split("\\s+")[0].toUpperCase(Locale.ROOT);
        }
    }

    /** What a replay wrote, for {@link #remove}. */
    static final class Written {
        private final List<Runnable> undo = new ArrayList<>();
        private final List<UUID> couponCopies = new ArrayList<>();
        int statements;
        int rows;
    }

    private final Jdbi jdbi;
    private final StatementBuilderFactory before;
    private final Handle handle;
    private final Connection bare;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private final List<Captured> captured = new ArrayList<>();

    BareWrites(Jdbi jdbi, Predicate<Thread> threads) throws SQLException {
        this.jdbi = jdbi;
        this.before = jdbi.getStatementBuilderFactory();
        this.handle = jdbi.open();
        this.bare = handle.getConnection();
        bare.setAutoCommit(false);
        jdbi.setStatementBuilderFactory(conn -> new Recording(before.createStatementBuilder(conn), threads));
    }

    /** The statements recorded since the last call, in the order they ran. */
    List<Captured> take() {
        synchronized (captured) {
            List<Captured> run = List.copyOf(captured);
            captured.clear();
            return run;
        }
    }

    /** The tables a run of statements wrote, with how many rows each statement kind wrote to each ("INSERT purchase_line"). */
    static Map<String, Integer> writtenRows(List<Captured> run) {
        Map<String, Integer> rows = new LinkedHashMap<>();
        for (Captured c : run) {
            if (c.write()) {
                rows.merge(c.verb() + " " + c.table(), c.rows().size(), Integer::sum);
            }
        }
        return rows;
    }

    /**
     * Untimed, before {@link #replay}: a copy of each coupon the run redeemed, still issued, for the replay to redeem
     * instead (a coupon is redeemed once, enforced by the database). Returns the substitutions to start the replay with.
     */
    Map<Object, Object> prepare(List<Captured> run, Written written) throws SQLException {
        Map<Object, Object> substitutes = new HashMap<>();
        for (Captured c : run) {
            if (REDEEM_COUPON.matcher(c.sql()).find()) {
                for (List<Param> row : c.rows()) {
                    UUID coupon = (UUID) row.get(0).value();
                    UUID copy = Ids.next();
                    try (PreparedStatement ps = bare.prepareStatement("""
                            INSERT INTO coupon(id, code, member_id, template_id, valid_from, valid_until, status, issued_at, issued_by)
                            SELECT ?, ?, member_id, template_id, valid_from, valid_until, 'ISSUED', issued_at, issued_by
                            FROM coupon WHERE id = ?""")) {
                        ps.setObject(1, copy);
                        ps.setString(2, "BENCH" + copy.toString().replace("-", "").substring(12).toUpperCase(Locale.ROOT));
                        ps.setObject(3, coupon);
                        if (ps.executeUpdate() != 1) {
                            throw new IllegalStateException("the redeemed coupon " + coupon + " is not there to copy");
                        }
                    }
                    substitutes.put(coupon, copy);
                    written.couponCopies.add(copy);
                }
            }
        }
        bare.commit();
        return substitutes;
    }

    /**
     * Writes the run's rows again in one transaction, committed; returns the nanoseconds from the first statement to
     * the end of the commit. {@code receiptNo} is the app's receipt number: the replay's own, taken from the counter,
     * replaces it.
     */
    long replay(List<Captured> run, Map<Object, Object> substitutes, String receiptNo, Written written) throws SQLException {
        long t0 = System.nanoTime();
        for (Captured c : run) {
            if (!c.write()) {
                continue;
            }
            PreparedStatement ps = prepared.get(c.sql());
            if (ps == null) {
                ps = bare.prepareStatement(c.sql());
                prepared.put(c.sql(), ps);
            }
            boolean number = RECEIPT_NUMBER.matcher(c.sql()).find();
            boolean insert = INSERT.matcher(c.sql()).find();
            boolean issuedCoupon = insert && c.table().equals("coupon");
            for (List<Param> row : c.rows()) {
                for (int i = 0; i < row.size(); i++) {
                    Param p = row.get(i);
                    Object v = p.value();
                    if (i == 0 && insert && v instanceof UUID id && !substitutes.containsKey(id)) {
                        substitutes.put(id, Ids.next());
                    }
                    if (i == 1 && issuedCoupon && v instanceof String code && !substitutes.containsKey(code)) {
                        // a coupon issued on the way (the member's upkeep): its code is unique as well
                        substitutes.put(code, "BENCH" + Ids.next().toString().replace("-", "").substring(12)
                                .toUpperCase(Locale.ROOT));
                    }
                    set(ps, i + 1, p, substitutes.getOrDefault(v, v));
                }
                if (c.rows().size() > 1) {
                    ps.addBatch();
                }
            }
            if (number) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    substitutes.put(receiptNo, receiptNo.replaceFirst("\\d+$", String.format(Locale.ROOT, "%06d", rs.getLong(1))));
                }
            } else if (c.rows().size() > 1) {
                ps.executeBatch();
            } else {
                ps.executeUpdate();
            }
            written.statements++;
            written.rows += c.rows().size();
        }
        bare.commit();
        long nanos = System.nanoTime() - t0;
        remember(run, substitutes, written);
        return nanos;
    }

    /** What {@link #remove} deletes: each inserted row by its first column, newest first; the coupon copies last. */
    private void remember(List<Captured> run, Map<Object, Object> substitutes, Written written) {
        for (Captured c : run) {
            Matcher insert = INSERT.matcher(c.sql());
            Matcher merge = MERGE.matcher(c.sql());
            for (List<Param> row : c.rows()) {
                Object first = row.isEmpty() ? null : substitutes.getOrDefault(row.get(0).value(), row.get(0).value());
                if (insert.find(0)) {
                    String sql = "DELETE FROM " + insert.group(1) + " WHERE " + insert.group(2) + " = ?";
                    written.undo.add(0, () -> delete(sql, first));
                } else if (merge.find(0) && merge.group(1).equalsIgnoreCase("receipt_copy")) {
                    Object number = substitutes.getOrDefault(row.get(1).value(), row.get(1).value());
                    written.undo.add(0, () -> delete("DELETE FROM receipt_copy WHERE kind = ? AND number = ?", first, number));
                } else if (c.write() && !REDEEM_COUPON.matcher(c.sql()).find()
                        && !RECEIPT_NUMBER.matcher(c.sql()).find() && !c.sql().stripLeading().toUpperCase(Locale.ROOT)
                                .startsWith("UPDATE MEMBER SET TIER")) {
                    throw new IllegalStateException("the floor does not know how to undo: " + c.sql());
                }
            }
        }
    }

    /** Deletes what a replay wrote (untimed), in one transaction. */
    void remove(Written written) throws SQLException {
        for (Runnable r : written.undo) {
            r.run();
        }
        for (UUID copy : written.couponCopies) {
            delete("DELETE FROM coupon WHERE id = ?", copy);
        }
        bare.commit();
    }

    private void delete(String sql, Object... keys) {
        try (PreparedStatement ps = bare.prepareStatement(sql)) {
            for (int i = 0; i < keys.length; i++) {
                ps.setObject(i + 1, keys[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot undo the floor's write: " + sql, e);
        }
    }

    /** The app's setter with the (substituted) value; the common ones called directly, not by reflection. */
    private static void set(PreparedStatement ps, int index, Param p, Object v) throws SQLException {
        switch (p.setter()) {
            case "setNull" -> ps.setNull(index, p.sqlType());
            case "setString" -> ps.setString(index, (String) v);
            case "setLong" -> ps.setLong(index, (Long) v);
            case "setInt" -> ps.setInt(index, (Integer) v);
            case "setBoolean" -> ps.setBoolean(index, (Boolean) v);
            case "setObject" -> {
                if (p.sqlType() == null) {
                    ps.setObject(index, v);
                } else {
                    ps.setObject(index, v, p.sqlType());
                }
            }
            default -> throw new IllegalStateException("the floor does not replay " + p.setter());
        }
    }

    @Override
    public void close() throws SQLException {
        jdbi.setStatementBuilderFactory(before);
        for (PreparedStatement ps : prepared.values()) {
            ps.close();
        }
        bare.rollback();
        bare.setAutoCommit(true);
        handle.close();
    }

    /** Jdbi's statements, recorded when made on an accepted thread. */
    private final class Recording implements StatementBuilder {
        private final StatementBuilder delegate;
        private final Predicate<Thread> threads;

        Recording(StatementBuilder delegate, Predicate<Thread> threads) {
            this.delegate = delegate;
            this.threads = threads;
        }

        @Override
        public java.sql.Statement create(Connection conn, StatementContext ctx) throws SQLException {
            return delegate.create(conn, ctx);
        }

        @Override
        public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
            PreparedStatement real = delegate.create(conn, sql, ctx);
            if (!threads.test(Thread.currentThread())) {
                return real;
            }
            return (PreparedStatement) Proxy.newProxyInstance(BareWrites.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, new Recorder(real, sql));
        }

        @Override
        public java.sql.CallableStatement createCall(Connection conn, String sql, StatementContext ctx) throws SQLException {
            return delegate.createCall(conn, sql, ctx);
        }

        @Override
        public void close(Connection conn, String sql, java.sql.Statement stmt) throws SQLException {
            delegate.close(conn, sql, stmt);
        }

        @Override
        public void close(Connection conn) {
            delegate.close(conn);
        }
    }

    /** Forwards every call to the real statement, noting the parameters set and each execution. */
    private final class Recorder implements InvocationHandler {
        private final PreparedStatement real;
        private final String sql;
        private final String thread = Thread.currentThread().getName();
        private final List<Param> current = new ArrayList<>();
        private final List<List<Param>> rows = new ArrayList<>();

        Recorder(PreparedStatement real, String sql) {
            this.real = real;
            this.sql = sql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index) {
                while (current.size() < index) {
                    current.add(null);
                }
                Integer type = name.equals("setNull") ? (Integer) args[1]
                        : args.length > 2 && args[2] instanceof Integer t ? t : null;
                current.set(index - 1, new Param(name, name.equals("setNull") ? null : args[1], type));
            } else if (name.equals("clearParameters")) {
                current.clear();
            } else if (name.equals("addBatch") && (args == null || args.length == 0)) {
                rows.add(new ArrayList<>(current));
            }
            Object result;
            try {
                result = method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if ((args == null || args.length == 0) && (name.equals("execute") || name.equals("executeUpdate")
                    || name.equals("executeQuery") || name.equals("executeLargeUpdate") || name.equals("executeBatch"))) {
                if (!name.equals("executeBatch")) {
                    rows.add(new ArrayList<>(current));
                }
                Captured c = new Captured(sql, thread, List.copyOf(rows));
                rows.clear();
                synchronized (captured) {
                    captured.add(c);
                }
            }
            return result;
        }
    }
}
