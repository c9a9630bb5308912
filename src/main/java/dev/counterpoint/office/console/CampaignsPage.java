package dev.counterpoint.office.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.counterpoint.loyalty.SegmentTag;
import dev.counterpoint.office.Campaigns;
import dev.counterpoint.office.OfficeException;
import dev.counterpoint.protocol.TagName;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.Money;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Campaigns: the list with each campaign's figures, a form that previews how many members a segment selects before
 * anything is issued and then issues through the same service as {@code POST /v1/campaigns}, and a campaign's results
 * (figures, each store's redemptions, a chart). The chain's own: a store's manager is refused (403).
 */
public final class CampaignsPage {
    private final ConsoleContext context;
    private final Campaigns campaigns;

    /** How many of the chain's custom tags the form names as a hint. */
    static final int TAGS_SHOWN = 30;

    CampaignsPage(ConsoleContext context) {
        this.context = context;
        this.campaigns = new Campaigns(context.jdbi(), context.clock(), context.json(), context.zone());
    }

    /** The form as typed: every field kept as text, so a refused form comes back as it was. */
    public record Form(String name, String title, String titleEn, String kind, String amount, String percent, String maxOff,
                       String minSpend, String validDays, List<String> tags, List<String> tiers, String homeStores,
                       String storesVisited, String visitFrom, String visitTo, String daysMin, String daysMax,
                       String birthdayMonth, String pointsMin, String pointsMax, String category, String requestKey,
                       String customTags) {
        static Form empty() {
            return new Form("", "", "", "amount", "", "", "", "", "14", List.of(), List.of(), "", "", "", "", "", "", "", "",
                    "", "", ConsoleSessions.random(), "");
        }

        public boolean hasTag(String tag) {
            return tags.contains(tag);
        }

        public boolean hasTier(String tier) {
            return tiers.contains(tier);
        }
    }

    /**
     * @param heldByNone the custom tags the previewed segment names that no member holds (valid; they select no one)
     * @param tagsInUse  the chain's custom tags that some member holds, for the form's hint
     */
    public record Model(Table list, Form form, Long previewCount, String error, List<String> tagNames, List<String> tierNames,
                        List<String> heldByNone, List<String> tagsInUse) {
    }

    public record Results(Map<String, Object> figures, String coupon, Table summary, Table stores, String chart) {
    }

    void routes(Javalin app, Console console) {
        app.get("/campaigns", ctx -> show(ctx, Form.empty(), null, null));
        app.post("/campaigns/preview", this::preview);
        app.post("/campaigns/create", this::create);
        app.get("/campaigns/{id}", this::results);
        console.exportable("campaigns", this::list);
        console.exportable("campaign", ctx -> summary(ctx, figures(ctx, Web.query(ctx, "id"))));
        console.exportable("campaign-stores", ctx -> stores(ctx, figures(ctx, Web.query(ctx, "id"))));
    }

    private static void ownerOnly(Context ctx) {
        if (!Web.viewer(ctx).isOwner()) {
            throw new ConsoleException(403, "console.campaigns.ownersOnly");
        }
    }

    private void show(Context ctx, Form form, Long count, String error) {
        show(ctx, form, count, error, List.of());
    }

    private void show(Context ctx, Form form, Long count, String error, List<String> heldByNone) {
        ownerOnly(ctx);
        Web.render(ctx, "console/campaigns.jte", "page", Web.page(ctx, "campaigns", "/campaigns"), "model",
                new Model(list(ctx), form, count, error,
                        Arrays.stream(SegmentTag.values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList(),
                        Arrays.stream(Tier.values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList(), heldByNone,
                        campaigns.tagsInUse(TAGS_SHOWN)));
    }

    Table list(Context ctx) {
        ownerOnly(ctx);
        Texts t = Web.texts(ctx);
        Table table = new Table("campaigns", "console.campaigns.list").text("console.col.campaign")
                .text("console.col.started").numeric("console.col.reached").numeric("console.col.redeemedCount")
                .numeric("console.col.redemptionRate").numeric("console.col.discount")
                .numeric("console.col.redeemedSales").numeric("console.col.returnSales");
        for (Map<String, Object> c : campaigns.list()) {
            table.row(Table.Cell.link((String) c.get("name"), "/campaigns/" + c.get("campaign_id")),
                    Table.Cell.of(t.time(OffsetDateTime.parse((String) c.get("created_at")))),
                    Table.Cell.number((Long) c.get("members"), t), Table.Cell.number((Long) c.get("redeemed"), t),
                    ReportsPage.percent((Double) c.get("redemption_rate")), Table.Cell.money((Long) c.get("discount_fen"), t),
                    Table.Cell.money((Long) c.get("redeemed_sales_fen"), t),
                    Table.Cell.money((Long) c.get("return_sales_fen"), t));
        }
        return table;
    }

    /** Counts the members the form's segment selects; nothing is issued. A form that is refused comes back as typed. */
    private void preview(Context ctx) {
        ownerOnly(ctx);
        Form form = form(ctx);
        Campaigns.Preview preview;
        try {
            preview = campaigns.preview(segment(form, Web.texts(ctx)));
        } catch (OfficeException | ConsoleException e) {
            refused(ctx, form, e, "console.campaigns.notCounted");
            return;
        }
        show(ctx, form, preview.members(), null, preview.tagsHeldByNone());
    }

    /** Issues through the same service as {@code POST /v1/campaigns}, the form's key making a second click harmless. */
    private void create(Context ctx) {
        ownerOnly(ctx);
        Form form = form(ctx);
        Campaigns.Created created;
        try {
            ObjectNode request = request(form, Web.texts(ctx));
            // The page offers no Issue button for a segment of no one; a form sent anyway (an old page, a member who
            // left the segment since it was counted) is refused the same way, not made an empty campaign.
            if (campaigns.preview(request.get("segment")).members() == 0) {
                throw new ConsoleException(422, "console.campaigns.noneToIssue");
            }
            created = campaigns.create(request, "console-" + form.requestKey(),
                    "console:" + Web.viewer(ctx).username());
        } catch (OfficeException | ConsoleException e) {
            refused(ctx, form, e, "console.campaigns.refused");
            return;
        }
        if (!created.replayed()) {
            context.audit().record(Web.viewer(ctx).username(), ctx.ip(), "CAMPAIGN_CREATED", created.campaignId().toString(),
                    form.name() + ": " + created.members());
        }
        ctx.redirect("/campaigns/" + created.campaignId(), HttpStatus.SEE_OTHER);
    }

    /**
     * The form again, with why it was refused in the page's language around head office's own words, after what did
     * not happen ({@code outcome}: nothing counted, or nothing issued).
     */
    private void refused(Context ctx, Form form, RuntimeException e, String outcome) {
        Texts t = Web.texts(ctx);
        String why;
        if (e instanceof ConsoleException c) {
            ctx.status(c.status());
            why = c.message(t);
        } else {
            OfficeException o = (OfficeException) e;
            ctx.status(o.status());
            why = o.status() == 409 ? t.text("console.campaigns.formUsed") : o.getMessage();
        }
        show(ctx, form, null, t.text(outcome, why));
    }

    /** The request {@code POST /v1/campaigns} takes, from the form; amounts typed in yuan go as fen. */
    private ObjectNode request(Form form, Texts t) {
        if (form.name().isBlank()) {
            throw new ConsoleException(400, "console.campaigns.needed", t.text("console.campaigns.name"));
        }
        if (form.title().isBlank()) {
            throw new ConsoleException(400, "console.campaigns.needed", t.text("console.campaigns.title"));
        }
        ObjectNode request = context.json().createObjectNode();
        request.put("name", form.name());
        ObjectNode coupon = request.putObject("coupon");
        coupon.put("title", form.title());
        if (!form.titleEn().isBlank()) {
            coupon.put("title_en", form.titleEn());
        }
        if ("percent".equals(form.kind())) {
            coupon.set("percent_off", number(t, form.percent(), "console.campaigns.percent"));
            coupon.set("max_off_fen", fen(t, form.maxOff(), "console.campaigns.maxOff"));
        } else {
            coupon.set("amount_off_fen", fen(t, form.amount(), "console.campaigns.amount"));
        }
        if (!form.minSpend().isBlank()) {
            coupon.set("min_spend_fen", fen(t, form.minSpend(), "console.campaigns.minSpend"));
        }
        coupon.set("valid_days", number(t, form.validDays(), "console.campaigns.validDays"));
        request.set("segment", segment(form, t));
        return request;
    }

    private void results(Context ctx) {
        ownerOnly(ctx);
        Map<String, Object> f = figures(ctx, ctx.pathParam("id"));
        Texts t = Web.texts(ctx);
        Table summary = summary(ctx, f);
        Table stores = stores(ctx, f);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> by = (List<Map<String, Object>>) f.get("by_store");
        String chart = by.isEmpty() ? null : Charts.of(context.json(), by.stream().map(s -> (String) s.get("store_id")).toList(),
                List.of(new Charts.Series(t.text("console.col.redeemedSales"), "bar",
                                by.stream().map(s -> Charts.yuan((Long) s.get("redeemed_sales_fen"))).toList()),
                        new Charts.Series(t.text("console.col.discount"), "bar",
                                by.stream().map(s -> Charts.yuan((Long) s.get("discount_fen"))).toList())));
        Web.render(ctx, "console/campaign.jte", "page", Web.page(ctx, "campaigns"), "model",
                new Results(f, coupon(t, f), summary, stores, chart));
    }

    /** What the coupon gives, as a cashier would say it: "¥10.00 off, on ¥50.00 or more, for 14 days". */
    private static String coupon(Texts t, Map<String, Object> f) {
        if (!(f.get("coupon") instanceof Map<?, ?> c)) {
            return "";
        }
        String title = String.valueOf("zh-CN".equals(t.tag()) ? c.get("name_zh") : c.get("name_en"));
        String off = c.get("amount_off_fen") instanceof Number a ? t.text("console.campaigns.amountOff", t.money(a.longValue()))
                : t.text("console.campaigns.percentOff", c.get("percent_off"),
                        t.money(((Number) c.get("max_off_fen")).longValue()));
        long min = ((Number) c.get("min_spend_fen")).longValue();
        return t.text("console.campaigns.couponSays", title, off, min == 0 ? t.text("console.campaigns.noMinimum")
                : t.text("console.campaigns.minimum", t.money(min)), c.get("valid_days"));
    }

    private Map<String, Object> figures(Context ctx, String id) {
        ownerOnly(ctx);
        UUID uuid;
        try {
            uuid = UUID.fromString(id == null ? "" : id);
        } catch (IllegalArgumentException e) {
            throw new ConsoleException(404, "console.error.notFound");
        }
        return campaigns.figures(uuid).orElseThrow(() -> new ConsoleException(404, "console.error.notFound"));
    }

    /** The campaign's figures, one to a row. */
    Table summary(Context ctx, Map<String, Object> f) {
        Texts t = Web.texts(ctx);
        Table summary = new Table("campaign", "console.campaigns.figures").text("console.col.field").numeric("console.col.value")
                .exportQuery("id=" + f.get("campaign_id"));
        summary.row(Table.Cell.of(t.text("console.col.reached")), Table.Cell.number((Long) f.get("members"), t));
        summary.row(Table.Cell.of(t.text("console.col.issued")), Table.Cell.number((Long) f.get("issued"), t));
        summary.row(Table.Cell.of(t.text("console.col.redeemedCount")), Table.Cell.number((Long) f.get("redeemed"), t));
        summary.row(Table.Cell.of(t.text("console.col.redemptionRate")), ReportsPage.percent((Double) f.get("redemption_rate")));
        summary.row(Table.Cell.of(t.text("console.col.redeemers")), Table.Cell.number((Long) f.get("redeemers"), t));
        summary.row(Table.Cell.of(t.text("console.col.discount")), Table.Cell.money((Long) f.get("discount_fen"), t));
        summary.row(Table.Cell.of(t.text("console.col.redeemedSales")), Table.Cell.money((Long) f.get("redeemed_sales_fen"), t));
        summary.row(Table.Cell.of(t.text("console.col.returnSales")), Table.Cell.money((Long) f.get("return_sales_fen"), t));
        return summary;
    }

    Table stores(Context ctx, Map<String, Object> f) {
        Texts t = Web.texts(ctx);
        Table table = new Table("campaign-stores", "console.campaigns.byStore").text("console.col.store")
                .numeric("console.col.redeemedCount").numeric("console.col.discount").numeric("console.col.redeemedSales")
                .exportQuery("id=" + f.get("campaign_id"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> by = (List<Map<String, Object>>) f.get("by_store");
        for (Map<String, Object> s : by) {
            table.row(Table.Cell.of((String) s.get("store_id")), Table.Cell.number((Long) s.get("redeemed"), t),
                    Table.Cell.money((Long) s.get("discount_fen"), t), Table.Cell.money((Long) s.get("redeemed_sales_fen"), t));
        }
        return table;
    }

    private static Form form(Context ctx) {
        return new Form(text(ctx, "name"), text(ctx, "title"), text(ctx, "title_en"),
                "percent".equals(ctx.formParam("kind")) ? "percent" : "amount", text(ctx, "amount"), text(ctx, "percent"),
                text(ctx, "max_off"), text(ctx, "min_spend"), text(ctx, "valid_days"), ctx.formParams("tags"),
                ctx.formParams("tiers"), text(ctx, "home_stores"), text(ctx, "stores_visited"), text(ctx, "visit_from"),
                text(ctx, "visit_to"), text(ctx, "days_min"), text(ctx, "days_max"), text(ctx, "birthday_month"),
                text(ctx, "points_min"), text(ctx, "points_max"), text(ctx, "category"),
                Optional.ofNullable(Web.form(ctx, "request_key")).filter(k -> k.matches("[A-Za-z0-9_-]{1,64}"))
                        .orElse(ConsoleSessions.random()), text(ctx, "custom_tags"));
    }

    private static String text(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v.strip();
    }

    /**
     * The form's segment as the API takes it: each field filled in, and only those. What the API checks (ranges, a
     * range's ends in order, store ids) it checks, with its words; the form checks only that numbers are numbers.
     */
    private JsonNode segment(Form f, Texts t) {
        ObjectNode s = context.json().createObjectNode();
        // Custom tags are typed, separated by commas (Chinese or Latin); they go in the same list as the automatic ones.
        List<String> custom = Arrays.stream(f.customTags().split("[,，、]")).map(String::strip).filter(x -> !x.isEmpty())
                .toList();
        // The API would take an automatic tag's name here as that automatic tag, unticked above: say where it belongs.
        // A name that can be no tag is refused here too, in the viewer's language rather than the API's.
        for (String c : custom) {
            if (TagName.isAutomatic(c)) {
                throw new ConsoleException(400, "console.campaigns.customIsAutomatic", c,
                        t.text("tag." + c.toUpperCase(Locale.ROOT)));
            }
            if (TagName.problem(TagName.normalise(c)).isPresent()) {
                throw new ConsoleException(400, "console.campaigns.customInvalid", c, TagName.MAX_LENGTH);
            }
        }
        if (!f.tags().isEmpty() || !custom.isEmpty()) {
            ArrayNode a = s.putArray("tags");
            f.tags().forEach(a::add);
            custom.forEach(a::add);
        }
        if (!f.tiers().isEmpty()) {
            ArrayNode a = s.putArray("tiers");
            f.tiers().forEach(a::add);
        }
        stores(s, "home_stores", f.homeStores());
        stores(s, "stores_visited", f.storesVisited());
        optional(s, "last_visit_from", f.visitFrom());
        optional(s, "last_visit_to", f.visitTo());
        optionalNumber(t, s, "last_visit_days_min", f.daysMin(), "console.campaigns.daysMin");
        optionalNumber(t, s, "last_visit_days_max", f.daysMax(), "console.campaigns.daysMax");
        optionalNumber(t, s, "birthday_month", f.birthdayMonth(), "console.campaigns.birthdayMonth");
        optionalNumber(t, s, "points_min", f.pointsMin(), "console.campaigns.pointsMin");
        optionalNumber(t, s, "points_max", f.pointsMax(), "console.campaigns.pointsMax");
        optional(s, "category", f.category());
        return s;
    }

    private static void optional(ObjectNode s, String field, String typed) {
        if (!typed.isBlank()) {
            s.put(field, typed);
        }
    }

    private void optionalNumber(Texts t, ObjectNode s, String field, String typed, String labelKey) {
        if (!typed.isBlank()) {
            s.set(field, number(t, typed, labelKey));
        }
    }

    private static void stores(ObjectNode s, String field, String typed) {
        List<String> ids = new ArrayList<>();
        for (String part : typed.split("[,，、\\s]+")) {
            if (!part.isBlank()) {
                ids.add(part.strip());
            }
        }
        if (!ids.isEmpty()) {
            ArrayNode a = s.putArray(field);
            ids.forEach(a::add);
        }
    }

    /** A whole number typed in the field labelled {@code labelKey}; 400 naming the field otherwise. */
    private JsonNode number(Texts t, String typed, String labelKey) {
        if (typed.isBlank()) {
            throw new ConsoleException(400, "console.campaigns.needed", t.text(labelKey));
        }
        try {
            return context.json().getNodeFactory().numberNode(Long.parseLong(typed.strip()));
        } catch (NumberFormatException e) {
            throw new ConsoleException(400, "console.campaigns.notWhole", t.text(labelKey), typed);
        }
    }

    /** An amount typed in yuan ("12", "12.50", "¥12.5"), as fen; 400 naming the field otherwise. */
    private JsonNode fen(Texts t, String yuan, String labelKey) {
        if (yuan.isBlank()) {
            throw new ConsoleException(400, "console.campaigns.needed", t.text(labelKey));
        }
        return context.json().getNodeFactory().numberNode(Money.parseYuan(yuan).orElseThrow(
                () -> new ConsoleException(400, "console.campaigns.notYuan", t.text(labelKey), yuan)));
    }
}
