package dev.counterpoint.office.report;

import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Tier;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * What one transaction's projections add to the KPI roll-ups: facts are noted as each event is applied and written
 * together, summed per row, by {@link #flush} before the transaction commits (head office calls it when it finishes
 * the transaction's change feed, under the feed lock). An event that fails is undone here too ({@link #eventFailed}).
 *
 * <p>Refunds count on the day they are made, at the store that makes them (docs/kpis.md).
 */
public final class RollupBatch {
    /** The scope of chain-wide visit rows (a store id never holds '*'). */
    public static final String CHAIN = "*";
    /** What a coupon issued by head office (the owner's API) records as its issuer. */
    public static final String HEAD_OFFICE = "head-office";

    private sealed interface Fact {
    }

    private record Purchase(String store, UUID member, OffsetDateTime at, long totalFen, boolean sale) implements Fact {
    }

    private record Refund(String store, OffsetDateTime at, long grossFen) implements Fact {
    }

    private record Enrolled(String home, OffsetDateTime at, Tier tier) implements Fact {
    }

    private record CouponIssued(String store, OffsetDateTime at, String template, String reason) implements Fact {
    }

    private record CouponRedeemed(String store, OffsetDateTime at, String code, String template, String offered,
                                  long discountFen, int sign) implements Fact {
    }

    private record Points(String store, UUID member, OffsetDateTime at, PointsKind kind, long delta) implements Fact {
    }

    private record StoredValue(String store, UUID member, OffsetDateTime at, StoredValueKind kind, long deltaFen)
            implements Fact {
    }

    private record TierMoved(UUID member, OffsetDateTime at, Tier from, Tier to, boolean counted) implements Fact {
    }

    private record Merged(UUID alias, OffsetDateTime at) implements Fact {
    }

    private record Split(UUID alias, OffsetDateTime at) implements Fact {
    }

    private final List<Fact> facts = new ArrayList<>();
    private int eventStart = -1;

    // ---- event boundaries (a push) ----

    public void beginEvent() {
        eventStart = facts.size();
    }

    public void eventApplied() {
        eventStart = -1;
    }

    /** The event was undone: what it noted is dropped. */
    public void eventFailed() {
        if (eventStart >= 0) {
            facts.subList(eventStart, facts.size()).clear();
        }
        eventStart = -1;
    }

    // ---- facts ----

    /** A purchase at {@code store} by the member it counts for (a merged member's survivor). */
    public void purchase(String store, UUID member, OffsetDateTime at, long totalFen, boolean sale) {
        facts.add(new Purchase(store, member, at, totalFen, sale));
    }

    /** A void or refund made at {@code store} that took back {@code grossFen} of a purchase. */
    public void refund(String store, OffsetDateTime at, long grossFen) {
        facts.add(new Refund(store, at, grossFen));
    }

    public void enrolled(String homeStore, OffsetDateTime at, Tier tier) {
        facts.add(new Enrolled(homeStore, at, tier));
    }

    /**
     * @param store    the issuing store, or null for head office
     * @param issuedBy "trigger:REASON", "manager:…", "head-office" or null: the reason it counts under ({@link #issueReason})
     */
    public void couponIssued(String store, OffsetDateTime at, String template, String issuedBy) {
        facts.add(new CouponIssued(store == null ? CHAIN : store, at, template, issueReason(issuedBy)));
    }

    /**
     * A redemption: it counts under the reason its coupon was issued for (looked up by {@code code} when the batch is
     * written), or, for a coupon head office does not hold, under {@code offeredFor}, the reason the counter offered it for.
     */
    public void couponRedeemed(String store, OffsetDateTime at, String code, String template, String offeredFor,
                               long discountFen) {
        facts.add(new CouponRedeemed(store, at, code, template, offeredFor, discountFen, 1));
    }

    /** A redemption given back by a void or refund made at {@code store}. */
    public void couponRestored(String store, OffsetDateTime at, String code, String template, String offeredFor,
                               long discountFen) {
        facts.add(new CouponRedeemed(store, at, code, template, offeredFor, discountFen, -1));
    }

    /**
     * Why a coupon was issued, as the reports group by it: an occasion's trigger (WELCOME, BIRTHDAY, WIN_BACK,
     * CHURN_RISK, TIER_PERK), CAMPAIGN for head office's own issue, MANUAL for a store manager's.
     */
    public static String issueReason(String issuedBy) {
        if (issuedBy != null && issuedBy.startsWith("trigger:")) {
            return reason(issuedBy.substring(8));
        }
        return HEAD_OFFICE.equals(issuedBy) ? "CAMPAIGN" : "MANUAL";
    }

    /** @param store the store that made the entry, or null for head office (a merge's move, a correction) */
    public void points(String store, UUID member, OffsetDateTime at, PointsKind kind, long delta) {
        facts.add(new Points(store, member, at, kind, delta));
    }

    /** @param store the store that made the entry, or null for head office */
    public void storedValue(String store, UUID member, OffsetDateTime at, StoredValueKind kind, long deltaFen) {
        facts.add(new StoredValue(store, member, at, kind, deltaFen));
    }

    /** A member's tier changed at {@code at}: counted as a move, and the member goes from one tier to the other. */
    public void tierMoved(UUID member, OffsetDateTime at, Tier from, Tier to) {
        if (from != to) {
            facts.add(new TierMoved(member, at, from, to, true));
        }
    }

    /**
     * The member goes from one tier to the other at {@code at} without a move counted: a change the tables show
     * happened but not when ({@link Backfill}).
     */
    void tierShifted(UUID member, OffsetDateTime at, Tier from, Tier to) {
        if (from != to) {
            facts.add(new TierMoved(member, at, from, to, false));
        }
    }

    /** A member became an alias of another at {@code at}: it leaves the tier distribution. */
    public void merged(UUID alias, OffsetDateTime at) {
        facts.add(new Merged(alias, at));
    }

    /** A merge undone: the alias is a member of its own again, back in the tier distribution. */
    public void split(UUID alias, OffsetDateTime at) {
        facts.add(new Split(alias, at));
    }

    public boolean isEmpty() {
        return facts.isEmpty();
    }

    // ---- writing ----

    /** Writes everything noted, summed per roll-up row, and starts empty again. */
    public void flush(Handle h) {
        flush(h, member -> null);
    }

    /**
     * As {@link #flush(Handle)}, with the home stores the caller has read already ({@code knownHome} gives null for a
     * member it has not): a push has read its members.
     */
    public void flush(Handle h, Function<UUID, String> knownHome) {
        if (facts.isEmpty()) {
            return;
        }
        ZoneId zone = BusinessZone.read(h);
        Map<UUID, Home> homes = homes(h, knownHome);
        Map<String, String> issuedFor = issueReasons(h);
        Sums storeDay = new Sums();
        Sums coupons = new Sums();
        Sums moves = new Sums();
        Sums tiers = new Sums();
        Sums tierDays = new Sums();
        Visits visits = new Visits();
        for (Fact f : facts) {
            if (f instanceof Purchase p) {
                LocalDate day = day(p.at(), zone);
                long[] row = storeDay.row(List.of(p.store(), day), StoreDay.WIDTH);
                row[StoreDay.PURCHASES]++;
                row[StoreDay.AMOUNT] += p.totalFen();
                if (p.sale()) {
                    row[StoreDay.SALES]++;
                    row[StoreDay.SALES_FEN] += p.totalFen();
                }
                visits.add(p.store(), p.member(), day.toEpochDay());
                visits.add(CHAIN, p.member(), day.toEpochDay());
            } else if (f instanceof Refund r) {
                long[] row = storeDay.row(List.of(r.store(), day(r.at(), zone)), StoreDay.WIDTH);
                row[StoreDay.REFUNDS]++;
                row[StoreDay.REFUNDED]+= r.grossFen();
                row[StoreDay.AMOUNT] -= r.grossFen();
            } else if (f instanceof Enrolled e) {
                LocalDate day = day(e.at(), zone);
                storeDay.row(List.of(e.home(), day), StoreDay.WIDTH)[StoreDay.NEW_MEMBERS]++;
                tiers.row(List.of(e.home(), e.tier().name()), 1)[0]++;
                tierDays.row(List.of(e.home(), day, e.tier().name()), 1)[0]++;
            } else if (f instanceof CouponIssued c) {
                LocalDate day = day(c.at(), zone);
                coupons.row(List.of(c.store(), day, c.template(), c.reason()), 3)[0]++;
                storeDay.row(List.of(c.store(), day), StoreDay.WIDTH)[StoreDay.COUPONS_ISSUED]++;
            } else if (f instanceof CouponRedeemed c) {
                LocalDate day = day(c.at(), zone);
                String reason = c.code() == null ? null : issuedFor.get(c.code());
                long[] row = coupons.row(List.of(c.store(), day, c.template(), reason != null ? reason : reason(c.offered())), 3);
                row[1] += c.sign();
                row[2] += c.sign() * c.discountFen();
                long[] sd = storeDay.row(List.of(c.store(), day), StoreDay.WIDTH);
                sd[StoreDay.COUPONS_REDEEMED] += c.sign();
                sd[StoreDay.DISCOUNT] += c.sign() * c.discountFen();
            } else if (f instanceof Points p) {
                LocalDate day = day(p.at(), zone);
                if (p.store() != null) {
                    long[] row = storeDay.row(List.of(p.store(), day), StoreDay.WIDTH);
                    switch (p.kind()) {
                        case EARN -> row[StoreDay.POINTS_ISSUED] += p.delta();
                        case SPEND -> row[StoreDay.POINTS_REDEEMED] -= p.delta();
                        case EXPIRE -> row[StoreDay.POINTS_EXPIRED] -= p.delta();
                        // A refund gives spent points back (positive) and takes earned ones back (negative).
                        case REVERSE -> row[p.delta() > 0 ? StoreDay.POINTS_REDEEMED : StoreDay.POINTS_ISSUED] +=
                                p.delta() > 0 ? -p.delta() : p.delta();
                        default -> {
                        }
                    }
                }
                Home home = homes.get(p.member());
                if (home != null) {
                    storeDay.row(List.of(home.store(), day), StoreDay.WIDTH)[StoreDay.POINTS_BALANCE] += p.delta();
                }
            } else if (f instanceof StoredValue s) {
                LocalDate day = day(s.at(), zone);
                if (s.store() != null) {
                    long[] row = storeDay.row(List.of(s.store(), day), StoreDay.WIDTH);
                    switch (s.kind()) {
                        case TOPUP -> row[StoreDay.SV_IN] += s.deltaFen();
                        case BONUS -> row[StoreDay.SV_BONUS] += s.deltaFen();
                        case PAY -> row[StoreDay.SV_OUT] -= s.deltaFen();
                        case REVERSE -> row[StoreDay.SV_OUT] -= s.deltaFen();
                        default -> {
                        }
                    }
                }
                Home home = homes.get(s.member());
                if (home != null) {
                    storeDay.row(List.of(home.store(), day), StoreDay.WIDTH)[StoreDay.SV_BALANCE] += s.deltaFen();
                }
            } else if (f instanceof TierMoved t) {
                Home home = homes.get(t.member());
                if (home != null) {
                    LocalDate day = day(t.at(), zone);
                    if (t.counted()) {
                        moves.row(List.of(home.store(), day, t.from().name(), t.to().name()), 1)[0]++;
                    }
                    tiers.row(List.of(home.store(), t.from().name()), 1)[0]--;
                    tiers.row(List.of(home.store(), t.to().name()), 1)[0]++;
                    tierDays.row(List.of(home.store(), day, t.from().name()), 1)[0]--;
                    tierDays.row(List.of(home.store(), day, t.to().name()), 1)[0]++;
                }
            } else if (f instanceof Merged m) {
                Home home = homes.get(m.alias());
                if (home != null) {
                    tiers.row(List.of(home.store(), home.tier()), 1)[0]--;
                    tierDays.row(List.of(home.store(), day(m.at(), zone), home.tier()), 1)[0]--;
                }
            } else if (f instanceof Split m) {
                Home home = homes.get(m.alias());
                if (home != null) {
                    tiers.row(List.of(home.store(), home.tier()), 1)[0]++;
                    tierDays.row(List.of(home.store(), day(m.at(), zone), home.tier()), 1)[0]++;
                }
            }
        }
        facts.clear();
        eventStart = -1;
        Sums cells = visits.write(h);
        Upserts.add(h, "report_visit_day", List.of("scope", "on_day"), VisitDay.COLUMNS, cells);
        Upserts.add(h, "report_visit_month", List.of("scope", "month_start"), VisitDay.COLUMNS, months(cells));
        Upserts.add(h, "report_store_day", List.of("store_id", "on_day"), StoreDay.COLUMNS, storeDay);
        Upserts.add(h, "report_store_month", List.of("store_id", "month_start"), StoreDay.COLUMNS, months(storeDay));
        List<String> couponColumns = List.of("issued", "redeemed", "discount_fen");
        Upserts.add(h, "report_coupon_day", List.of("store_id", "on_day", "template_id", "reason"), couponColumns, coupons);
        Upserts.add(h, "report_coupon_month", List.of("store_id", "month_start", "template_id", "reason"), couponColumns,
                months(coupons));
        Upserts.add(h, "report_tier_move", List.of("store_id", "on_day", "from_tier", "to_tier"), List.of("moves"), moves);
        Upserts.add(h, "report_tier_move_month", List.of("store_id", "month_start", "from_tier", "to_tier"), List.of("moves"),
                months(moves));
        Upserts.add(h, "report_tier", List.of("store_id", "tier"), List.of("members"), tiers);
        Upserts.add(h, "report_tier_day", List.of("store_id", "on_day", "tier"), List.of("members"), tierDays);
        Upserts.add(h, "report_tier_month", List.of("store_id", "month_start", "tier"), List.of("members"),
                months(tierDays));
    }

    /** Day sums (the day second in each key) summed by calendar month. */
    static Sums months(Sums days) {
        Sums months = new Sums();
        days.rows.forEach((key, values) -> {
            List<Object> monthKey = new ArrayList<>(key);
            monthKey.set(1, ((LocalDate) key.get(1)).withDayOfMonth(1));
            long[] row = months.row(List.copyOf(monthKey), values.length);
            for (int i = 0; i < values.length; i++) {
                row[i] += values[i];
            }
        });
        return months;
    }

    private record Home(String store, String tier) {
    }

    /**
     * The home store of every member whose balances or tier the facts change, and the tier of those merged or split
     * (as it is when the batch is written), in one query for those not known already.
     */
    private Map<UUID, Home> homes(Handle h, Function<UUID, String> knownHome) {
        Set<UUID> storeOnly = new LinkedHashSet<>();
        Set<UUID> ids = new LinkedHashSet<>();
        for (Fact f : facts) {
            if (f instanceof Points p) {
                storeOnly.add(p.member());
            } else if (f instanceof StoredValue s) {
                storeOnly.add(s.member());
            } else if (f instanceof TierMoved t) {
                storeOnly.add(t.member());
            } else if (f instanceof Merged m) {
                ids.add(m.alias());
            } else if (f instanceof Split m) {
                ids.add(m.alias());
            }
        }
        Map<UUID, Home> homes = new HashMap<>();
        for (UUID id : storeOnly) {
            String home = ids.contains(id) ? null : knownHome.apply(id);
            if (home != null) {
                homes.put(id, new Home(home, null));
            } else {
                ids.add(id);
            }
        }
        if (!ids.isEmpty()) {
            h.createQuery("""
                    SELECT m.id, m.home_store, m.tier FROM UNNEST(:ids) AS wanted(id) JOIN member m ON m.id = wanted.id""")
                    .bindArray("ids", UUID.class, List.copyOf(ids))
                    .map((rs, ctx) -> homes.put(rs.getObject(1, UUID.class), new Home(rs.getString(2), rs.getString(3))))
                    .list();
        }
        return homes;
    }

    /** The reason each redeemed coupon head office holds was issued for, by code, in one query. */
    private Map<String, String> issueReasons(Handle h) {
        Set<String> codes = new LinkedHashSet<>();
        for (Fact f : facts) {
            if (f instanceof CouponRedeemed c && c.code() != null) {
                codes.add(c.code());
            }
        }
        Map<String, String> reasons = new HashMap<>();
        if (!codes.isEmpty()) {
            h.createQuery("""
                    SELECT c.code, c.issued_by FROM UNNEST(:codes) AS wanted(code) JOIN coupon c ON c.code = wanted.code""")
                    .bindArray("codes", String.class, List.copyOf(codes))
                    .map((rs, ctx) -> reasons.put(rs.getString(1), issueReason(rs.getString(2))))
                    .list();
        }
        return reasons;
    }

    static LocalDate day(OffsetDateTime at, ZoneId zone) {
        return at.atZoneSameInstant(zone).toLocalDate();
    }

    /** A reason as reports group by it: a code of capitals and underscores (a trigger's or the counter's), else OTHER. */
    static String reason(String s) {
        return s != null && s.matches("[A-Z_]{1,20}") ? s : "OTHER";
    }

    /** Additive rows by key, in the order first seen. */
    static final class Sums {
        final Map<List<Object>, long[]> rows = new LinkedHashMap<>();

        long[] row(List<Object> key, int width) {
            return rows.computeIfAbsent(key, k -> new long[width]);
        }
    }

    /** The columns of report_store_day, in the order of the sums' arrays. */
    static final class StoreDay {
        static final int PURCHASES = 0;
        static final int AMOUNT = 1;
        static final int SALES = 2;
        static final int SALES_FEN = 3;
        static final int REFUNDS = 4;
        static final int REFUNDED = 5;
        static final int NEW_MEMBERS = 6;
        static final int COUPONS_ISSUED = 7;
        static final int COUPONS_REDEEMED = 8;
        static final int DISCOUNT = 9;
        static final int POINTS_ISSUED = 10;
        static final int POINTS_REDEEMED = 11;
        static final int POINTS_EXPIRED = 12;
        static final int SV_IN = 13;
        static final int SV_BONUS = 14;
        static final int SV_OUT = 15;
        static final int POINTS_BALANCE = 16;
        static final int SV_BALANCE = 17;
        static final int WIDTH = 18;
        static final List<String> COLUMNS = List.of("purchases", "amount_fen", "sales", "sales_fen", "refunds",
                "refunded_fen", "new_members", "coupons_issued", "coupons_redeemed", "discount_fen", "points_issued",
                "points_redeemed", "points_expired", "stored_value_in_fen", "stored_value_bonus_fen", "stored_value_out_fen",
                "points_balance", "stored_value_balance_fen");

        private StoreDay() {
        }
    }

    /** The columns of report_visit_day, in the order of {@link Visits#contribute}'s arrays. */
    static final class VisitDay {
        static final int VISITS = 0;
        static final int MULTI = 1;
        static final int FIRSTS = 2;
        static final int LASTS = 3;
        static final int ONLY_SINGLE = 4;
        static final int C2_OPEN = 5;
        static final int C2_CLOSE = 6;
        static final int C3_OPEN = 7;
        static final int C3_CLOSE = 8;
        /** The widths of the active-member windows, and where their start and end columns begin (start, end pairs). */
        static final int[] ACTIVE_DAYS = {30, 60, 90, 120, 365};
        static final int ACTIVE = 9;
        static final int WIDTH = 19;
        static final List<String> COLUMNS = List.of("visits", "multi", "firsts", "lasts", "only_single", "c2_open",
                "c2_close", "c3_open", "c3_close", "a30_start", "a30_end", "a60_start", "a60_end", "a90_start", "a90_end",
                "a120_start", "a120_end", "a365_start", "a365_end");

        private VisitDay() {
        }
    }

    /** New visit days per scope and member, in day order. */
    static final class Visits {
        final Map<List<Object>, TreeMap<Long, Integer>> added = new LinkedHashMap<>();

        void add(String scope, UUID member, long epochDay) {
            added.computeIfAbsent(List.of(scope, member), k -> new TreeMap<>()).merge(epochDay, 1, Integer::sum);
        }

        /** Applies the new visits to report_visit and returns what they change in report_visit_day. */
        Sums write(Handle h) {
            return VisitRows.apply(h, added);
        }
    }
}
