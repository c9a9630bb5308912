package dev.counterpoint.office.console;

import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.office.report.Reports;
import dev.counterpoint.protocol.Tier;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Reports over a chosen period, from the KPI roll-ups ({@code report.Reports#stores}, as {@code GET /v1/reports/stores}
 * gives them; docs/kpis.md): the stores side by side (a chart of one KPI, chosen with {@code kpi}, and a table sorted
 * by any column with {@code sort} and {@code dir}), members' activity, points and stored value, members by tier at the
 * period's end and the tier changes in it, coupons by the reason they were issued for and by template; a chart of each
 * day's sales (periods up to {@value #DAILY_CHART_DAYS} days). A manager reports on their own store.
 */
public final class ReportsPage {
    /** Longest period whose days are charted one by one (each day is one read of the roll-ups). */
    static final int DAILY_CHART_DAYS = 92;
    /** Rows a per-template, per-reason or per-move table shows (the chain's first); its export holds every row. */
    static final int PAGE_ROWS = 120;
    /**
     * The reasons coupons count under that the console names: an issue's (the occasions, MANUAL, CAMPAIGN), a
     * counter's offer for a coupon head office did not hold, OTHER and UNKNOWN (docs/kpis.md).
     */
    static final List<String> REASONS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of(dev.counterpoint.protocol.ReasonCode.values()).map(Enum::name),
            java.util.stream.Stream.of("MANUAL", "CAMPAIGN", "OTHER", "UNKNOWN")).toList();
    private static final String[] TIER_COLOURS = {"#8aa4bd", "#9ea7b3", "#d4a72c", "#5b8def"};

    private final ConsoleContext context;

    ReportsPage(ConsoleContext context) {
        this.context = context;
    }

    /** A ready-made period: its label's key and its days. */
    public record Quick(String key, LocalDate from, LocalDate to) {
        public String href() {
            return "/reports?from=" + from + "&to=" + to;
        }
    }

    /** A KPI the stores are compared by: its label's key, the link that shows it, whether it is shown. */
    public record KpiTab(String key, String href, boolean current) {
    }

    /**
     * The page: the period, the stores compared by one KPI ({@code compareChart} null for a single store), the tables
     * in their order, and the charts of tiers and coupons for the chain (a manager: their store; null when there is
     * nothing to draw).
     */
    public record Model(LocalDate from, LocalDate to, List<Quick> quick, String error, String dailyChart,
                        List<KpiTab> kpis, String compareTitle, String compareChart, Table stores, Table members,
                        Table balances, String scope, String tierChart, String moveChart, Table tiers, Table moves,
                        String reasonChart, String templateChart, Table reasons, Table templates) {
    }

    /**
     * The KPIs the stores are compared by in the chart. A rate or an average is drawn beside the chain's own figure;
     * a sum beside the stores' average.
     */
    enum Kpi {
        amount("console.col.amount", Charts.Unit.YUAN, false),
        averageTicket("console.col.averageTicket", Charts.Unit.YUAN, true),
        repurchaseRate("console.col.repurchaseRate", Charts.Unit.PERCENT, true),
        active30("console.col.active30", Charts.Unit.COUNT, false),
        redemptionRate("console.col.redemptionRate", Charts.Unit.PERCENT, true);

        final String key;
        final Charts.Unit unit;
        final boolean chainReference;

        Kpi(String key, Charts.Unit unit, boolean chainReference) {
            this.key = key;
            this.unit = unit;
            this.chainReference = chainReference;
        }

        Number value(Reports.Figures f) {
            return switch (this) {
                case amount -> Charts.yuan(f.amountFen());
                case averageTicket -> Charts.yuan(f.averageTicketFen());
                case repurchaseRate -> Charts.percent(f.repurchaseRate());
                case active30 -> f.activeMembers30d();
                case redemptionRate -> Charts.percent(f.redemptionRate());
            };
        }
    }

    /** What the stores table sorts by, by column name (a column's key's last part). */
    private static final Map<String, ToDoubleFunction<Reports.Figures>> SORTS = new LinkedHashMap<>();

    static {
        SORTS.put("purchases", Reports.Figures::purchases);
        SORTS.put("amount", Reports.Figures::amountFen);
        SORTS.put("averageTicket", Reports.Figures::averageTicketFen);
        SORTS.put("members", Reports.Figures::members);
        SORTS.put("repurchaseRate", Reports.Figures::repurchaseRate);
        SORTS.put("active30", Reports.Figures::activeMembers30d);
        SORTS.put("newMembers", Reports.Figures::newMembers);
        SORTS.put("couponsRedeemed", Reports.Figures::couponsRedeemed);
        SORTS.put("redemptionRate", Reports.Figures::redemptionRate);
        SORTS.put("discount", Reports.Figures::discountFen);
    }

    /** How the stores are sorted: by a column's name, and which way. */
    record Sort(String by, boolean descending) {
        static final Sort DEFAULT = new Sort("store", false);

        Comparator<Reports.Figures> comparator() {
            Comparator<Reports.Figures> byStore = Comparator.comparing(Reports.Figures::storeId);
            if (by.equals("store")) {
                return descending ? byStore.reversed() : byStore;
            }
            Comparator<Reports.Figures> byValue = Comparator.comparingDouble(SORTS.get(by));
            return (descending ? byValue.reversed() : byValue).thenComparing(byStore);
        }

        String query() {
            return "sort=" + by + "&dir=" + (descending ? "desc" : "asc");
        }
    }

    void routes(Javalin app, Console console) {
        app.get("/reports", this::show);
        console.exportable("report-stores", ctx -> stores(ctx, report(ctx, period(ctx)), sort(ctx)));
        console.exportable("report-members", ctx -> members(ctx, report(ctx, period(ctx))));
        console.exportable("report-balances", ctx -> balances(ctx, report(ctx, period(ctx))));
        console.exportable("report-tiers", ctx -> tiers(ctx, report(ctx, period(ctx))));
        console.exportable("report-tier-moves", ctx -> moves(ctx, report(ctx, period(ctx))));
        console.exportable("report-coupon-reasons", ctx -> reasons(ctx, report(ctx, period(ctx))));
        console.exportable("report-coupons", ctx -> templates(ctx, report(ctx, period(ctx))));
    }

    private LocalDate today() {
        return OffsetDateTime.now(context.clock()).atZoneSameInstant(context.zone()).toLocalDate();
    }

    /** The period asked for (from, to), by default the last seven days; refused (400) as the API refuses it. */
    private LocalDate[] period(Context ctx) {
        String from = Web.query(ctx, "from");
        String to = Web.query(ctx, "to");
        if (from == null && to == null) {
            return new LocalDate[] {today().minusDays(6), today()};
        }
        try {
            return Reports.period(from, to);
        } catch (IllegalArgumentException e) {
            throw new ConsoleException(400, "console.reports.badPeriod", e.getMessage());
        }
    }

    /** The stores table's order: {@code sort} a column's name, {@code dir} asc or desc; refused (400) otherwise. */
    static Sort sort(Context ctx) {
        String by = Web.query(ctx, "sort");
        String dir = Web.query(ctx, "dir");
        if (by == null && dir == null) {
            return Sort.DEFAULT;
        }
        if (by == null) {
            by = Sort.DEFAULT.by();
        }
        if (!by.equals("store") && !SORTS.containsKey(by)) {
            throw new ConsoleException(400, "console.reports.badSort", by.length() > 40 ? by.substring(0, 40) + "…" : by);
        }
        if (dir != null && !dir.equals("asc") && !dir.equals("desc")) {
            throw new ConsoleException(400, "console.reports.badDirection");
        }
        return new Sort(by, dir == null ? !by.equals("store") : dir.equals("desc"));
    }

    /** The KPI the stores are compared by: {@code kpi}, by default the amount; refused (400) when it is none of them. */
    static Kpi kpi(Context ctx) {
        String name = Web.query(ctx, "kpi");
        if (name == null) {
            return Kpi.amount;
        }
        for (Kpi k : Kpi.values()) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        throw new ConsoleException(400, "console.reports.badKpi", name.length() > 40 ? name.substring(0, 40) + "…" : name);
    }

    private Reports.Report report(Context ctx, LocalDate[] period) {
        Viewer v = Web.viewer(ctx);
        return context.reports().stores(period[0], period[1], v.isOwner() ? Optional.empty() : Optional.of(v.storeId()));
    }

    private void show(Context ctx) {
        Texts t = Web.texts(ctx);
        LocalDate[] period;
        List<String> errors = new ArrayList<>();
        try {
            period = period(ctx);
        } catch (ConsoleException e) {
            errors.add(e.message(t));
            period = new LocalDate[] {today().minusDays(6), today()};
        }
        Sort sort = Sort.DEFAULT;
        try {
            sort = sort(ctx);
        } catch (ConsoleException e) {
            errors.add(e.message(t));
        }
        Kpi kpi = Kpi.amount;
        try {
            kpi = kpi(ctx);
        } catch (ConsoleException e) {
            errors.add(e.message(t));
        }
        if (!errors.isEmpty()) {
            ctx.status(400);
        }
        Reports.Report report = report(ctx, period);
        LocalDate today = today();
        List<Quick> quick = List.of(new Quick("console.reports.today", today, today),
                new Quick("console.reports.last7", today.minusDays(6), today),
                new Quick("console.reports.last30", today.minusDays(29), today),
                new Quick("console.reports.thisMonth", today.withDayOfMonth(1), today),
                new Quick("console.reports.lastMonth", today.withDayOfMonth(1).minusMonths(1), today.withDayOfMonth(1).minusDays(1)));
        String base = "/reports?from=" + period[0] + "&to=" + period[1];
        List<KpiTab> kpis = new ArrayList<>();
        for (Kpi k : Kpi.values()) {
            kpis.add(new KpiTab(k.key, base + "&" + sort.query() + "&kpi=" + k.name() + "#compare", k == kpi));
        }
        Reports.Figures whole = whole(report);
        String scope = whole == null ? "" : storeName(whole, t);
        Web.render(ctx, "console/reports.jte", "page", Web.page(ctx, "reports"), "model", new Model(period[0], period[1],
                quick, errors.isEmpty() ? null : String.join(" ", errors), dailyChart(ctx, period), kpis,
                t.text("console.reports.compareChart", t.text(kpi.key)), compareChart(t, report, kpi),
                stores(ctx, report, sort).sortLinks(base + "&kpi=" + kpi.name() + "&", sort.by(), sort.descending(),
                        "table-report-stores"),
                members(ctx, report), balances(ctx, report), scope, tierChart(t, whole), moveChart(t, whole),
                tiers(ctx, report), moves(ctx, report), couponChart(t, whole, true), couponChart(t, whole, false),
                reasons(ctx, report), templates(ctx, report)));
    }

    /** The chain's figures, or the one store's a manager sees; null for a chain without stores. */
    private static Reports.Figures whole(Reports.Report report) {
        return report.chain().orElseGet(() -> report.stores().isEmpty() ? null : report.stores().get(0));
    }

    /** The stores and the chain, one row each. */
    private static List<Reports.Figures> rows(Reports.Report report) {
        List<Reports.Figures> rows = new ArrayList<>(report.stores());
        report.chain().filter(c -> report.stores().size() > 1).ifPresent(rows::add);
        return rows;
    }

    /** The chain (when the report has it for more than one store) and then each store, for tables of several lines each. */
    private static List<Reports.Figures> chainFirst(Reports.Report report) {
        List<Reports.Figures> rows = new ArrayList<>();
        report.chain().filter(c -> report.stores().size() > 1).ifPresent(rows::add);
        rows.addAll(report.stores());
        return rows;
    }

    private static boolean isChain(Reports.Figures f) {
        return "*".equals(f.storeId());
    }

    private static String storeName(Reports.Figures f, Texts t) {
        return isChain(f) ? t.text("console.today.chain") : f.storeId();
    }

    private static Table.Cell storeCell(Reports.Figures f, Texts t) {
        return isChain(f) ? Table.Cell.of(t.text("console.today.chain")).styled("total") : Table.Cell.of(f.storeId());
    }

    private static String periodQuery(Reports.Report r) {
        return "from=" + r.from() + "&to=" + r.to();
    }

    Table stores(Context ctx, Reports.Report report, Sort sort) {
        Texts t = Web.texts(ctx);
        Table table = new Table("report-stores", "console.reports.stores").text("console.col.store")
                .numeric("console.col.purchases").numeric("console.col.amount").numeric("console.col.averageTicket")
                .numeric("console.col.members").numeric("console.col.repurchaseRate").numeric("console.col.active30")
                .numeric("console.col.newMembers").numeric("console.col.couponsRedeemed")
                .numeric("console.col.redemptionRate").numeric("console.col.discount")
                .exportQuery(periodQuery(report) + "&" + sort.query());
        List<Reports.Figures> stores = new ArrayList<>(report.stores());
        stores.sort(sort.comparator());
        report.chain().filter(c -> report.stores().size() > 1).ifPresent(stores::add); // the total stays last
        for (Reports.Figures f : stores) {
            table.row(storeCell(f, t), Table.Cell.number(f.purchases(), t), Table.Cell.money(f.amountFen(), t),
                    Table.Cell.money(f.averageTicketFen(), t), Table.Cell.number(f.members(), t), percent(f.repurchaseRate()),
                    Table.Cell.number(f.activeMembers30d(), t), Table.Cell.number(f.newMembers(), t),
                    Table.Cell.number(f.couponsRedeemed(), t), percent(f.redemptionRate()), Table.Cell.money(f.discountFen(), t));
        }
        return table;
    }

    Table members(Context ctx, Reports.Report report) {
        Texts t = Web.texts(ctx);
        Table table = new Table("report-members", "console.reports.members").text("console.col.store")
                .numeric("console.col.firstTimeBuyers").numeric("console.col.returningMembers")
                .numeric("console.col.active30").numeric("console.col.active90").numeric("console.col.churnRisk")
                .numeric("console.col.dormant").exportQuery(periodQuery(report));
        for (Reports.Figures f : rows(report)) {
            table.row(storeCell(f, t), Table.Cell.number(f.firstTimeBuyers(), t), Table.Cell.number(f.returningMembers(), t),
                    Table.Cell.number(f.activeMembers30d(), t), Table.Cell.number(f.activeMembers90d(), t),
                    Table.Cell.number(f.churnRiskMembers(), t), Table.Cell.number(f.dormantMembers(), t));
        }
        return table;
    }

    Table balances(Context ctx, Reports.Report report) {
        Texts t = Web.texts(ctx);
        Table table = new Table("report-balances", "console.reports.balances").text("console.col.store")
                .numeric("console.col.pointsIssued").numeric("console.col.pointsRedeemed")
                .numeric("console.col.pointsLiability").numeric("console.col.pointsLiabilityValue")
                .numeric("console.col.storedValueIn").numeric("console.col.storedValueOut")
                .numeric("console.col.storedValueLiability").exportQuery(periodQuery(report));
        for (Reports.Figures f : rows(report)) {
            table.row(storeCell(f, t), Table.Cell.number(f.pointsIssued(), t), Table.Cell.number(f.pointsRedeemed(), t),
                    Table.Cell.number(f.pointsLiability(), t), Table.Cell.money(f.pointsLiabilityFen(), t),
                    Table.Cell.money(f.storedValueInFen(), t), Table.Cell.money(f.storedValueOutFen(), t),
                    Table.Cell.money(f.storedValueLiabilityFen(), t));
        }
        return table;
    }

    /** Members per tier at the end of the period's last day, and the moves up and down in the period. */
    Table tiers(Context ctx, Reports.Report report) {
        Texts t = Web.texts(ctx);
        Table table = new Table("report-tiers", "console.reports.tiers").text("console.col.store");
        for (Tier tier : Tier.values()) {
            table.numeric(tier.messageKey());
        }
        table.numeric("console.col.tierMembers").numeric("console.col.upgrades").numeric("console.col.downgrades")
                .exportQuery(periodQuery(report));
        for (Reports.Figures f : rows(report)) {
            List<Table.Cell> cells = new ArrayList<>();
            cells.add(storeCell(f, t));
            for (Tier tier : Tier.values()) {
                cells.add(Table.Cell.number(f.tiers().getOrDefault(tier, 0L), t));
            }
            cells.add(Table.Cell.number(f.tierMembers(), t));
            cells.add(Table.Cell.number(f.tierUpgrades(), t));
            cells.add(Table.Cell.number(f.tierDowngrades(), t));
            table.row(cells.toArray(Table.Cell[]::new));
        }
        return table;
    }

    /** Each from → to move in the period, the chain's first, then each store's. */
    Table moves(Context ctx, Reports.Report report) {
        Texts t = Web.texts(ctx);
        Table table = new Table("report-tier-moves", "console.reports.tierMoves").text("console.col.store")
                .text("console.col.fromTier").text("console.col.toTier").text("console.col.move")
                .numeric("console.col.movedMembers").exportQuery(periodQuery(report)).pageRows(PAGE_ROWS);
        for (Reports.Figures f : chainFirst(report)) {
            for (Reports.TierMove m : f.tierMoves()) {
                table.row(storeCell(f, t), Table.Cell.of(t.text(m.from().messageKey())), Table.Cell.of(t.text(m.to().messageKey())),
                        Table.Cell.of(t.text(m.upgrade() ? "console.reports.upgrade" : "console.reports.downgrade"))
                                .styled(m.upgrade() ? "ok" : "bad"),
                        Table.Cell.number(m.members(), t));
            }
        }
        return table;
    }

    Table reasons(Context ctx, Reports.Report report) {
        Texts t = Web.texts(ctx);
        return couponTable(t, report, "report-coupon-reasons", "console.reports.couponReasons", "console.col.reason",
                Reports.Figures::couponReasons, key -> reasonName(t, key));
    }

    Table templates(Context ctx, Reports.Report report) {
        Texts t = Web.texts(ctx);
        Map<String, String> names = templateNames(t, chainFirst(report));
        return couponTable(t, report, "report-coupons", "console.reports.coupons", "console.col.template",
                Reports.Figures::couponTemplates, key -> names.getOrDefault(key, key));
    }

    private static Table couponTable(Texts t, Reports.Report report, String id, String title, String keyColumn,
                                     Function<Reports.Figures, List<Reports.CouponLine>> lines, Function<String, String> name) {
        Table table = new Table(id, title).text("console.col.store").text(keyColumn).numeric("console.col.issued")
                .numeric("console.col.redeemedCount").numeric("console.col.redemptionRate").numeric("console.col.discount")
                .exportQuery(periodQuery(report)).pageRows(PAGE_ROWS);
        for (Reports.Figures f : chainFirst(report)) {
            for (Reports.CouponLine c : busiestFirst(lines.apply(f))) {
                table.row(storeCell(f, t), Table.Cell.of(name.apply(c.key())), Table.Cell.number(c.issued(), t),
                        Table.Cell.number(c.redeemed(), t), c.issued() == 0 ? NO_RATE : percent(c.redemptionRate()),
                        Table.Cell.money(c.discountFen(), t));
            }
        }
        return table;
    }

    /** No rate: nothing was issued in the period (an export leaves the cell empty). */
    private static final Table.Cell NO_RATE = new Table.Cell("—", null, null, "muted", null);

    /** Coupon lines with the most issued first, then the most redeemed, then by name. */
    private static List<Reports.CouponLine> busiestFirst(List<Reports.CouponLine> lines) {
        return lines.stream().sorted(Comparator.comparingLong(Reports.CouponLine::issued).reversed()
                .thenComparing(Comparator.comparingLong(Reports.CouponLine::redeemed).reversed())
                .thenComparing(Reports.CouponLine::key)).toList();
    }

    /** A reason's name in the reader's language; a code the console has no words for, as it is. */
    static String reasonName(Texts t, String code) {
        return t.textOr("console.reason." + code, code);
    }

    /** The templates' names in the reader's language, by id (an id head office has no template for stays an id). */
    private Map<String, String> templateNames(Texts t, List<Reports.Figures> figures) {
        List<String> ids = new ArrayList<>();
        figures.forEach(f -> f.couponTemplates().forEach(c -> {
            if (!ids.contains(c.key())) {
                ids.add(c.key());
            }
        }));
        Map<String, String> names = new HashMap<>();
        if (!ids.isEmpty()) {
            CouponRepository templates = new CouponRepository();
            context.jdbi().useHandle(h -> {
                for (String id : ids) {
                    templates.template(h, id).map(c -> c.name(t.locale())).ifPresent(n -> names.put(id, n));
                }
            });
        }
        return names;
    }

    static Table.Cell percent(double rate) {
        BigDecimal p = BigDecimal.valueOf(rate * 100).setScale(1, RoundingMode.HALF_UP);
        return new Table.Cell(p.toPlainString() + " %", BigDecimal.valueOf(rate).setScale(4, RoundingMode.HALF_UP), null, null,
                null);
    }

    /**
     * Each day's sales after the voids and refunds made that day (the page's amounts' rule), for the chain or the manager's
     * store; none for a long period.
     */
    private String dailyChart(Context ctx, LocalDate[] period) {
        long days = ChronoUnit.DAYS.between(period[0], period[1]) + 1;
        if (days < 2 || days > DAILY_CHART_DAYS) {
            return null;
        }
        Viewer v = Web.viewer(ctx);
        Optional<String> only = v.isOwner() ? Optional.empty() : Optional.of(v.storeId());
        List<String> labels = new ArrayList<>();
        List<BigDecimal> sales = new ArrayList<>();
        for (LocalDate d = period[0]; !d.isAfter(period[1]); d = d.plusDays(1)) {
            Reports.Today day = context.reports().day(d, only);
            Reports.DayFigures f = day.chain().orElseGet(() -> day.stores().isEmpty() ? null : day.stores().get(0));
            labels.add(d.toString().substring(5));
            sales.add(Charts.yuan(f == null ? 0 : TodayPage.netFen(f)));
        }
        Texts t = Web.texts(ctx);
        return Charts.of(context.json(), labels, List.of(new Charts.Series(t.text("console.col.salesNet"), "line", sales)));
    }

    /**
     * The stores by one KPI, highest first, beside the chain's figure (a rate, an average) or the stores' average (a
     * sum); none for a single store.
     */
    private String compareChart(Texts t, Reports.Report report, Kpi kpi) {
        if (report.stores().size() < 2) {
            return null;
        }
        List<Reports.Figures> stores = new ArrayList<>(report.stores());
        stores.sort(Comparator.comparingDouble((Reports.Figures f) -> kpi.value(f).doubleValue()).reversed()
                .thenComparing(Reports.Figures::storeId));
        List<Number> values = stores.stream().map(kpi::value).toList();
        Charts.Bars bars = new Charts.Bars(stores.stream().map(Reports.Figures::storeId).toList()).axis(kpi.unit).labels()
                .scroll().series(t.text(kpi.key), "bar", values, 0, null, null)
                .itemLabels(values.stream().map(v -> shown(t, kpi, v)).toList());
        if (kpi.unit == Charts.Unit.PERCENT) {
            bars.max(0, percentAxisTop(values));
        }
        Optional<Reports.Figures> chain = report.chain();
        if (kpi.chainReference && chain.isPresent()) {
            Number value = kpi.value(chain.get());
            bars.reference(t.text("console.today.chain"), value, t.text("console.today.chain") + "\n" + shown(t, kpi, value));
        } else {
            double mean = values.stream().mapToDouble(Number::doubleValue).average().orElse(0);
            BigDecimal average = BigDecimal.valueOf(mean).setScale(kpi.unit == Charts.Unit.COUNT ? 0 : kpi.unit
                    == Charts.Unit.PERCENT ? 1 : 2, RoundingMode.HALF_UP);
            String name = t.text("console.reports.storeAverage");
            bars.reference(name, average, name + "\n" + shown(t, kpi, average));
        }
        return bars.json(context.json());
    }

    /** The top of a percentage axis: 100 %, or the next hundred above a rate past it (a store redeeming others' coupons). */
    private static long percentAxisTop(List<Number> rates) {
        double top = rates.stream().filter(java.util.Objects::nonNull).mapToDouble(Number::doubleValue).max().orElse(0);
        return Math.max(100, (long) Math.ceil(top / 100) * 100);
    }

    /** A KPI's value as the tables write it: ¥ with two decimals, a percentage, a count. */
    private static String shown(Texts t, Kpi kpi, Number value) {
        return switch (kpi.unit) {
            case YUAN -> t.money(((BigDecimal) value).movePointRight(2).longValue());
            case PERCENT -> value + " %";
            case COUNT -> t.number(value.longValue());
        };
    }

    /** Members by tier at the period's end, for the chain or the manager's store; none without members. */
    private String tierChart(Texts t, Reports.Figures f) {
        if (f == null || f.tierMembers() == 0) {
            return null;
        }
        List<String> names = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            names.add(t.text(tier.messageKey()));
            counts.add(f.tiers().getOrDefault(tier, 0L));
        }
        return Charts.ring(context.json(), names, counts, List.of(TIER_COLOURS));
    }

    /** The period's moves from one tier to another, upgrades and downgrades apart; none without moves. */
    private String moveChart(Texts t, Reports.Figures f) {
        if (f == null || f.tierMoves().isEmpty()) {
            return null;
        }
        List<String> labels = new ArrayList<>();
        List<Long> up = new ArrayList<>();
        List<Long> down = new ArrayList<>();
        for (Reports.TierMove m : f.tierMoves()) {
            labels.add(t.text(m.from().messageKey()) + " → " + t.text(m.to().messageKey()));
            up.add(m.upgrade() ? m.members() : null);
            down.add(m.upgrade() ? null : m.members());
        }
        return new Charts.Bars(labels).axis(Charts.Unit.COUNT).labels()
                .series(t.text("console.reports.upgrades"), "bar", up, 0, "moves", Charts.UP)
                .series(t.text("console.reports.downgrades"), "bar", down, 0, "moves", Charts.DOWN)
                .json(context.json());
    }

    /** Coupons issued and redeemed (bars) and the rate (a line, right axis), by reason or by template; none without any. */
    private String couponChart(Texts t, Reports.Figures f, boolean byReason) {
        if (f == null) {
            return null;
        }
        List<Reports.CouponLine> lines = busiestFirst(byReason ? f.couponReasons() : f.couponTemplates());
        if (lines.isEmpty()) {
            return null;
        }
        Map<String, String> names = byReason ? Map.of() : templateNames(t, List.of(f));
        List<String> labels = lines.stream().map(c -> byReason ? reasonName(t, c.key()) : names.getOrDefault(c.key(), c.key()))
                .toList();
        List<Number> rates = lines.stream().map(c -> c.issued() == 0 ? null : (Number) Charts.percent(c.redemptionRate()))
                .toList();
        return new Charts.Bars(labels).axis(Charts.Unit.COUNT).axis(Charts.Unit.PERCENT).wrapLabels(84)
                .max(1, percentAxisTop(rates))
                .series(t.text("console.col.issued"), "bar", lines.stream().map(Reports.CouponLine::issued).toList(), 0, null, null)
                .series(t.text("console.col.redeemedCount"), "bar", lines.stream().map(Reports.CouponLine::redeemed).toList(), 0,
                        null, null)
                .series(t.text("console.col.redemptionRate"), "line", rates, 1, null, null)
                .json(context.json());
    }
}
