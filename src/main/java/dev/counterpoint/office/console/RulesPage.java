package dev.counterpoint.office.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.office.OfficeException;
import dev.counterpoint.shared.UserMessage;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Rules: the rule set in force for the chain, an editor whose text is checked exactly as a terminal would read it
 * ({@code loyalty.RuleSetRepository} and its validator, as {@code POST /v1/rule-sets} does), the changes against the
 * set in force field by field, and publishing (an owner's), which goes through the same publishing as the API.
 * A manager sees the rules and may check a draft but not publish.
 */
public final class RulesPage {
    private static final int MAX_BODY = 64 * 1024;

    private final ConsoleContext context;
    private final RuleSetRepository reader;

    RulesPage(ConsoleContext context) {
        this.context = context;
        this.reader = new RuleSetRepository(context.json());
    }

    /** The set in force: its version, where it came from (null: built into every terminal) and its text. */
    public record InForce(int version, OffsetDateTime publishedAt, String body) {
    }

    /** A field that a draft changes: its path, the value in force and the draft's (null: absent). */
    public record Change(String field, String before, String after) {
    }

    /**
     * @param draft the editor's text
     * @param problems what a terminal would refuse in the draft (empty when it was not checked or is clean)
     * @param changes the draft against the set in force, when checked and clean
     * @param checked whether the draft was checked and found clean: only then may it be published
     */
    public record Model(InForce inForce, Table fields, String draft, List<String> problems, List<Change> changes,
                        boolean checked, boolean mayPublish, String message) {
    }

    void routes(Javalin app, Console console) {
        app.get("/rules", ctx -> {
            InForce in = inForce();
            String message = "1".equals(ctx.queryParam("published")) ? Web.texts(ctx).text("console.rules.published", in.version()) : null;
            show(ctx, nextDraft(in), List.of(), null, message);
        });
        app.post("/rules/check", this::check);
        app.post("/rules/publish", this::publish);
        console.exportable("rules", this::fields);
    }

    private void show(Context ctx, String draft, List<String> problems, List<Change> changes, String message) {
        Web.render(ctx, "console/rules.jte", "page", Web.page(ctx, "rules", "/rules"), "model",
                new Model(inForce(), fields(ctx), draft, problems, changes, changes != null && problems.isEmpty(),
                        Web.viewer(ctx).isOwner(), message));
    }

    private void check(Context ctx) {
        String draft = draft(ctx);
        List<String> problems = problems(ctx, draft);
        show(ctx, draft, problems, problems.isEmpty() ? diff(inForce().body(), draft) : null, null);
    }

    private void publish(Context ctx) {
        Viewer v = Web.viewer(ctx);
        if (!v.isOwner()) {
            throw new ConsoleException(403, "console.rules.ownersOnly");
        }
        String draft = draft(ctx);
        List<String> problems = problems(ctx, draft);
        if (!problems.isEmpty()) {
            ctx.status(400);
            show(ctx, draft, problems, null, null);
            return;
        }
        int version;
        try {
            version = context.owner().publishRuleSet(context.json().readTree(draft));
        } catch (OfficeException | JsonProcessingException e) {
            ctx.status(e instanceof OfficeException o ? o.status() : 400);
            show(ctx, draft, List.of(Web.texts(ctx).text("console.rules.notPublished", e.getMessage())), null, null);
            return;
        }
        context.audit().record(v.username(), ctx.ip(), "RULES_PUBLISHED", "version " + version, null);
        ctx.redirect("/rules?published=1", HttpStatus.SEE_OTHER);
    }

    private static String draft(Context ctx) {
        String body = ctx.formParam("body");
        if (body == null || body.isBlank()) {
            throw new ConsoleException(400, "console.rules.empty");
        }
        if (body.length() > MAX_BODY) {
            throw new ConsoleException(413, "console.rules.tooLong");
        }
        return body;
    }

    /** What a terminal would refuse in the draft, in the page's language; a version not above the latest as well. */
    private List<String> problems(Context ctx, String draft) {
        Texts t = Web.texts(ctx);
        RuleSetRepository.Parsed parsed = reader.parse(draft);
        List<String> out = new ArrayList<>();
        for (UserMessage p : parsed.problems()) {
            out.add(p.format(t.locale()));
        }
        if (parsed.valid() && parsed.ruleSet().version() <= highestVersion()) {
            out.add(t.text("console.rules.versionTooLow", parsed.ruleSet().version(), highestVersion()));
        }
        return out;
    }

    private int highestVersion() {
        return context.jdbi().withHandle(h -> h.createQuery("""
                SELECT GREATEST((SELECT COALESCE(MAX(version), 0) FROM rule_set),
                                (SELECT COALESCE(MAX(version), 0) FROM builtin_rule_set))""").mapTo(Integer.class).one());
    }

    /** The latest published set, else the highest built into every terminal. */
    InForce inForce() {
        return context.jdbi().withHandle(h -> h.createQuery("""
                SELECT version, published_at, body FROM rule_set ORDER BY version DESC LIMIT 1""")
                .map((rs, c) -> new InForce(rs.getInt(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3))).findOne()
                .orElseGet(() -> h.createQuery("SELECT version, body FROM builtin_rule_set ORDER BY version DESC LIMIT 1")
                        .map((rs, c) -> new InForce(rs.getInt(1), null, rs.getString(2))).one()));
    }

    /** The set in force as the editor starts: pretty, its version one above the latest. */
    private String nextDraft(InForce in) {
        try {
            JsonNode tree = context.json().readTree(in.body());
            if (tree instanceof ObjectNode o) {
                o.put("version", highestVersion() + 1);
            }
            return context.json().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            return in.body();
        }
    }

    /** The set in force, field by field. */
    Table fields(Context ctx) {
        InForce in = inForce();
        Table table = new Table("rules", "console.rules.fields").text("console.col.field").text("console.col.value");
        flatten(tree(in.body())).forEach((field, value) -> table.row(Table.Cell.of(field), Table.Cell.of(value)));
        return table;
    }

    /** Field-by-field changes from {@code before} to {@code after}, in field order. */
    List<Change> diff(String before, String after) {
        Map<String, String> a = flatten(tree(before));
        Map<String, String> b = flatten(tree(after));
        List<Change> out = new ArrayList<>();
        for (String field : new TreeSet<>(union(a, b))) {
            String x = a.get(field);
            String y = b.get(field);
            if (x == null ? y != null : !x.equals(y)) {
                out.add(new Change(field, x, y));
            }
        }
        return out;
    }

    private static java.util.Set<String> union(Map<String, String> a, Map<String, String> b) {
        java.util.Set<String> s = new TreeSet<>(a.keySet());
        s.addAll(b.keySet());
        return s;
    }

    private JsonNode tree(String body) {
        try {
            return context.json().readTree(body);
        } catch (JsonProcessingException e) {
            return context.json().createObjectNode();
        }
    }

    /** "earnPermille.GOLD" → "1500", "topUpBonuses[0].bonusFen" → "5000". */
    static Map<String, String> flatten(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        flatten("", node, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), out);
            }
            if (node.isEmpty()) {
                out.put(prefix, "[]");
            }
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }
}
