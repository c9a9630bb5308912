package dev.counterpoint.office.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.counterpoint.office.report.Reports;

/**
 * Today, the landing page: the chain's business day so far from the KPI roll-ups ({@code report.Reports#today}): per
 * store its sales (count, and total after the voids and refunds made today, as the Reports page's amounts), those voids
 * and refunds (count and amount), members served, new members, coupons redeemed and their discount, points issued
 * and redeemed, stored value in and out, and the chain's totals; then per store its terminals, how many are online, the
 * last sync, the events still to come, and whether today is closed at each terminal and confirmed (head office holds
 * the events the close covered: the digest matches); then each terminal. It refreshes itself every 30 seconds (htmx),
 * and works without script as well.
 */
public final class TodayPage {
    static final int REFRESH_SECONDS = 30;

    private final ConsoleContext context;

    TodayPage(ConsoleContext context) {
        this.context = context;
    }

    /** A headline figure: its label's key and the figure as shown. */
    public record Tile(String key, String value) {
    }

    public record Model(LocalDate day, OffsetDateTime at, List<Tile> tiles, String chart, List<Table> tables,
                        int refreshSeconds) {
    }

    void routes(Javalin app, Console console) {
        app.get("/", ctx -> Web.render(ctx, "console/today.jte", "page", Web.page(ctx, "today", "/"), "model", model(ctx)));
        app.get("/today/tables", ctx -> Web.render(ctx, "console/todayTables.jte", "page", Web.page(ctx, "today", "/"),
                "model", model(ctx)));
        console.exportable("today-sales", ctx -> sales(ctx, today(ctx)));
        console.exportable("today-stores", ctx -> stores(ctx, states(ctx)));
        console.exportable("today-terminals", ctx -> terminals(ctx, states(ctx)));
    }

    private Model model(Context ctx) {
        List<TerminalStates.State> states = states(ctx);
        Reports.Today today = today(ctx);
        Texts t = Web.texts(ctx);
        Reports.DayFigures whole = today.chain().orElseGet(() -> today.stores().isEmpty() ? null : today.stores().get(0));
        List<Tile> tiles = whole == null ? List.of() : List.of(
                new Tile("console.today.salesTotal", t.money(netFen(whole))),
                new Tile("console.today.salesCount", t.number(whole.sales())),
                new Tile("console.today.refunds", t.text("console.today.refundsValue", t.number(whole.refunds()),
                        t.money(whole.refundedFen()))),
                new Tile("console.today.membersServed", t.number(whole.membersServed())),
                new Tile("console.today.newMembers", t.number(whole.newMembers())));
        String chart = today.stores().size() < 2 ? null : Charts.of(context.json(),
                today.stores().stream().map(Reports.DayFigures::storeId).toList(),
                List.of(new Charts.Series(t.text("console.col.salesNet"), "bar",
                        today.stores().stream().map(d -> Charts.yuan(netFen(d))).toList())));
        return new Model(today.day(), OffsetDateTime.now(context.clock()), tiles, chart,
                List.of(sales(ctx, today), stores(ctx, states), terminals(ctx, states)), REFRESH_SECONDS);
    }

    /** Today's figures so far: every store's for an owner, with the chain's; a manager's store's alone. */
    private Reports.Today today(Context ctx) {
        Viewer v = Web.viewer(ctx);
        return context.reports().today(v.isOwner() ? Optional.empty() : Optional.of(v.storeId()));
    }

    /**
     * Sales less the voids and refunds made the same day, whichever day's sale they took back: the Reports page's rule
     * for its amounts (docs/kpis.md), so a sale voided by mistake leaves nothing behind.
     */
    static long netFen(Reports.DayFigures d) {
        return d.salesFen() - d.refundedFen();
    }

    /** Per store: sales, voids and refunds, members served, new members, coupons, points, stored value; and the chain's totals. */
    Table sales(Context ctx, Reports.Today today) {
        Texts t = Web.texts(ctx);
        Table table = new Table("today-sales", "console.today.sales").text("console.col.store")
                .numeric("console.col.salesCount").numeric("console.col.salesNet").numeric("console.col.refunds")
                .numeric("console.col.refunded").numeric("console.col.membersServed")
                .numeric("console.col.newMembers").numeric("console.col.couponsRedeemed").numeric("console.col.discount")
                .numeric("console.col.pointsIssued").numeric("console.col.pointsRedeemed")
                .numeric("console.col.storedValueIn").numeric("console.col.storedValueOut");
        today.stores().forEach(d -> table.row(daySales(Table.Cell.of(d.storeId()), d, t)));
        today.chain().filter(c -> today.stores().size() > 1)
                .ifPresent(c -> table.row(daySales(Table.Cell.of(t.text("console.today.chain")).styled("total"), c, t)));
        return table;
    }

    private static Table.Cell[] daySales(Table.Cell first, Reports.DayFigures d, Texts t) {
        return new Table.Cell[] {first, Table.Cell.number(d.sales(), t), Table.Cell.money(netFen(d), t),
                Table.Cell.number(d.refunds(), t), Table.Cell.money(d.refundedFen(), t),
                Table.Cell.number(d.membersServed(), t), Table.Cell.number(d.newMembers(), t),
                Table.Cell.number(d.couponsRedeemed(), t), Table.Cell.money(d.discountFen(), t),
                Table.Cell.number(d.pointsIssued(), t), Table.Cell.number(d.pointsRedeemed(), t),
                Table.Cell.money(d.storedValueInFen(), t), Table.Cell.money(d.storedValueOutFen(), t)};
    }

    private List<TerminalStates.State> states(Context ctx) {
        LocalDate day = OffsetDateTime.now(context.clock()).atZoneSameInstant(context.zone()).toLocalDate();
        return context.jdbi().withHandle(h -> TerminalStates.list(h, Web.viewer(ctx), day, context.json()));
    }

    /** Per store: terminals in use, online, last sync, events to come, today closed and confirmed; and the chain's total. */
    Table stores(Context ctx, List<TerminalStates.State> states) {
        Texts t = Web.texts(ctx);
        OffsetDateTime now = OffsetDateTime.now(context.clock());
        Table table = new Table("today-stores", "console.today.stores").text("console.col.store")
                .numeric("console.col.terminals").numeric("console.col.onlineCount").text("console.col.lastSync")
                .numeric("console.col.eventsPending").numeric("console.col.closedCount").numeric("console.col.confirmedCount");
        Map<String, List<TerminalStates.State>> byStore = new LinkedHashMap<>();
        for (TerminalStates.State s : states) {
            if ("ACTIVE".equals(s.status())) {
                byStore.computeIfAbsent(s.storeId(), k -> new ArrayList<>()).add(s);
            }
        }
        Totals chain = new Totals();
        for (Map.Entry<String, List<TerminalStates.State>> e : byStore.entrySet()) {
            Totals store = new Totals();
            e.getValue().forEach(s -> {
                store.add(s, now);
                chain.add(s, now);
            });
            table.row(store.cells(Table.Cell.of(e.getKey()), t));
        }
        if (Web.viewer(ctx).isOwner() && byStore.size() > 1) {
            table.row(chain.cells(Table.Cell.of(t.text("console.today.chain")).styled("total"), t));
        }
        return table;
    }

    private static final class Totals {
        int terminals;
        int online;
        long pending;
        boolean pendingKnown;
        int closed;
        int confirmed;
        OffsetDateTime lastSync;

        void add(TerminalStates.State s, OffsetDateTime now) {
            terminals++;
            online += s.online(now) ? 1 : 0;
            if (s.eventsPending() != null) {
                pending += s.eventsPending();
                pendingKnown = true;
            }
            closed += s.close() != TerminalStates.Close.OPEN ? 1 : 0;
            confirmed += s.close() == TerminalStates.Close.CONFIRMED ? 1 : 0;
            if (s.lastSync() != null && (lastSync == null || s.lastSync().isAfter(lastSync))) {
                lastSync = s.lastSync();
            }
        }

        Table.Cell[] cells(Table.Cell first, Texts t) {
            return new Table.Cell[] {first, Table.Cell.number(terminals, t),
                    Table.Cell.number(online, t).styled(online == terminals ? "ok" : "warn"), Table.Cell.of(t.time(lastSync)),
                    pendingKnown ? Table.Cell.number(pending, t) : Table.Cell.of("—"),
                    Table.Cell.number(closed, t), Table.Cell.number(confirmed, t).styled(confirmed == terminals ? "ok" : null)};
        }
    }

    /** Each terminal in use: online, last sync, events to come, and how today's close stands. */
    Table terminals(Context ctx, List<TerminalStates.State> states) {
        Texts t = Web.texts(ctx);
        OffsetDateTime now = OffsetDateTime.now(context.clock());
        Table table = new Table("today-terminals", "console.today.terminals").text("console.col.store")
                .text("console.col.terminal").text("console.col.online").text("console.col.lastSync")
                .numeric("console.col.eventsPending").text("console.col.dayClose");
        for (TerminalStates.State s : states) {
            if (!"ACTIVE".equals(s.status())) {
                continue;
            }
            boolean online = s.online(now);
            table.row(Table.Cell.of(s.storeId()), Table.Cell.of(s.terminalId()),
                    Table.Cell.of(t.text(online ? "console.online" : "console.offline")).styled(online ? "ok" : "muted"),
                    Table.Cell.of(t.time(s.lastSync())),
                    s.eventsPending() == null ? Table.Cell.of("—") : Table.Cell.number(s.eventsPending(), t),
                    Table.Cell.of(t.text("console.close." + s.close())).styled(switch (s.close()) {
                        case CONFIRMED -> "ok";
                        case DIGEST_DIFFERS -> "bad";
                        case CLOSED_UNCONFIRMED -> "warn";
                        case OPEN -> "muted";
                    }));
        }
        return table;
    }
}
