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
 * 365,000 day rows. The database adds them up into one row per key, each row read counted into the stretches it
 * belongs to with a sign (a split month's total into one side, its days read into that side less the other), so that
 * no more rows come back than there are keys.
 */
final class Stretches {
    private Stretches() {
    }

    /**
     * A month a boundary (or the day after the last) falls inside, and how it is read: by its days from readFrom to
     * before readTo; with one cut, the month's total goes to the side not read, less the days read.
     */
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
        return sum(h, table, keys, expressions, bounds, to, only, fromFirstBound, null);
    }

    /**
     * As above, knowing that the table holds no day after {@code today} (null: not known): a month's side after today
     * is short, so a period ending today reads its last month's total and none of its days.
     */
    static Map<List<String>, long[][]> sum(Handle h, String table, List<String> keys, List<String> expressions,
                                           List<LocalDate> bounds, LocalDate to, Optional<String> only,
                                           boolean fromFirstBound, LocalDate today) {
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
                LocalDate end = today != null && today.isBefore(next) ? today.plusDays(1) : next;
                boolean first = ChronoUnit.DAYS.between(month, c) <= Math.max(0, ChronoUnit.DAYS.between(c, end));
                splits.add(first ? new Split(month, cuts, month, c, true) : new Split(month, cuts, c, next, false));
            } else {
                // Two cuts or more: every day of it up to the limit is read, each into its own stretch.
                splits.add(new Split(month, cuts, month, limit.isBefore(next) ? limit : next, true));
            }
        });

        int stretches = sorted.size() + 1;
        int first = fromFirstBound && !sorted.isEmpty() ? 1 : 0;
        // Per stretch read: how a month row and a day row count into it.
        List<String> monthCoefficients = new ArrayList<>();
        List<String> dayCoefficients = new ArrayList<>();
        for (int k = first; k < stretches; k++) {
            StringBuilder month = new StringBuilder("CASE");
            StringBuilder day = new StringBuilder("CASE");
            for (int i = 0; i < splits.size(); i++) {
                Split s = splits.get(i);
                int in = 0;
                int days;
                String dayCase;
                if (s.cuts().size() == 1) {
                    int before = stretchOf(s.month(), sorted);
                    LocalDate cut = s.cuts().get(0);
                    int after = cut.equals(limit) ? -1 : stretchOf(cut, sorted);
                    int read = s.readFirst() ? before : after;
                    int rest = s.readFirst() ? after : before;
                    in = rest == k ? 1 : 0;
                    days = (read == k ? 1 : 0) - (rest == k ? 1 : 0);
                    dayCase = String.valueOf(days);
                } else {
                    String inStretch = within("on_day", k, sorted);
                    dayCase = inStretch.isEmpty() ? "1" : "CASE WHEN " + inStretch + " THEN 1 ELSE 0 END";
                }
                month.append(" WHEN month_start = :s").append(i).append(" THEN ").append(in);
                day.append(" WHEN on_day >= :f").append(i).append(" AND on_day < :t").append(i).append(" THEN ").append(dayCase);
            }
            String rest = within("month_start", k, sorted);
            month.append(rest.isEmpty() ? " ELSE 1 END" : " WHEN " + rest + " THEN 1 ELSE 0 END");
            day.append(" ELSE 0 END");
            monthCoefficients.add(month.toString().equals("CASE ELSE 1 END") ? "1" : month.toString());
            dayCoefficients.add(day.toString());
        }

        StringBuilder sql = new StringBuilder("SELECT ");
        StringBuilder group = new StringBuilder();
        for (int k = 0; k < keys.size(); k++) {
            sql.append("k").append(k).append(", ");
            group.append(k == 0 ? "" : ", ").append("k").append(k);
        }
        for (int k = 0; k < stretches - first; k++) {
            for (int e = 0; e < expressions.size(); e++) {
                sql.append(k + e == 0 ? "" : ", ").append("SUM(w").append(k).append(" * c").append(e).append(")");
            }
        }
        String onlyWhere = only.isPresent() ? " AND " + keys.get(0) + " = :only" : "";
        sql.append(" FROM (").append(select(keys, monthCoefficients, expressions))
                .append(" FROM ").append(monthTable(table)).append(" WHERE month_start < :limit")
                .append(first == 1 ? " AND month_start >= :floor" : "").append(onlyWhere);
        if (!splits.isEmpty()) {
            StringBuilder dayWhere = new StringBuilder();
            for (int i = 0; i < splits.size(); i++) {
                dayWhere.append(i == 0 ? "" : " OR ").append("(on_day >= :f").append(i).append(" AND on_day < :t")
                        .append(i).append(")");
            }
            sql.append(" UNION ALL ").append(select(keys, dayCoefficients, expressions)).append(" FROM ").append(table)
                    .append(" WHERE (").append(dayWhere).append(")").append(onlyWhere);
        }
        sql.append(") r GROUP BY ").append(group);

        String text = sql.toString();
        Query q = h.createQuery(text).bind("limit", limit);
        if (first == 1) {
            q.bind("floor", sorted.get(0).withDayOfMonth(1));
        }
        for (int b = 0; b < sorted.size(); b++) {
            if (text.contains(":b" + b + " ") || text.endsWith(":b" + b)) {
                q.bind("b" + b, sorted.get(b));
            }
        }
        for (int i = 0; i < splits.size(); i++) {
            Split s = splits.get(i);
            q.bind("s" + i, s.month()).bind("f" + i, s.readFrom()).bind("t" + i, s.readTo());
        }
        only.ifPresent(s -> q.bind("only", s));
        int width = expressions.size();
        Map<List<String>, long[][]> out = new HashMap<>();
        q.map((rs, ctx) -> {
            List<String> key = new ArrayList<>(keys.size());
            for (int k = 0; k < keys.size(); k++) {
                key.add(rs.getString(1 + k));
            }
            long[][] v = new long[stretches][width];
            int column = 1 + keys.size();
            for (int k = first; k < stretches; k++) {
                for (int e = 0; e < width; e++) {
                    v[k][e] = rs.getLong(column++);
                }
            }
            out.put(List.copyOf(key), v);
            return v;
        }).list();
        return out;
    }

    /** The keys, each stretch's weight (w0, w1, …) and the expressions (c0, c1, …) of one table's rows. */
    private static String select(List<String> keys, List<String> weights, List<String> expressions) {
        StringBuilder s = new StringBuilder("SELECT ");
        for (int k = 0; k < keys.size(); k++) {
            s.append(keys.get(k)).append(" AS k").append(k).append(", ");
        }
        for (int k = 0; k < weights.size(); k++) {
            s.append(weights.get(k)).append(" AS w").append(k).append(", ");
        }
        for (int e = 0; e < expressions.size(); e++) {
            s.append(e == 0 ? "" : ", ").append(expressions.get(e)).append(" AS c").append(e);
        }
        return s.toString();
    }

    /** The condition that {@code column} is in stretch k, or "" when every day is (a single stretch). */
    private static String within(String column, int k, List<LocalDate> bounds) {
        List<String> parts = new ArrayList<>();
        if (k > 0) {
            parts.add(column + " >= :b" + (k - 1));
        }
        if (k < bounds.size()) {
            parts.add(column + " < :b" + k);
        }
        return String.join(" AND ", parts);
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
}
