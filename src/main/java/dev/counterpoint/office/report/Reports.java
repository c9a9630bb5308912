package dev.counterpoint.office.report;

import dev.counterpoint.office.OfficeDates;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.Futures;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The chain's KPIs per store and for the chain, read from the daily roll-ups (see the package description and
 * docs/kpis.md for each figure's formula).
 */
public final class Reports {
    /** The longest period a report covers, in days: a leap year. */
    public static final int MAX_DAYS = 366;
    /** Points per ¥1 when no rule set says otherwise (the built-in rule sets' rate). */
    private static final long DEFAULT_POINTS_PER_YUAN = 100;

    /**
     * Runs the second connection's reads of each report. Daemon threads, shared by every report: a report's other
     * reads do not wait for a free thread, only its own second half may.
     */
    private static final ExecutorService SECOND_READER = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "report-reader");
        t.setDaemon(true);
        return t;
    });

    private final Jdbi jdbi;
    private final Clock clock;
    private final MemberCounts.Method method;

    public Reports(Jdbi jdbi, Clock clock) {
        this(jdbi, clock, Counting.AUTO);
    }

    /** How distinct members are counted (the same figures either way; tests and benchmarks compare them). */
    public enum Counting { AUTO, DIRECT, CUMULATIVE }

    public Reports(Jdbi jdbi, Clock clock, Counting counting) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.method = MemberCounts.Method.valueOf(counting.name());
    }

    // ---- what a report holds ----

    /** Coupons of one template or one reason over the period. */
    public record CouponLine(String key, long issued, long redeemed, long discountFen) {
        /** Redeemed over issued in the period; 0 when none was issued. */
        public double redemptionRate() {
            return issued == 0 ? 0 : (double) redeemed / issued;
        }
    }

    /** Members whose tier went from {@code from} to {@code to} in the period. */
    public record TierMove(Tier from, Tier to, long members) {
        /** A move up (an upgrade); else down. */
        public boolean upgrade() {
            return to.compareTo(from) > 0;
        }
    }

    /**
     * One store's figures over a period, or the chain's ({@code storeId} "*"). Money in fen; points in points.
     * {@code members} and the figures after {@code returningMembers} are distinct members; the liabilities, tiers and
     * active / churn-risk / dormant counts are as at the end of the period's last day.
     */
    public record Figures(String storeId, long purchases, long amountFen, long members, long repeatMembers,
                          long newMembers, long couponsRedeemed, long discountFen, long pointsIssued, long pointsRedeemed,
                          long storedValueInFen, long storedValueOutFen, long sales, long salesFen, long refunds,
                          long refundedFen, long returningMembers, long firstTimeBuyers, long activeMembers30d,
                          long activeMembers90d, long churnRiskMembers, long dormantMembers, long couponsIssued,
                          long pointsExpired, long storedValueBonusFen, long pointsLiability, long pointsLiabilityFen,
                          long storedValueLiabilityFen, Map<Tier, Long> tiers, List<TierMove> tierMoves,
                          List<CouponLine> couponTemplates, List<CouponLine> couponReasons) {
        /** repeat members over members; 0 when no member bought. */
        public double repurchaseRate() {
            return members == 0 ? 0 : (double) repeatMembers / members;
        }

        /** amount over purchases, rounded to the nearest fen; 0 without purchases. */
        public long averageTicketFen() {
            return purchases == 0 ? 0 : Math.round((double) amountFen / purchases);
        }

        /**
         * Coupons redeemed over coupons issued in the period; 0 when none was issued. A store redeems coupons others
         * issued (head office's, another store's), so a store's rate can pass 1.
         */
        public double redemptionRate() {
            return couponsIssued == 0 ? 0 : (double) couponsRedeemed / couponsIssued;
        }

        /** Members in all tiers at the end of the period. */
        public long tierMembers() {
            return tiers.values().stream().mapToLong(Long::longValue).sum();
        }

        public long tierUpgrades() {
            return tierMoves.stream().filter(TierMove::upgrade).mapToLong(TierMove::members).sum();
        }

        public long tierDowngrades() {
            return tierMoves.stream().filter(m -> !m.upgrade()).mapToLong(TierMove::members).sum();
        }
    }

    /** A report: the stores side by side, and the chain (empty when the report was asked for one store). */
    public record Report(LocalDate from, LocalDate to, List<Figures> stores, Optional<Figures> chain) {
    }

    /** One store's business day so far, or the chain's ({@code storeId} "*"). */
    public record DayFigures(String storeId, long sales, long salesFen, long refunds, long refundedFen, long membersServed,
                             long newMembers, long couponsRedeemed, long discountFen, long pointsIssued,
                             long pointsRedeemed, long storedValueInFen, long storedValueOutFen) {
    }

    public record Today(LocalDate day, List<DayFigures> stores, Optional<DayFigures> chain) {
    }

    // ---- the period ----

    /**
     * The period of {@code from} and {@code to} as typed (YYYY-MM-DD), both days included; refused with a message
     * that says what is wrong.
     */
    public static LocalDate[] period(String from, String to) {
        LocalDate f = date("from", from);
        LocalDate t = date("to", to);
        if (t.isBefore(f)) {
            throw new IllegalArgumentException("to (" + t + ") is before from (" + f + ")");
        }
        long days = ChronoUnit.DAYS.between(f, t) + 1;
        if (days > MAX_DAYS) {
            throw new IllegalArgumentException("the period has " + days + " days; a report covers at most " + MAX_DAYS);
        }
        return new LocalDate[] {f, t};
    }

    private static LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required (YYYY-MM-DD)");
        }
        if (!value.matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new IllegalArgumentException(name + " must be a date as YYYY-MM-DD");
        }
        try {
            LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " " + value + " is not a date");
        }
        return OfficeDates.day(value).orElseThrow(() -> new IllegalArgumentException(name + " " + value
                + " is not between " + OfficeDates.FIRST_YEAR + " and " + OfficeDates.LAST_YEAR));
    }

    /** Today's business date in the chain's zone. */
    public LocalDate businessDay() {
        return jdbi.withHandle(h -> LocalDate.now(clock.withZone(BusinessZone.read(h))));
    }

    public ZoneId zone() {
        return jdbi.withHandle(BusinessZone::read);
    }

    // ---- reports ----

    /**
     * Every store's figures over {@code from}..{@code to} (both included, at most {@value #MAX_DAYS} days), and the
     * chain's; with {@code onlyStore}, that store's alone and no chain figures (a manager's own store).
     */
    public Report stores(LocalDate from, LocalDate to, Optional<String> onlyStore) {
        period(from.toString(), to.toString());
        return jdbi.inTransaction(h -> report(h, from, to, onlyStore));
    }

    private Report report(Handle h, LocalDate from, LocalDate to, Optional<String> onlyStore) {
        // Events count on the day of their own stamp, so the store, coupon and tier tables hold no day after today and
        // a month's side after it is short to read (the visits' sums do hold later days: an active stretch's end).
        LocalDate today = LocalDate.now(clock.withZone(BusinessZone.read(h)));
        // The period's sums, and apart (two columns, not all of them, over the chain's history) the balances' changes
        // up to its end.
        Map<String, long[]> day = new HashMap<>();
        Map<String, long[]> balances = new HashMap<>();
        Stretches.sum(h, "report_store_day", List.of("store_id"), RollupBatch.StoreDay.COLUMNS, List.of(from), to, onlyStore,
                true, today).forEach((key, stretch) -> day.put(key.get(0), stretch[1]));
        Stretches.sum(h, "report_store_day", List.of("store_id"), List.of("points_balance", "stored_value_balance_fen"),
                List.of(), to, onlyStore, false, today).forEach((key, stretch) -> balances.put(key.get(0), stretch[0]));
        Map<String, List<Object[]>> coupons = new HashMap<>();
        Map<String, List<TierMove>> moves = new HashMap<>();
        Map<String, Map<Tier, Long>> tiers = new HashMap<>();
        // The coupons' and tiers' reads go on a second connection while this one reads the rest: the database adds up
        // each statement on one core, and head office's machine has more than one. Each statement sees what was
        // committed when it started, on either connection, as it would in this read-committed transaction.
        CompletableFuture<Void> side = CompletableFuture.runAsync(() -> jdbi.useHandle(s -> {
            Stretches.sum(s, "report_coupon_day", List.of("store_id", "template_id", "reason"),
                            List.of("issued", "redeemed", "discount_fen"), List.of(from), to, onlyStore, true, today)
                    .forEach((k, stretch) -> coupons.computeIfAbsent(k.get(0), x -> new ArrayList<>()).add(new Object[] {
                            k.get(1), k.get(2), stretch[1][0], stretch[1][1], stretch[1][2]}));
            moves.putAll(tierMoves(s, from, to, today, onlyStore));
            tiers.putAll(tiersAt(s, to, today, onlyStore));
        }), SECOND_READER);

        // Distinct members: the period, and the windows ending on its last day (docs/kpis.md).
        Map<String, Long> firstTime = new HashMap<>();
        Map<String, long[]> active = new HashMap<>();
        MemberCounts.Aside aside = new MemberCounts.Aside() {
            @Override
            public <T> CompletableFuture<T> read(java.util.function.Function<Handle, T> read) {
                return CompletableFuture.supplyAsync(() -> jdbi.withHandle(read::apply), SECOND_READER);
            }
        };
        Map<String, MemberCounts.Counts> counts = MemberCounts.count(h, aside, to,
                List.of(new MemberCounts.Window(from, true)), onlyStore, method, firstTime, active).get(0);
        long pointsPerYuan = pointsPerYuan(h);
        Futures.join(side);

        TreeSet<String> storeIds = new TreeSet<>();
        if (onlyStore.isPresent()) {
            storeIds.add(onlyStore.get());
        } else {
            storeIds.addAll(h.createQuery("SELECT DISTINCT store_id FROM terminal").mapTo(String.class).list());
            storeIds.addAll(day.keySet());
            storeIds.addAll(balances.keySet());
            storeIds.addAll(tiers.keySet());
            storeIds.addAll(coupons.keySet());
            storeIds.remove(RollupBatch.CHAIN);
        }
        List<Figures> stores = new ArrayList<>();
        for (String s : storeIds) {
            stores.add(figures(s, day.get(s), balances.get(s), coupons.getOrDefault(s, List.of()),
                    moves.getOrDefault(s, List.of()), tiers.getOrDefault(s, Map.of()), counts, active, firstTime.getOrDefault(s, 0L),
                    pointsPerYuan));
        }
        Optional<Figures> chain = Optional.empty();
        if (onlyStore.isEmpty()) {
            long[] allDay = new long[RollupBatch.StoreDay.WIDTH];
            day.values().forEach(v -> add(allDay, v));
            long[] allBalances = new long[2];
            balances.values().forEach(v -> add(allBalances, v));
            List<Object[]> allCoupons = new ArrayList<>();
            coupons.values().forEach(allCoupons::addAll);
            Map<String, TierMove> allMoves = new TreeMap<>();
            moves.values().forEach(list -> list.forEach(m -> allMoves.merge(m.from() + ">" + m.to(), m,
                    (a, b) -> new TierMove(a.from(), a.to(), a.members() + b.members()))));
            Map<Tier, Long> allTiers = new EnumMap<>(Tier.class);
            tiers.values().forEach(m -> m.forEach((k, v) -> allTiers.merge(k, v, Long::sum)));
            chain = Optional.of(figures(RollupBatch.CHAIN, allDay, allBalances, allCoupons, List.copyOf(allMoves.values()),
                    allTiers, counts, active, firstTime.getOrDefault(RollupBatch.CHAIN, 0L), pointsPerYuan));
        }
        return new Report(from, to, stores, chain);
    }

    /**
     * Each store's tier moves from {@code from} to {@code to}, from month sums and the days of split months (none
     * after {@code today}, if known).
     */
    static Map<String, List<TierMove>> tierMoves(Handle h, LocalDate from, LocalDate to, LocalDate today,
                                                 Optional<String> onlyStore) {
        Map<String, List<TierMove>> moves = new HashMap<>();
        Stretches.sum(h, "report_tier_move", List.of("store_id", "from_tier", "to_tier"), List.of("moves"), List.of(from), to,
                onlyStore, true, today).forEach((k, stretch) -> {
                    if (stretch[1][0] != 0) {
                        moves.computeIfAbsent(k.get(0), x -> new ArrayList<>()).add(new TierMove(Tier.valueOf(k.get(1)),
                                Tier.valueOf(k.get(2)), stretch[1][0]));
                    }
                });
        return moves;
    }

    /**
     * Members per home store and tier at the end of {@code day}: today's counts less the changes after it, read from
     * the months after its month and, of its month, the shorter side: the days after it that have passed by
     * {@code today}, or the month's total less its days up to {@code day} (few rows for a recent day).
     */
    static Map<String, Map<Tier, Long>> tiersAt(Handle h, LocalDate day, LocalDate today, Optional<String> onlyStore) {
        String only = onlyStore.isPresent() ? " AND store_id = :s" : "";
        LocalDate month = day.withDayOfMonth(1);
        LocalDate nextMonth = month.plusMonths(1);
        LocalDate lastPassed = today.isBefore(nextMonth) ? today : nextMonth.minusDays(1);
        long daysAfter = Math.max(0, ChronoUnit.DAYS.between(day, lastPassed));
        long daysUpTo = ChronoUnit.DAYS.between(month, day) + 2; // the days and the month's row
        String changes = daysAfter <= daysUpTo
                ? " UNION ALL SELECT store_id, tier, -members FROM report_tier_day WHERE on_day > :f AND on_day < :t" + only
                        + " UNION ALL SELECT store_id, tier, -members FROM report_tier_month WHERE month_start >= :t" + only
                : " UNION ALL SELECT store_id, tier, members FROM report_tier_day WHERE on_day >= :m AND on_day <= :f" + only
                        + " UNION ALL SELECT store_id, tier, -members FROM report_tier_month WHERE month_start >= :m" + only;
        Map<String, Map<Tier, Long>> tiers = new HashMap<>();
        Query q = query(h, "SELECT store_id, tier, SUM(members) FROM ("
                + " SELECT store_id, tier, members FROM report_tier WHERE 1 = 1" + only + changes
                + ") changes GROUP BY store_id, tier", day, daysAfter <= daysUpTo ? nextMonth : null, onlyStore);
        if (daysAfter > daysUpTo) {
            q.bind("m", month);
        }
        q.map((rs, ctx) -> tiers.computeIfAbsent(rs.getString(1), k -> new EnumMap<>(Tier.class))
                .merge(Tier.valueOf(rs.getString(2)), rs.getLong(3), Long::sum)).list();
        return tiers;
    }

    /** Moves in tier order: from the lowest tier first, then to the lowest. */
    private static final java.util.Comparator<TierMove> MOVE_ORDER = java.util.Comparator
            .comparing(TierMove::from).thenComparing(TierMove::to);

    private static Figures figures(String store, long[] d, long[] balance, List<Object[]> coupons, List<TierMove> moves,
                                   Map<Tier, Long> tiers, Map<String, MemberCounts.Counts> counts,
                                   Map<String, long[]> active, long firstTime, long pointsPerYuan) {
        long[] v = d == null ? new long[RollupBatch.StoreDay.WIDTH] : d;
        long[] b = balance == null ? new long[2] : balance;
        MemberCounts.Counts period = counts.getOrDefault(store, MemberCounts.Counts.NONE);
        long members = period.members();
        // Members with a purchase in the 30, 60, 90, 120 and 365 days ending on the period's last day.
        long[] a = active.getOrDefault(store, new long[RollupBatch.VisitDay.ACTIVE_DAYS.length]);
        long d30 = a[0];
        long d60 = a[1];
        long d90 = a[2];
        long d120 = a[3];
        long d365 = a[4];
        Map<Tier, Long> tierCounts = new EnumMap<>(Tier.class);
        for (Tier t : Tier.values()) {
            tierCounts.put(t, tiers.getOrDefault(t, 0L));
        }
        return new Figures(store, v[RollupBatch.StoreDay.PURCHASES], v[RollupBatch.StoreDay.AMOUNT], members,
                members - Math.max(0, period.single()), v[RollupBatch.StoreDay.NEW_MEMBERS],
                v[RollupBatch.StoreDay.COUPONS_REDEEMED], v[RollupBatch.StoreDay.DISCOUNT],
                v[RollupBatch.StoreDay.POINTS_ISSUED], v[RollupBatch.StoreDay.POINTS_REDEEMED],
                v[RollupBatch.StoreDay.SV_IN], v[RollupBatch.StoreDay.SV_OUT], v[RollupBatch.StoreDay.SALES],
                v[RollupBatch.StoreDay.SALES_FEN], v[RollupBatch.StoreDay.REFUNDS], v[RollupBatch.StoreDay.REFUNDED],
                members - firstTime, firstTime, d30, d90, d120 - d60, d365 - d120,
                v[RollupBatch.StoreDay.COUPONS_ISSUED], v[RollupBatch.StoreDay.POINTS_EXPIRED],
                v[RollupBatch.StoreDay.SV_BONUS], b[0], b[0] * 100 / pointsPerYuan, b[1], tierCounts,
                moves.stream().sorted(MOVE_ORDER).toList(),
                couponLines(coupons, 0), couponLines(coupons, 1));
    }

    /** Coupon rows (template, reason, issued, redeemed, discount) summed by template ({@code by} 0) or reason (1). */
    private static List<CouponLine> couponLines(List<Object[]> rows, int by) {
        Map<String, long[]> sums = new TreeMap<>();
        for (Object[] r : rows) {
            long[] s = sums.computeIfAbsent((String) r[by], k -> new long[3]);
            s[0] += (Long) r[2];
            s[1] += (Long) r[3];
            s[2] += (Long) r[4];
        }
        List<CouponLine> out = new ArrayList<>();
        sums.forEach((k, s) -> {
            if (s[0] != 0 || s[1] != 0 || s[2] != 0) { // a month read for its other days may hold none of the period's
                out.add(new CouponLine(k, s[0], s[1], s[2]));
            }
        });
        return out;
    }

    /** Today so far, per store and for the chain (with {@code onlyStore}: that store's alone). */
    public Today today(Optional<String> onlyStore) {
        return jdbi.inTransaction(h -> {
            LocalDate today = LocalDate.now(clock.withZone(BusinessZone.read(h)));
            return day(h, today, onlyStore);
        });
    }

    /** One business day's figures, as {@link #today} gives them for today. */
    public Today day(LocalDate day, Optional<String> onlyStore) {
        return jdbi.inTransaction(h -> day(h, day, onlyStore));
    }

    private Today day(Handle h, LocalDate day, Optional<String> onlyStore) {
        String only = onlyStore.isPresent() ? " AND store_id = :s" : "";
        List<String> columns = List.of("sales", "sales_fen", "refunds", "refunded_fen", "new_members", "coupons_redeemed",
                "discount_fen", "points_issued", "points_redeemed", "stored_value_in_fen", "stored_value_out_fen");
        Map<String, long[]> rows = new HashMap<>();
        query(h, "SELECT store_id, " + String.join(", ", columns) + " FROM report_store_day WHERE on_day = :f" + only,
                day, null, onlyStore).map((rs, ctx) -> rows.put(rs.getString(1), longs(rs, 2, columns.size()))).list();
        Map<String, Long> served = new HashMap<>();
        h.createQuery("SELECT scope, visits FROM report_visit_day WHERE on_day = :d"
                        + (onlyStore.isPresent() ? " AND scope = :s" : ""))
                .bind("d", day).bindMap(onlyStore.isPresent() ? Map.of("s", onlyStore.get()) : Map.of())
                .map((rs, ctx) -> served.put(rs.getString(1), rs.getLong(2))).list();
        TreeSet<String> storeIds = new TreeSet<>(rows.keySet());
        if (onlyStore.isPresent()) {
            storeIds.add(onlyStore.get());
        } else {
            storeIds.addAll(h.createQuery("SELECT DISTINCT store_id FROM terminal").mapTo(String.class).list());
        }
        storeIds.remove(RollupBatch.CHAIN);
        List<DayFigures> stores = new ArrayList<>();
        long[] all = new long[columns.size()];
        for (String s : storeIds) {
            long[] v = rows.getOrDefault(s, new long[columns.size()]);
            stores.add(dayFigures(s, v, served.getOrDefault(s, 0L)));
        }
        rows.values().forEach(v -> add(all, v));
        Optional<DayFigures> chain = onlyStore.isPresent() ? Optional.empty()
                : Optional.of(dayFigures(RollupBatch.CHAIN, all, served.getOrDefault(RollupBatch.CHAIN, 0L)));
        return new Today(day, stores, chain);
    }

    private static DayFigures dayFigures(String store, long[] v, long served) {
        return new DayFigures(store, v[0], v[1], v[2], v[3], served, v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
    }

    // ---- helpers ----

    private static Query query(Handle h, String sql, LocalDate from, LocalDate to, Optional<String> onlyStore) {
        Query q = h.createQuery(sql);
        if (from != null) {
            q.bind("f", from);
        }
        if (to != null) {
            q.bind("t", to);
        }
        onlyStore.ifPresent(s -> q.bind("s", s));
        return q;
    }

    private static long[] longs(java.sql.ResultSet rs, int first, int n) throws java.sql.SQLException {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = rs.getLong(first + i);
        }
        return v;
    }

    private static void add(long[] into, long[] v) {
        for (int i = 0; i < into.length; i++) {
            into[i] += v[i];
        }
    }

    /** The points that make ¥1 in the chain's rule set in force (the owner's latest, else the newest built-in one). */
    private static long pointsPerYuan(Handle h) {
        String body = h.createQuery("SELECT body FROM rule_set ORDER BY version DESC LIMIT 1").mapTo(String.class)
                .findOne().orElseGet(() -> h.createQuery("SELECT body FROM builtin_rule_set ORDER BY version DESC LIMIT 1")
                        .mapTo(String.class).findOne().orElse(""));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"pointsPerYuanRedeemed\"\\s*:\\s*(\\d+)").matcher(body);
        long rate = m.find() ? Long.parseLong(m.group(1)) : DEFAULT_POINTS_PER_YUAN;
        return rate <= 0 ? DEFAULT_POINTS_PER_YUAN : rate;
    }
}
