package dev.counterpoint.office.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Terminals: each with its state and last sync; a new one added (its one-time registration code shown once, as
 * {@code office add-terminal} prints it; {@code office.Registrations}) and one revoked. A manager sees and manages
 * their own store's terminals only.
 */
public final class TerminalsPage {
    private final ConsoleContext context;

    TerminalsPage(ConsoleContext context) {
        this.context = context;
    }

    /** A code just made, shown once. */
    public record NewCode(String storeId, String terminalId, String code) {
    }

    /** The page's model. */
    public record Model(Table terminals, String storeField, NewCode code, String message, String error) {
    }

    void routes(Javalin app, Console console) {
        app.get("/terminals", ctx -> show(ctx, null, null, null));
        app.post("/terminals/add", this::add);
        app.post("/terminals/revoke", this::revoke);
        console.exportable("terminals", this::table);
    }

    private void show(Context ctx, NewCode code, String message, String error) {
        Viewer v = Web.viewer(ctx);
        Web.render(ctx, "console/terminals.jte", "page", Web.page(ctx, "terminals", "/terminals"),
                "model", new Model(table(ctx), v.isOwner() ? null : v.storeId(), code, message, error));
    }

    Table table(Context ctx) {
        Texts t = Web.texts(ctx);
        Viewer v = Web.viewer(ctx);
        OffsetDateTime now = OffsetDateTime.now(context.clock());
        LocalDate today = now.atZoneSameInstant(context.zone()).toLocalDate();
        List<TerminalStates.State> states = context.jdbi().withHandle(h -> TerminalStates.list(h, v, today, context.json()));
        Table table = new Table("terminals", "console.terminals.table")
                .text("console.col.store").text("console.col.terminal").text("console.col.status").text("console.col.online")
                .text("console.col.registeredAt").text("console.col.lastSync").numeric("console.col.eventsReceived")
                .numeric("console.col.eventsPending").actions("console.col.actions");
        for (TerminalStates.State s : states) {
            boolean online = s.online(now);
            table.row(Table.Cell.of(s.storeId()), Table.Cell.of(s.terminalId()),
                    Table.Cell.of(t.text("console.terminal.status." + s.status())).styled("state-" + s.status().toLowerCase()),
                    Table.Cell.of(t.text(online ? "console.online" : "console.offline")).styled(online ? "ok" : "muted"),
                    Table.Cell.of(t.time(s.registeredAt())), Table.Cell.of(t.time(s.lastSync())),
                    Table.Cell.number(s.eventsReceived(), t),
                    s.eventsPending() == null ? Table.Cell.of("—") : Table.Cell.number(s.eventsPending(), t),
                    "REVOKED".equals(s.status()) ? Table.Cell.empty() : Table.Cell.button(new Table.Action("/terminals/revoke",
                            java.util.Map.of("store", s.storeId(), "terminal", s.terminalId()), "console.terminals.revoke",
                            t.text("console.terminals.revokeConfirm", s.storeId() + "/" + s.terminalId()))));
        }
        return table;
    }

    private void add(Context ctx) {
        Viewer v = Web.viewer(ctx);
        String store = v.isOwner() ? Web.form(ctx, "store") : v.storeId();
        String terminal = Web.form(ctx, "terminal");
        Texts t = Web.texts(ctx);
        if (store == null || terminal == null || !store.matches(ConsoleUsers.STORE_PATTERN)
                || !terminal.matches(ConsoleUsers.STORE_PATTERN)) {
            ctx.status(400);
            show(ctx, null, null, t.text("console.terminals.badIds"));
            return;
        }
        Web.requireStore(v, store);
        String code = context.registrations().addTerminal(store, terminal);
        context.audit().record(v.username(), ctx.ip(), "TERMINAL_ADDED", store + "/" + terminal, null);
        show(ctx, new NewCode(store, terminal, code), null, null);
    }

    private void revoke(Context ctx) {
        Viewer v = Web.viewer(ctx);
        String store = Web.form(ctx, "store");
        String terminal = Web.form(ctx, "terminal");
        if (store == null || terminal == null) {
            throw new ConsoleException(400, "console.terminals.badIds");
        }
        Web.requireStore(v, store);
        Texts t = Web.texts(ctx);
        if (!context.registrations().revoke(store, terminal)) {
            ctx.status(404);
            show(ctx, null, null, t.text("console.terminals.unknown", store + "/" + terminal));
            return;
        }
        context.audit().record(v.username(), ctx.ip(), "TERMINAL_REVOKED", store + "/" + terminal, null);
        show(ctx, null, t.text("console.terminals.revoked", store + "/" + terminal), null);
    }
}
