package dev.counterpoint.office.report;

import dev.counterpoint.office.report.RollupBatch.Sums;
import dev.counterpoint.office.report.RollupBatch.VisitDay;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * report_visit: a member's visit days in one scope, linked to the visit before and after, and what each adds to
 * report_visit_day. A new visit changes at most itself and its two neighbours; each changed row takes back what it
 * added before and adds what it adds now (docs/kpis.md, "Distinct members").
 */
final class VisitRows {
    /** One row of report_visit; days are epoch days, prev and next null at the ends. */
    record Visit(long day, int purchases, Long prev, Long next) {
    }

    private VisitRows() {
    }

    /** Adds ({@code sign} 1) or takes back (-1) what one visit row counts in report_visit_day. */
    static void contribute(Sums cells, String scope, Visit v, int sign) {
        cell(cells, scope, v.day(), VisitDay.VISITS, sign);
        if (v.purchases() >= 2) {
            cell(cells, scope, v.day(), VisitDay.MULTI, sign);
        }
        if (v.prev() == null) {
            cell(cells, scope, v.day(), VisitDay.FIRSTS, sign);
        }
        if (v.next() == null) {
            cell(cells, scope, v.day(), VisitDay.LASTS, sign);
        }
        // A stretch of days on which the member has a visit in the W days before: it starts on a visit after a gap
        // longer than W and ends W days after a visit followed by one.
        for (int i = 0; i < VisitDay.ACTIVE_DAYS.length; i++) {
            int w = VisitDay.ACTIVE_DAYS[i];
            if (v.prev() == null || v.day() - v.prev() > w) {
                cell(cells, scope, v.day(), VisitDay.ACTIVE + 2 * i, sign);
            }
            if (v.next() == null || v.next() - v.day() > w) {
                cell(cells, scope, v.day() + w, VisitDay.ACTIVE + 2 * i + 1, sign);
            }
        }
        if (v.purchases() == 1) {
            if (v.prev() == null && v.next() == null) {
                cell(cells, scope, v.day(), VisitDay.ONLY_SINGLE, sign);
            } else if (v.prev() == null) {
                cell(cells, scope, v.day(), VisitDay.C2_OPEN, sign);
                cell(cells, scope, v.next(), VisitDay.C2_CLOSE, sign);
            } else if (v.next() == null) {
                cell(cells, scope, v.prev(), VisitDay.C3_OPEN, sign);
                cell(cells, scope, v.day(), VisitDay.C3_CLOSE, sign);
            }
        }
    }

    private static void cell(Sums cells, String scope, long epochDay, int column, int sign) {
        cells.row(List.of(scope, LocalDate.ofEpochDay(epochDay)), VisitDay.WIDTH)[column] += sign;
    }

    /** Applies new visit days (scope, member → day → purchases) and returns what they change in report_visit_day. */
    static Sums apply(Handle h, Map<List<Object>, TreeMap<Long, Integer>> added) {
        Sums cells = new Sums();
        if (added.isEmpty()) {
            return cells;
        }
        List<String> scopes = new ArrayList<>();
        List<UUID> members = new ArrayList<>();
        List<Integer> mins = new ArrayList<>();
        added.forEach((k, days) -> {
            scopes.add((String) k.get(0));
            members.add((UUID) k.get(1));
            mins.add(days.firstKey().intValue());
        });
        Map<List<Object>, TreeMap<Long, Visit>> held = new HashMap<>();
        Map<List<Object>, Long> before = new HashMap<>();
        // The rows from the earliest new day on, and the one row before it: every row the new days can change.
        read(h, "v.on_day >= k.d", scopes, members, mins, held, null);
        read(h, "v.on_day = (SELECT MAX(p.on_day) FROM report_visit p WHERE p.scope = k.s AND p.member_id = k.m AND p.on_day < k.d)",
                scopes, members, mins, held, before);
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        added.forEach((key, days) -> {
            String scope = (String) key.get(0);
            UUID member = (UUID) key.get(1);
            TreeMap<Long, Visit> old = held.getOrDefault(key, new TreeMap<>());
            TreeSet<Long> all = new TreeSet<>(old.keySet());
            all.addAll(days.keySet());
            Long predecessor = before.get(key);
            Long prev = predecessor == null ? null : old.get(predecessor).prev();
            List<Long> ordered = new ArrayList<>(all);
            for (int i = 0; i < ordered.size(); i++) {
                long day = ordered.get(i);
                Visit was = old.get(day);
                int purchases = (was == null ? 0 : was.purchases()) + days.getOrDefault(day, 0);
                Visit now = new Visit(day, purchases, i == 0 ? prev : ordered.get(i - 1),
                        i + 1 < ordered.size() ? ordered.get(i + 1) : null);
                if (now.equals(was)) {
                    continue;
                }
                if (was != null) {
                    contribute(cells, scope, was, -1);
                }
                contribute(cells, scope, now, 1);
                (was == null ? inserts : updates).add(row(scope, member, now));
            }
        });
        write(h, updates, inserts);
        return cells;
    }

    private static void read(Handle h, String which, List<String> scopes, List<UUID> members, List<Integer> mins,
                             Map<List<Object>, TreeMap<Long, Visit>> held, Map<List<Object>, Long> before) {
        h.createQuery("SELECT v.scope, v.member_id, v.on_day, v.purchases, v.prev_day, v.next_day "
                        + "FROM UNNEST(:scopes, :members, :mins) AS k(s, m, d) "
                        + "JOIN report_visit v ON v.scope = k.s AND v.member_id = k.m AND " + which)
                .bindArray("scopes", String.class, scopes).bindArray("members", UUID.class, members)
                .bindArray("mins", Integer.class, mins)
                .map((rs, ctx) -> {
                    List<Object> key = List.of(rs.getString(1), rs.getObject(2, UUID.class));
                    Visit v = new Visit(rs.getInt(3), rs.getInt(4), (Long) nullable(rs.getObject(5)),
                            (Long) nullable(rs.getObject(6)));
                    held.computeIfAbsent(key, k -> new TreeMap<>()).put(v.day(), v);
                    if (before != null) {
                        before.put(key, v.day());
                    }
                    return v;
                }).list();
    }

    private static Object nullable(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    /** The columns of report_visit after the key: purchases, prev, next, gap, reach from, reach. */
    private static Object[] row(String scope, UUID member, Visit v) {
        Integer gap = v.prev() == null ? null : (int) (v.day() - v.prev());
        Integer reachFrom = null;
        Integer reach = null;
        if (v.purchases() == 1 && v.next() != null) {
            long from = v.prev() == null ? v.day() : v.prev();
            reachFrom = (int) from;
            reach = (int) (v.next() - from);
        }
        return new Object[] {scope, member, (int) v.day(), v.purchases(), toInt(v.prev()), toInt(v.next()), gap, reachFrom,
                reach};
    }

    private static Integer toInt(Long day) {
        return day == null ? null : day.intValue();
    }

    static void write(Handle h, List<Object[]> updates, List<Object[]> inserts) {
        Connection c = h.getConnection();
        try {
            if (!updates.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE report_visit SET purchases = ?, prev_day = ?, next_day = ?, gap_days = ?, reach_from = ?,
                                                reach_days = ?
                        WHERE scope = ? AND member_id = ? AND on_day = ?""")) {
                    for (Object[] r : updates) {
                        set(ps, 1, r[3], Types.INTEGER);
                        for (int i = 4; i <= 8; i++) {
                            set(ps, i - 2, r[i], Types.INTEGER);
                        }
                        ps.setString(7, (String) r[0]);
                        ps.setObject(8, r[1]);
                        ps.setInt(9, (Integer) r[2]);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (!inserts.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO report_visit(scope, member_id, on_day, purchases, prev_day, next_day, gap_days, reach_from,
                                                 reach_days)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    for (Object[] r : inserts) {
                        ps.setString(1, (String) r[0]);
                        ps.setObject(2, r[1]);
                        for (int i = 2; i <= 8; i++) {
                            set(ps, i + 1, r[i], Types.INTEGER);
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write report_visit: " + e.getMessage(), e);
        }
    }

    private static void set(PreparedStatement ps, int i, Object v, int type) throws SQLException {
        if (v == null) {
            ps.setNull(i, type);
        } else {
            ps.setInt(i, ((Number) v).intValue());
        }
    }
}
