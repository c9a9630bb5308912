package dev.counterpoint.office.console;

import dev.counterpoint.office.report.Reports;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reports over a chosen period, from the KPI roll-ups ({@code report.Reports#stores}, as {@code GET /v1/reports/stores}
 * gives them; docs/kpis.md): each store's sales and members side by side with the chain's, members' activity and what
 * the chain owes, coupons by template; a chart of each day's sales (periods up to {@value #DAILY_CHART_DAYS} days) and
 * of the stores' amounts. A manager reports on their own store.
 */
public final class ReportsPage {
    /** Longest period whose days are charted one by one (each day is one read of the roll-ups). */
    static final int DAILY_CHART_DAYS = 92;

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

    public record Model(LocalDate from, LocalDate to, List<Quick> quick, String error, String dailyChart, String storeChart,
                        List<Table> tables) {
    }

    void routes(Javalin app, Console console) {
        app.get("/reports", this::show);
        console.exportable("report-stores", ctx -> stores(ctx, report(ctx, period(ctx))));
        console.exportable("report-members", ctx -> members(ctx, report(ctx, period(ctx))));
        console.exportable("report-coupons", ctx -> coupons(ctx, report(ctx, period(ctx))));
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

    private Reports.Report report(Context ctx, LocalDate[] period) {
        Viewer v = Web.viewer(ctx);
        return context.reports().stores(period[0], period[1], v.isOwner() ? Optional.empty() : Optional.of(v.storeId()));
    }

    private void show(Context ctx) {
        Texts t = Web.texts(ctx);
        LocalDate[] period;
        String error = null;
        try {
            period = period(ctx);
        } catch (ConsoleException e) {
            ctx.status(400);
            error = e.message(t);
            period = new LocalDate[] {today().minusDays(6), today()};
        }
        Reports.Report report = report(ctx, period);
        LocalDate today = today();
        List<Quick> quick = List.of(new Quick("console.reports.today", today, today),
                new Quick("console.reports.last7", today.minusDays(6), today),
                new Quick("console.reports.last30", today.minusDays(29), today),
                new Quick("console.reports.thisMonth", today.withDayOfMonth(1), today),
                new Quick("console.reports.lastMonth", today.withDayOfMonth(1).minusMonths(1), today.withDayOfMonth(1).minusDays(1)));
        List<Table> tables = List.of(stores(ctx, report), members(ctx, report), coupons(ctx, report));
        Web.render(ctx, "console/reports.jte", "page", Web.page(ctx, "reports"), "model", new Model(period[0], period[1], quick,
                error, dailyChart(ctx, period), storeChart(t, report), tables));
    }

    /** The stores and the chain, one row each. */
    private static List<Reports.Figures> rows(Reports.Report report) {
        List<Reports.Figures> rows = new ArrayList<>(report.stores());
        report.chain().filter(c -> report.stores().size() > 1).ifPresent(rows::add);
        return rows;
    }

    private static Table.Cell storeCell(Reports.Figures f, Texts t) {
        return "*".equals(f.storeId()) ? Table.Cell.of(t.text("console.today.chain")).styled("total") : Table.Cell.of(f.storeId());
    }

    private static String periodQuery(Reports.Report r) {
        return "from=" + r.from() + "&to=" + r.to();
    }

    Table stores(Context ctx, Reports.Report report) {
        Texts t = Web.texts(ctx);
        Table table = new Table("report-stores", "console.reports.stores").text("console.col.store")
                .numeric("console.col.purchases").numeric("console.col.amount").numeric("console.col.averageTicket")
                .numeric("console.col.members").numeric("console.col.repurchaseRate").numeric("console.col.newMembers")
                .numeric("console.col.couponsRedeemed").numeric("console.col.discount").numeric("console.col.pointsIssued")
                .numeric("console.col.pointsRedeemed").numeric("console.col.storedValueIn").numeric("console.col.storedValueOut")
                .exportQuery(periodQuery(report));
        for (Reports.Figures f : rows(report)) {
            table.row(storeCell(f, t), Table.Cell.number(f.purchases(), t), Table.Cell.money(f.amountFen(), t),
                    Table.Cell.money(f.averageTicketFen(), t), Table.Cell.number(f.members(), t), percent(f.repurchaseRate()),
                    Table.Cell.number(f.newMembers(), t), Table.Cell.number(f.couponsRedeemed(), t),
                    Table.Cell.money(f.discountFen(), t), Table.Cell.number(f.pointsIssued(), t),
                    Table.Cell.number(f.pointsRedeemed(), t), Table.Cell.money(f.storedValueInFen(), t),
                    Table.Cell.money(f.storedValueOutFen(), t));
        }
        return table;
    }

    Table members(Context ctx, Reports.Report report) {
        Texts t = Web.texts(ctx);
        Table table = new Table("report-members", "console.reports.members").text("console.col.store")
                .numeric("console.col.firstTimeBuyers").numeric("console.col.returningMembers")
                .numeric("console.col.active30").numeric("console.col.active90").numeric("console.col.churnRisk")
                .numeric("console.col.dormant").numeric("console.col.pointsLiability")
                .numeric("console.col.pointsLiabilityValue").numeric("console.col.storedValueLiability")
                .exportQuery(periodQuery(report));
        for (Reports.Figures f : rows(report)) {
            table.row(storeCell(f, t), Table.Cell.number(f.firstTimeBuyers(), t), Table.Cell.number(f.returningMembers(), t),
                    Table.Cell.number(f.activeMembers30d(), t), Table.Cell.number(f.activeMembers90d(), t),
                    Table.Cell.number(f.churnRiskMembers(), t), Table.Cell.number(f.dormantMembers(), t),
                    Table.Cell.number(f.pointsLiability(), t), Table.Cell.money(f.pointsLiabilityFen(), t),
                    Table.Cell.money(f.storedValueLiabilityFen(), t));
        }
        return table;
    }

    Table coupons(Context ctx, Reports.Report report) {
        Texts t = Web.texts(ctx);
        Table table = new Table("report-coupons", "console.reports.coupons").text("console.col.store")
                .text("console.col.template").numeric("console.col.issued").numeric("console.col.redeemedCount")
                .numeric("console.col.redemptionRate").numeric("console.col.discount").exportQuery(periodQuery(report));
        for (Reports.Figures f : rows(report)) {
            for (Reports.CouponLine c : f.couponTemplates()) {
                table.row(storeCell(f, t), Table.Cell.of(c.key()), Table.Cell.number(c.issued(), t),
                        Table.Cell.number(c.redeemed(), t), percent(c.redemptionRate()), Table.Cell.money(c.discountFen(), t));
            }
        }
        return table;
    }

    static Table.Cell percent(double rate) {
        BigDecimal p = BigDecimal.valueOf(rate * 100).setScale(1, RoundingMode.HALF_UP);
        return new Table.Cell(p.toPlainString() + " %", BigDecimal.valueOf(rate).setScale(4, RoundingMode.HALF_UP), null, null,
                null);
    }

    /** Each day's sales (before refunds), for the chain or the manager's store; none for a long period. */
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
            sales.add(Charts.yuan(f == null ? 0 : f.salesFen()));
        }
        Texts t = Web.texts(ctx);
        return Charts.of(context.json(), labels, List.of(new Charts.Series(t.text("console.col.salesTotal"), "line", sales)));
    }

    private String storeChart(Texts t, Reports.Report report) {
        if (report.stores().size() < 2) {
            return null;
        }
        return Charts.of(context.json(), report.stores().stream().map(Reports.Figures::storeId).toList(), List.of(
                new Charts.Series(t.text("console.col.amount"), "bar", report.stores().stream().map(f -> Charts.yuan(f.amountFen())).toList()),
                new Charts.Series(t.text("console.col.discount"), "bar", report.stores().stream().map(f -> Charts.yuan(f.discountFen())).toList())));
    }
}
