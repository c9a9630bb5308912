package dev.counterpoint.office.report;

import dev.counterpoint.shared.Futures;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Distinct members over periods ending on one day, per scope (a store, or '*' for the chain), from report_visit and
 * report_visit_day, without grouping by member. A member is counted at their first visit in the period (the visit
 * before it is earlier than the period); one who bought only once in it, at the visit that is their only one there.
 * Each count is found one of two ways, the same figure either way (docs/kpis.md, "Distinct members"):
 * <ul>
 *   <li>direct: the period's visit rows are read;</li>
 *   <li>cumulative: from sums of report_visit_day up to the period, less the visit gaps that span the whole period,
 *   read by gap length, so that a year reads only the members away for more than a year.</li>
 * </ul>
 */
final class MemberCounts {
    /** How the counts are found; AUTO takes the one that reads fewer rows. */
    enum Method { AUTO, DIRECT, CUMULATIVE }

    /** Members who bought in the period, and of them those with one purchase there (-1 when not asked). */
    record Counts(long members, long single) {
        static final Counts NONE = new Counts(0, 0);
    }

    /** One period ending on the report's last day. */
    record Window(LocalDate from, boolean single) {
    }

    private MemberCounts() {
    }

    /**
     * The counts of each window ending on {@code to}, per scope. {@code scope} empty: every scope. Also returns, under
     * the window's index, the members whose first visit in the scope fell in the window (first-time buyers).
     */
    static List<Map<String, Counts>> count(Handle h, LocalDate to, List<Window> windows, Optional<String> scope,
                                           Method method, Map<String, Long> firstTimeInFirstWindow) {
        return count(h, to, windows, scope, method, firstTimeInFirstWindow, null);
    }

    /**
     * As above, and into {@code active} (when not null) what {@link #active} gives for {@code to}, from the same read
     * of report_visit_day.
     */
    static List<Map<String, Counts>> count(Handle h, LocalDate to, List<Window> windows, Optional<String> scope,
                                           Method method, Map<String, Long> firstTimeInFirstWindow,
                                           Map<String, long[]> active) {
        return count(h, Aside.on(h), to, windows, scope, method, firstTimeInFirstWindow, active);
    }

    /** Runs a read on a connection of its own while the caller goes on, or on the caller's own connection. */
    interface Aside {
        <T> CompletableFuture<T> read(Function<Handle, T> read);

        /** Reads at once, on {@code h}. */
        static Aside on(Handle h) {
            return new Aside() {
                @Override
                public <T> CompletableFuture<T> read(Function<Handle, T> read) {
                    return CompletableFuture.completedFuture(read.apply(h));
                }
            };
        }
    }

    /**
     * As above, the spanning rows of the visit gaps and of the one-purchase stretches read at the same time, the
     * latter through {@code aside}.
     */
    static List<Map<String, Counts>> count(Handle h, Aside aside, LocalDate to, List<Window> windows,
                                           Optional<String> scope, Method method,
                                           Map<String, Long> firstTimeInFirstWindow, Map<String, long[]> active) {
        Map<String, long[]> sums = sums(h, to, windows, scope, active);
        List<Map<String, Counts>> out = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            Window window = windows.get(w);
            int base = 4 + w * 5;
            long visits = 0;
            long spanningAtLeast = 0;
            for (long[] s : sums.values()) {
                visits += s[base];
                spanningAtLeast += s[0] - s[base + 1] - s[base];
            }
            boolean direct = method == Method.DIRECT || method == Method.AUTO && visits <= spanningAtLeast;
            Map<String, Counts> counts = direct ? direct(h, window.from(), to, scope)
                    : cumulative(h, aside, window, to, scope, sums, base);
            out.add(counts);
            if (w == 0) {
                sums.forEach((s, v) -> firstTimeInFirstWindow.put(s, v[base + 4]));
            }
        }
        return out;
    }

    /**
     * Per scope: [0] first visits up to {@code to}, [1] first visits of one purchase with a later visit, less their
     * later visits, up to {@code to}, [2]-[3] unused; per window at 4 + 5w: visits in it, latest visits before it,
     * latest single visits after an earlier one opened minus closed before it, only-visits of one purchase in it, first
     * visits in it. One scan: the days are summed per stretch between the windows' first days, then added up here.
     */
    private static Map<String, long[]> sums(Handle h, LocalDate to, List<Window> windows, Optional<String> scope,
                                           Map<String, long[]> active) {
        List<LocalDate> bounds = windows.stream().map(Window::from).distinct().sorted().toList();
        Map<String, long[][]> stretches = new HashMap<>();
        List<String> expressions = new ArrayList<>(List.of("visits", "firsts", "lasts", "only_single",
                "c2_open - c2_close", "c3_open - c3_close"));
        if (active != null) {
            expressions.addAll(activeExpressions());
        }
        Stretches.sum(h, "report_visit_day", List.of("scope"), expressions, bounds, to, scope)
                .forEach((k, v) -> stretches.put(k.get(0), v));
        if (active != null) {
            int n = RollupBatch.VisitDay.ACTIVE_DAYS.length;
            stretches.forEach((s, byStretch) -> {
                long[] a = new long[n];
                for (long[] v : byStretch) {
                    for (int w = 0; w < n; w++) {
                        a[w] += v[6 + w];
                    }
                }
                active.put(s, a);
            });
        }
        Map<String, long[]> sums = new HashMap<>();
        stretches.forEach((s, byStretch) -> {
            long[] out = new long[4 + windows.size() * 5];
            for (int k = 0; k < byStretch.length; k++) {
                long[] v = byStretch[k];
                out[0] += v[1];
                out[1] += v[4];
                for (int w = 0; w < windows.size(); w++) {
                    int base = 4 + w * 5;
                    // Stretch k holds the days from bounds[k - 1] to before bounds[k]: before the window's first day
                    // when k is at most that day's place among the bounds.
                    boolean before = k <= bounds.indexOf(windows.get(w).from());
                    if (before) {
                        out[base + 1] += v[2];
                        out[base + 2] += v[5];
                    } else {
                        out[base] += v[0];
                        out[base + 3] += v[3];
                        out[base + 4] += v[1];
                    }
                }
            }
            sums.put(s, out);
        });
        return sums;
    }

    /**
     * Per scope: the members with a purchase in the 30, 60, 90, 120 and 365 days ending on {@code to}, each a sum of
     * report_visit_day up to that day (the starts less the ends of members' active stretches).
     */
    static Map<String, long[]> active(Handle h, LocalDate to, Optional<String> scope) {
        int n = RollupBatch.VisitDay.ACTIVE_DAYS.length;
        Map<String, long[]> out = new HashMap<>();
        Stretches.sum(h, "report_visit_day", List.of("scope"), activeExpressions(), List.of(), to, scope)
                .forEach((k, stretches) -> out.put(k.get(0), java.util.Arrays.copyOf(stretches[0], n)));
        return out;
    }

    /** Per active-member window, its starts less its ends. */
    private static List<String> activeExpressions() {
        List<String> expressions = new ArrayList<>();
        for (int w : RollupBatch.VisitDay.ACTIVE_DAYS) {
            expressions.add("a" + w + "_start - a" + w + "_end");
        }
        return expressions;
    }

    private static boolean postgres(Handle h) {
        try {
            return "PostgreSQL".equals(h.getConnection().getMetaData().getDatabaseProductName());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Counts> direct(Handle h, LocalDate from, LocalDate to, Optional<String> scope) {
        Map<String, Counts> out = new HashMap<>();
        Query q = h.createQuery("""
                SELECT scope,
                       SUM(CASE WHEN prev_day IS NULL OR prev_day < :f THEN 1 ELSE 0 END),
                       SUM(CASE WHEN (prev_day IS NULL OR prev_day < :f) AND (next_day IS NULL OR next_day > :t)
                                 AND purchases = 1 THEN 1 ELSE 0 END)
                FROM report_visit WHERE on_day >= :f AND on_day <= :t""" + (scope.isPresent() ? " AND scope = :s" : "")
                + " GROUP BY scope")
                .bind("f", (int) from.toEpochDay()).bind("t", (int) to.toEpochDay());
        scope.ifPresent(s -> q.bind("s", s));
        q.map((rs, ctx) -> out.put(rs.getString(1), new Counts(rs.getLong(2), rs.getLong(3)))).list();
        return out;
    }

    private static Map<String, Counts> cumulative(Handle h, Aside aside, Window window, LocalDate to,
                                                  Optional<String> scope, Map<String, long[]> sums, int base) {
        int f = (int) window.from().toEpochDay();
        int t = (int) to.toEpochDay();
        int length = t - f + 1;
        // A visit gap spans the period when the visit before it is earlier and the visit after it later: none when no
        // visit is later than the period (it ends on the last day with a purchase, as most reports do).
        Integer latest = h.createQuery("SELECT MAX(on_day) FROM report_visit").mapTo(Integer.class).findOne().orElse(null);
        boolean none = latest == null || latest <= t;
        CompletableFuture<Map<String, long[]>> reaching = window.single() && !none
                ? aside.read(x -> spanning(x, "reach_days", "reach_from", "v.prev_day, v.on_day", """
                        SUM(CASE WHEN v.prev_day IS NULL THEN 1 ELSE 0 END),
                        SUM(CASE WHEN v.prev_day IS NOT NULL AND v.on_day >= :f AND v.on_day <= :t THEN 1 ELSE 0 END)""",
                        f, t, length, scope))
                : CompletableFuture.completedFuture(Map.of());
        Map<String, long[]> gaps = none ? Map.of() : spanning(h, "gap_days", "prev_day", "v.next_day, v.purchases", """
                COUNT(*), SUM(CASE WHEN v.next_day IS NULL AND v.purchases = 1 THEN 1 ELSE 0 END)""", f, t, length, scope);
        Map<String, long[]> reach = Futures.join(reaching);
        Map<String, Counts> out = new HashMap<>();
        sums.forEach((s, v) -> {
            long[] g = gaps.getOrDefault(s, new long[2]);
            long members = v[0] - v[base + 1] - g[0];
            long single = -1;
            if (window.single()) {
                long[] r = reach.getOrDefault(s, new long[2]);
                single = v[base + 3] + (v[1] - r[0]) + (v[base + 2] - g[1]) + r[1];
            }
            if (members != 0 || single > 0) {
                out.put(s, new Counts(members, single));
            }
        });
        return out;
    }

    /**
     * Rows whose stretch {@code from..from + length} spans [f, t]: read by each stretch length longer than the
     * period, so that only spanning rows are read.
     */
    private static Map<String, long[]> spanning(Handle h, String lengthColumn, String fromColumn, String columns,
                                                String aggregates,
                                                int f, int t, int length, Optional<String> scope) {
        Integer longest = h.createQuery("SELECT MAX(" + lengthColumn + ") FROM report_visit").mapTo(Integer.class)
                .findOne().orElse(null);
        Map<String, long[]> out = new HashMap<>();
        if (longest == null || longest <= length) {
            return out;
        }
        List<Integer> lengths = IntStream.rangeClosed(length + 1, longest).boxed().toList();
        String match = "v." + lengthColumn + " = g.n AND v." + fromColumn + " >= CAST(:t1 AS INT) - g.n AND v." + fromColumn
                + " < :f" + (scope.isPresent() ? " AND v.scope = :s" : "");
        // One index range per length: PostgreSQL is made to by LATERAL (it would rather scan every visit row and hash
        // the lengths); H2 has no LATERAL and looks each length up in the index as joined.
        String from = postgres(h)
                ? " FROM UNNEST(:lengths) AS g(n), LATERAL (SELECT v.scope, " + columns + " FROM report_visit v WHERE "
                        + match + ") v"
                : " FROM UNNEST(:lengths) AS g(n) JOIN report_visit v ON " + match;
        Query q = h.createQuery("SELECT v.scope, " + aggregates + from + " GROUP BY v.scope")
                .bindArray("lengths", Integer.class, lengths).bind("t1", t + 1).bind("f", f);
        if (aggregates.matches("(?s).*:t\\b.*")) {
            q.bind("t", t);
        }
        scope.ifPresent(s -> q.bind("s", s));
        q.map((rs, ctx) -> out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)})).list();
        return out;
    }
}
