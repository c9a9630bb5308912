package dev.counterpoint.office.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.office.OfficeException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Exceptions: the conflicts head office decided that a person should look at (coupon claimed twice, overdrafts,
 * merges by phone, parked changes, refund conflicts, broken audit chains, adjustments that overdrew head office's
 * balance), each resolved with a note; who resolved it and when is kept with it. A manager sees the exceptions that
 * touch their store.
 */
public final class ExceptionsPage {
    static final List<String> KINDS = List.of("COUPON_CONFLICT", "POINTS_OVERDRAFT", "STORED_VALUE_OVERDRAFT", "MEMBER_MERGED",
            "CHANGE_PARKED", "REFUND_CONFLICT", "AUDIT_CHAIN_BROKEN", "ADJUSTMENT_OVERDRAFT");
    static final List<String> STATES = List.of("OPEN", "RESOLVED", "ALL");
    /** How each kind can be resolved: the buttons its page offers, the first being what head office's decision implies. */
    static final Map<String, List<String>> OUTCOMES = Map.of(
            "COUPON_CONFLICT", List.of("DECISION_STANDS", "SETTLED_WITH_STORE"),
            "POINTS_OVERDRAFT", List.of("MEMBER_PAID_BACK", "WRITTEN_OFF"),
            "STORED_VALUE_OVERDRAFT", List.of("MEMBER_PAID_BACK", "WRITTEN_OFF"),
            "MEMBER_MERGED", List.of("SAME_PERSON", "DIFFERENT_PEOPLE"),
            "CHANGE_PARKED", List.of("TERMINAL_FIXED", "NOTHING_TO_DO"),
            "REFUND_CONFLICT", List.of("SETTLED_WITH_STORE", "NOTHING_TO_DO"),
            "AUDIT_CHAIN_BROKEN", List.of("RESTORE_EXPLAINED", "REPORTED"),
            "ADJUSTMENT_OVERDRAFT", List.of("SETTLED_WITH_STORE", "WRITTEN_OFF"));
    private static final List<String> OTHER_OUTCOMES = List.of("RESOLVED");

    /** The outcomes a kind offers (an unknown kind: plainly resolved). */
    public static List<String> outcomes(String kind) {
        return OUTCOMES.getOrDefault(kind, OTHER_OUTCOMES);
    }

    private final ConsoleContext context;

    ExceptionsPage(ConsoleContext context) {
        this.context = context;
    }

    /** One exception as the pages show it. */
    public record Item(UUID id, String kind, String subject, String subjectCard, Map<String, String> detail, Set<String> stores,
                       String state, OffsetDateTime createdAt, OffsetDateTime updatedAt, String resolvedBy,
                       OffsetDateTime resolvedAt, String resolution, String note) {
    }

    /** {@code next}: the address of the following page, null on the last. */
    public record ListModel(String state, List<String> states, Table table, String next) {
    }

    public record DetailModel(Item item, String error) {
    }

    void routes(Javalin app, Console console) {
        app.get("/exceptions", this::list);
        app.get("/exceptions/{id}", ctx -> detail(ctx, null));
        app.post("/exceptions/{id}/resolve", this::resolve);
        console.exportable("exceptions", this::table);
    }

    private void list(Context ctx) {
        String state = state(ctx);
        ItemPage page = context.jdbi().withHandle(h -> items(h, Web.viewer(ctx), state, after(ctx)));
        Web.render(ctx, "console/exceptions.jte", "page", Web.page(ctx, "exceptions"),
                "model", new ListModel(state, STATES, table(ctx, page.items()),
                        page.next() == null ? null : "/exceptions?state=" + state + "&after=" + page.next()));
    }

    private static UUID after(Context ctx) {
        String after = Web.query(ctx, "after");
        if (after == null) {
            return null;
        }
        try {
            return UUID.fromString(after);
        } catch (IllegalArgumentException e) {
            throw new ConsoleException(400, "console.exceptions.badAfter", after);
        }
    }

    private static String state(Context ctx) {
        String s = Web.query(ctx, "state");
        if (s == null) {
            return "OPEN";
        }
        if (!STATES.contains(s)) {
            throw new ConsoleException(400, "console.exceptions.badState", s);
        }
        return s;
    }

    /** The export: every exception of the state the viewer may see, page after page (the list shows one at a time). */
    Table table(Context ctx) {
        String state = state(ctx);
        List<Item> all = new ArrayList<>();
        UUID after = after(ctx);
        do {
            UUID from = after;
            ItemPage page = context.jdbi().withHandle(h -> items(h, Web.viewer(ctx), state, from));
            all.addAll(page.items());
            after = page.next();
        } while (after != null);
        return table(ctx, all);
    }

    private Table table(Context ctx, List<Item> items) {
        Texts t = Web.texts(ctx);
        String state = state(ctx);
        Table table = new Table("exceptions", "console.exceptions.table").text("console.col.createdAt").text("console.col.kind")
                .text("console.col.subject").text("console.col.stores").text("console.col.detail").text("console.col.state")
                .text("console.col.resolvedBy").text("console.col.resolution").text("console.col.note")
                .actions("console.col.actions");
        table.exportQuery("state=" + state);
        for (Item i : items) {
            table.row(Table.Cell.of(t.time(i.createdAt())), Table.Cell.of(t.text("console.exception.kind." + i.kind())),
                    i.subjectCard() != null ? Table.Cell.link(i.subjectCard(), "/members/" + Web.encode(i.subjectCard()))
                            : Table.Cell.of(i.subject()),
                    Table.Cell.of(String.join(", ", i.stores())), Table.Cell.of(summary(i.detail())).styled("wrap"),
                    Table.Cell.of(t.text("console.exception.state." + i.state())).styled("OPEN".equals(i.state()) ? "warn" : "ok"),
                    Table.Cell.of(resolver(t, i)),
                    Table.Cell.of(i.resolution() == null ? "" : t.text("console.outcome." + i.resolution())), Table.Cell.of(i.note()),
                    Table.Cell.link(t.text("OPEN".equals(i.state()) ? "console.exceptions.resolve" : "console.exceptions.view"),
                            "/exceptions/" + i.id()).styled("action-link"));
        }
        return table;
    }

    public static String resolver(Texts t, Item i) {
        if (!"RESOLVED".equals(i.state())) {
            return "";
        }
        return i.resolvedBy() == null ? t.text("console.exceptions.byOffice", t.time(i.resolvedAt() == null ? i.updatedAt() : i.resolvedAt()))
                : t.text("console.exceptions.by", i.resolvedBy(), t.time(i.resolvedAt()));
    }

    static String summary(Map<String, String> detail) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : detail.entrySet()) {
            if (b.length() > 0) {
                b.append("; ");
            }
            b.append(e.getKey()).append(": ").append(e.getValue());
        }
        return b.toString();
    }

    private void detail(Context ctx, String error) {
        Item item = find(ctx);
        Web.render(ctx, "console/exception.jte", "page", Web.page(ctx, "exceptions", ctx.path()),
                "model", new DetailModel(item, error));
    }

    private Item find(Context ctx) {
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw new ConsoleException(404, "console.error.notFound");
        }
        Viewer v = Web.viewer(ctx);
        Item item = context.jdbi().withHandle(h -> read(h, "WHERE id = :id", Map.of("id", id)).stream().findFirst())
                .orElseThrow(() -> new ConsoleException(404, "console.error.notFound"));
        if (!v.isOwner() && !item.stores().contains(v.storeId())) {
            throw new ConsoleException(403, "console.error.notYours");
        }
        return item;
    }

    private void resolve(Context ctx) {
        Item item = find(ctx);
        Viewer v = Web.viewer(ctx);
        String note = Web.form(ctx, "note");
        String outcome = Web.form(ctx, "outcome");
        Texts t = Web.texts(ctx);
        if (outcome == null || !outcomes(item.kind()).contains(outcome)) {
            ctx.status(400);
            detail(ctx, t.text("console.exceptions.outcomeNeeded"));
            return;
        }
        if (note == null || note.length() > 500 || dev.counterpoint.protocol.Text.multilineProblem(note, 500).isPresent()) {
            ctx.status(400);
            detail(ctx, t.text("console.exceptions.noteNeeded"));
            return;
        }
        boolean resolved;
        try {
            resolved = context.owner().resolveException(item.id(), v.username(), outcome, note);
        } catch (OfficeException e) {
            ctx.status(e.status() == 409 ? 409 : 400);
            detail(ctx, t.text(e.status() == 409 ? "console.exceptions.cannotSplit" : "console.exceptions.noteNeeded"));
            return;
        }
        if (!resolved) {
            ctx.status(409);
            detail(ctx, t.text("console.exceptions.notOpen"));
            return;
        }
        context.audit().record(v.username(), ctx.ip(), "EXCEPTION_RESOLVED", item.kind() + " " + item.subject(),
                outcome + ": " + note);
        ctx.redirect("/exceptions", HttpStatus.SEE_OTHER);
    }

    /** Exceptions one console page lists; the next page follows the last one shown. */
    static final int PAGE = 200;

    /** The page of exceptions shown, and the id to go on after (null: it was the last). */
    record ItemPage(List<Item> items, UUID next) {
    }

    /**
     * The exceptions this viewer may see, oldest first, at most {@value #PAGE}, after the exception {@code after}
     * (null: from the first); {@code state} OPEN, RESOLVED or ALL. Rows are read a page at a time, so a long list
     * (a terminal's parked changes) costs no more than a page.
     */
    ItemPage items(Handle h, Viewer viewer, String state, UUID after) {
        List<Item> out = new ArrayList<>();
        UUID from = after;
        while (true) {
            List<String> where = new ArrayList<>();
            Map<String, Object> binds = new java.util.HashMap<>();
            if (!"ALL".equals(state)) {
                where.add("state = :state");
                binds.put("state", state);
            }
            if (from != null) {
                where.add("(created_at > (SELECT created_at FROM sync_exception WHERE id = :after)"
                        + " OR created_at = (SELECT created_at FROM sync_exception WHERE id = :after) AND id > :after)");
                binds.put("after", from);
            }
            List<Item> page = read(h, where.isEmpty() ? "" : "WHERE " + String.join(" AND ", where), binds, PAGE + 1);
            for (Item i : page.subList(0, Math.min(PAGE, page.size()))) {
                if (viewer.isOwner() || i.stores().contains(viewer.storeId())) {
                    if (out.size() == PAGE) {
                        return new ItemPage(out, out.get(PAGE - 1).id());
                    }
                    out.add(i);
                }
            }
            if (page.size() <= PAGE) {
                return new ItemPage(out, null);
            }
            from = page.get(PAGE - 1).id();
        }
    }

    private List<Item> read(Handle h, String where, Map<String, Object> binds) {
        return read(h, where, binds, Integer.MAX_VALUE);
    }

    private List<Item> read(Handle h, String where, Map<String, Object> binds, int limit) {
        record Row(UUID id, String kind, String subject, String detail, String state, OffsetDateTime created,
                   OffsetDateTime updated, String by, OffsetDateTime at, String resolution, String note) {
        }
        List<Row> rows = h.createQuery("""
                SELECT id, kind, subject, detail, state, created_at, updated_at, resolved_by, resolved_at, resolution,
                       resolution_note
                FROM sync_exception""" + " " + where + " ORDER BY created_at, id"
                + (limit == Integer.MAX_VALUE ? "" : " LIMIT " + limit)).bindMap(binds)
                .map((rs, ctx) -> new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getObject(6, OffsetDateTime.class), rs.getObject(7, OffsetDateTime.class),
                        rs.getString(8), rs.getObject(9, OffsetDateTime.class), rs.getString(10), rs.getString(11))).list();
        List<Item> items = new ArrayList<>();
        for (Row r : rows) {
            JsonNode detail = tree(r.detail());
            Map<String, String> flat = new java.util.LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = detail.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flat.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
            items.add(new Item(r.id(), r.kind(), r.subject(), memberCard(h, r.kind(), r.subject(), detail), flat,
                    stores(h, r.kind(), r.subject(), detail), r.state(), r.created(), r.updated(), r.by(), r.at(), r.resolution(),
                    r.note()));
        }
        return items;
    }

    /**
     * The card of the member an exception is about (overdrafts, merges; an adjustment's names its member in the detail),
     * for a link to the member's page.
     */
    private static String memberCard(Handle h, String kind, String subject, JsonNode detail) {
        if (kind.equals("ADJUSTMENT_OVERDRAFT")) {
            subject = detail.path("member_id").asText("");
        } else if (!kind.endsWith("_OVERDRAFT") && !kind.equals("MEMBER_MERGED")) {
            return null;
        }
        try {
            return h.createQuery("SELECT card_code FROM member WHERE id = :id").bind("id", UUID.fromString(subject))
                    .mapTo(String.class).findOne().orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The stores an exception touches: a terminal's (parked change, audit chain), a refund's, the stores that redeemed
     * a coupon, or the stores that keep a member's records (overdraft, merge).
     */
    static Set<String> stores(Handle h, String kind, String subject, JsonNode detail) {
        Set<String> out = new TreeSet<>();
        switch (kind) {
            case "CHANGE_PARKED", "AUDIT_CHAIN_BROKEN" -> {
                int slash = subject.indexOf('/');
                out.add(slash < 0 ? subject : subject.substring(0, slash));
            }
            case "REFUND_CONFLICT" -> {
                if (detail.hasNonNull("store_id")) {
                    out.add(detail.get("store_id").asText());
                }
            }
            case "ADJUSTMENT_OVERDRAFT" -> {
                if (detail.hasNonNull("store_id")) {
                    out.add(detail.get("store_id").asText());
                }
                if (detail.hasNonNull("member_id")) {
                    uuid(detail.get("member_id").asText()).ifPresent(m -> out.addAll(MemberScope.stores(h, m)));
                }
            }
            case "COUPON_CONFLICT" -> out.addAll(h.createQuery("SELECT DISTINCT store_id FROM coupon_redemption WHERE coupon_code = :c")
                    .bind("c", subject).mapTo(String.class).list());
            default -> {
                List<UUID> members = new ArrayList<>();
                uuid(subject).ifPresent(members::add);
                if (detail.hasNonNull("survivor_id")) {
                    uuid(detail.get("survivor_id").asText()).ifPresent(members::add);
                }
                for (UUID m : members) {
                    out.addAll(MemberScope.stores(h, m));
                }
            }
        }
        return out;
    }

    private static Optional<UUID> uuid(String s) {
        try {
            return Optional.of(UUID.fromString(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private JsonNode tree(String body) {
        try {
            return context.json().readTree(body);
        } catch (IOException e) {
            return context.json().createObjectNode();
        }
    }
}
