package dev.counterpoint.office.report;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Sums of a roll-up over stretches of days up to a last day, read from its month table, and from its day table only
 * for the part of a month on one side of a boundary: the shorter side is read, the other is the month's total less
 * it. A year of 1,000 stores reads some 13,000 month rows and about half a month of day rows per boundary, instead of
 * 365,000 day rows.
 */
final class Stretches {
    /** Stretch numbers from here on stand for a split month's total (MONTH + i) or its days read (DAYS + i). */
    private static final int MONTH = 1_000;
    private static final int DAYS = 2_000;

    private Stretches() {
    }

    /** A month a boundary (or the day after the last) falls inside, and how it is read. */
    private record Split(LocalDate month, List<LocalDate> cuts, LocalDate readFrom, LocalDate readTo, boolean readFirst) {
    }

    /**
     * Per key (the values of {@code keys}): the sums of {@code expressions} over stretch k = [bounds[k - 1], bounds[k])
     * for k = 0..bounds.size() (the first stretch open below), days after {@code to} left out.
     *
     * @param table the day table's name; its month table is the same with "_month" for "_day" ({@link #monthTable})
     * @param only  a value the first key must have, if any
     */
    static Map<List<String>, long[][]> sum(Handle h, String table, List<String> keys, List<String> expressions,
                                           List<LocalDate> bounds, LocalDate to, Optional<String> only) {
        return sum(h, table, keys, expressions, bounds, to, only, false);
    }

    /** As above; with {@code fromFirstBound}, days before the first bound are not read (stretch 0 is left empty). */
    static Map<List<String>, long[][]> sum(Handle h, String table, List<String> keys, List<String> expressions,
                                           List<LocalDate> bounds, LocalDate to, Optional<String> only,
                                           boolean fromFirstBound) {
        List<LocalDate> sorted = new ArrayList<>(new TreeSet<>(bounds));
        LocalDate limit = to.plusDays(1);
        TreeMap<LocalDate, List<LocalDate>> cutsByMonth = new TreeMap<>();
        for (LocalDate b : sorted) {
            if (b.getDayOfMonth() != 1 && b.isBefore(limit)) {
                cutsByMonth.computeIfAbsent(b.withDayOfMonth(1), k -> new ArrayList<>()).add(b);
            }
        }
        if (limit.getDayOfMonth() != 1) {
            cutsByMonth.computeIfAbsent(limit.withDayOfMonth(1), k -> new ArrayList<>()).add(limit);
        }
        List<Split> splits = new ArrayList<>();
        cutsByMonth.forEach((month, cuts) -> {
            LocalDate next = month.plusMonths(1);
            if (cuts.size() == 1) {
                LocalDate c = cuts.get(0);
                boolean first = ChronoUnit.DAYS.between(month, c) <= ChronoUnit.DAYS.between(c, next);
                splits.add(first ? new Split(month, cuts, month, c, true) : new Split(month, cuts, c, next, false));
            } else {
                splits.add(new Split(month, cuts, month, limit.isBefore(next) ? limit : next, true));
            }
        });

        String month = monthTable(table);
        StringBuilder monthStretch = new StringBuilder("CASE");
        for (int i = 0; i < splits.size(); i++) {
            monthStretch.append(" WHEN month_start = :s").append(i).append(" THEN ").append(MONTH + i);
        }
        StringBuilder dayStretch = new StringBuilder("CASE");
        StringBuilder dayWhere = new StringBuilder();
        for (int i = 0; i < splits.size(); i++) {
            dayStretch.append(" WHEN on_day >= :f").append(i).append(" AND on_day < :t").append(i).append(" THEN ")
                    .append(DAYS + i);
            dayWhere.append(dayWhere.length() == 0 ? "" : " OR ").append("(on_day >= :f").append(i).append(" AND on_day < :t")
                    .append(i).append(")");
        }
        Map<List<String>, Map<Integer, long[]>> read = new HashMap<>();
        String months = "month_start < :limit" + (fromFirstBound && !sorted.isEmpty() ? " AND month_start >= :floor" : "");
        read(h, month, "month_start", monthStretch, keys, expressions, sorted, months, splits, limit, only, read);
        if (!splits.isEmpty()) {
            read(h, table, "on_day", dayStretch, keys, expressions, sorted, "(" + dayWhere + ")", splits, limit, only, read);
        }

        Map<List<String>, long[][]> out = new HashMap<>();
        int width = expressions.size();
        read.forEach((key, byStretch) -> {
            long[][] stretches = new long[sorted.size() + 1][width];
            byStretch.forEach((stretch, v) -> {
                if (stretch < MONTH) {
                    add(stretches[stretch], v, 1);
                }
            });
            for (int i = 0; i < splits.size(); i++) {
                Split s = splits.get(i);
                long[] total = byStretch.get(MONTH + i);
                long[] days = byStretch.get(DAYS + i);
                if (s.cuts().size() > 1) {
                    // Read day by day: only the days were summed, each by its own stretch below.
                    continue;
                }
                int before = stretchOf(s.month(), sorted);
                LocalDate cut = s.cuts().get(0);
                int after = cut.equals(limit) ? -1 : stretchOf(cut, sorted);
                long[] read1 = days == null ? new long[width] : days;
                long[] rest = new long[width];
                if (total != null) {
                    add(rest, total, 1);
                }
                add(rest, read1, -1);
                long[] first = s.readFirst() ? read1 : rest;
                long[] second = s.readFirst() ? rest : read1;
                add(stretches[before], first, 1);
                if (after >= 0) {
                    add(stretches[after], second, 1);
                }
            }
            out.put(key, stretches);
        });
        // Months read day by day (two cuts or more): their days again, each by its stretch.
        List<Split> dayByDay = splits.stream().filter(s -> s.cuts().size() > 1).toList();
        if (!dayByDay.isEmpty()) {
            StringBuilder where = new StringBuilder();
            for (int i = 0; i < dayByDay.size(); i++) {
                where.append(where.length() == 0 ? "" : " OR ").append("(on_day >= :f").append(i).append(" AND on_day < :t")
                        .append(i).append(")");
            }
            StringBuilder stretch = new StringBuilder("CASE");
            for (int b = 0; b < sorted.size(); b++) {
                stretch.append(" WHEN on_day < :b").append(b).append(" THEN ").append(b);
            }
            stretch.append(" ELSE ").append(sorted.size()).append(" END");
            Map<List<String>, Map<Integer, long[]>> days = new HashMap<>();
            read(h, table, "on_day", stretch, keys, expressions, sorted, "on_day < :limit AND (" + where + ")", dayByDay,
                    limit, only, days);
            days.forEach((key, byStretch) -> {
                long[][] stretches = out.computeIfAbsent(key, k -> new long[sorted.size() + 1][width]);
                byStretch.forEach((s, v) -> add(stretches[s], v, 1));
            });
        }
        return out;
    }

    /** A day table's month sums: report_x_day's are report_x_month, report_tier_move's report_tier_move_month. */
    static String monthTable(String dayTable) {
        return dayTable.endsWith("_day") ? dayTable.substring(0, dayTable.length() - 4) + "_month" : dayTable + "_month";
    }

    private static int stretchOf(LocalDate day, List<LocalDate> bounds) {
        int k = 0;
        while (k < bounds.size() && !day.isBefore(bounds.get(k))) {
            k++;
        }
        return k;
    }

    private static void add(long[] into, long[] v, int sign) {
        for (int i = 0; i < into.length; i++) {
            into[i] += sign * v[i];
        }
    }

    private static void read(Handle h, String table, String dayColumn, CharSequence special, List<String> keys,
                             List<String> expressions, List<LocalDate> bounds, String where, List<Split> splits,
                             LocalDate limit, Optional<String> only, Map<List<String>, Map<Integer, long[]>> out) {
        StringBuilder stretch = new StringBuilder(special);
        if (!special.toString().contains(" ELSE ")) {
            for (int b = 0; b < bounds.size(); b++) {
                stretch.append(" WHEN ").append(dayColumn).append(" < :b").append(b).append(" THEN ").append(b);
            }
            stretch.append(" ELSE ").append(bounds.size()).append(" END");
            if (!stretch.toString().contains(" WHEN ")) {
                stretch = new StringBuilder(String.valueOf(bounds.size())); // one stretch: nothing to tell apart
            }
        }
        StringBuilder inner = new StringBuilder("SELECT ");
        StringBuilder outer = new StringBuilder("SELECT ");
        for (int k = 0; k < keys.size(); k++) {
            inner.append(keys.get(k)).append(" AS k").append(k).append(", ");
            outer.append("k").append(k).append(", ");
        }
        inner.append(stretch).append(" AS stretch");
        outer.append("stretch");
        for (int e = 0; e < expressions.size(); e++) {
            inner.append(", ").append(expressions.get(e)).append(" AS c").append(e);
            outer.append(", SUM(c").append(e).append(")");
        }
        inner.append(" FROM ").append(table).append(" WHERE ").append(where)
                .append(only.isPresent() ? " AND " + keys.get(0) + " = :only" : "");
        StringBuilder group = new StringBuilder();
        for (int k = 0; k < keys.size(); k++) {
            group.append("k").append(k).append(", ");
        }
        String sql = outer + " FROM (" + inner + ") d GROUP BY " + group + "stretch";
        Query q = h.createQuery(sql);
        if (sql.contains(":limit")) {
            q.bind("limit", limit);
        }
        if (sql.contains(":floor")) {
            q.bind("floor", bounds.get(0).withDayOfMonth(1));
        }
        for (int b = 0; b < bounds.size(); b++) {
            if (sql.contains(":b" + b + " ")) {
                q.bind("b" + b, bounds.get(b));
            }
        }
        for (int i = 0; i < splits.size(); i++) {
            Split s = splits.get(i);
            if (sql.contains(":s" + i + " ")) {
                q.bind("s" + i, s.month());
            }
            if (sql.contains(":f" + i + " ")) {
                q.bind("f" + i, s.readFrom()).bind("t" + i, s.readTo());
            }
        }
        only.ifPresent(s -> q.bind("only", s));
        int width = expressions.size();
        q.map((rs, ctx) -> {
            List<String> key = new ArrayList<>(keys.size());
            for (int k = 0; k < keys.size(); k++) {
                key.add(rs.getString(1 + k));
            }
            long[] v = out.computeIfAbsent(List.copyOf(key), x -> new HashMap<>())
                    .computeIfAbsent(rs.getInt(1 + keys.size()), x -> new long[width]);
            for (int e = 0; e < width; e++) {
                v[e] += rs.getLong(2 + keys.size() + e);
            }
            return v;
        }).list();
    }
}
