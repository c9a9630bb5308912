package dev.counterpoint.office.console;

import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.member.Phones;
import dev.counterpoint.office.MemberCards;
import dev.counterpoint.office.OfficeDates;
import dev.counterpoint.office.OfficeException;
import dev.counterpoint.office.OwnerApi;
import dev.counterpoint.store.Hlc;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Members: found by card, full phone number (by its keyed hash, as head office never holds the number), its last four
 * digits, or a part of the name; a member's page with the purchases at every store, both ledgers, coupons and the cards
 * merged into it; a profile edit goes to every store through the change feed, a custom tag added or removed to the
 * stores that keep the member (decision 0077). A manager finds, opens and edits only the members their store holds
 * ({@link MemberScope}).
 */
public final class MembersPage {
    static final int MAX_RESULTS = 50;
    static final int MAX_ROWS = 500;
    /** A member's page shows the latest of each table; its export holds up to {@link #MAX_ROWS}. */
    static final int PAGE_ROWS = 20;

    private final ConsoleContext context;

    MembersPage(ConsoleContext context) {
        this.context = context;
    }

    public record SearchModel(String query, Table results) {
    }

    /** The member's profile as the page shows it. */
    public record Profile(UUID id, String card, String name, String phoneMasked, LocalDate birthday, String tier,
                          String homeStore, OffsetDateTime enrolledAt, String status, boolean erased, long points,
                          long storedValueFen, List<String> stores, List<String> customTags) {
        Profile withTags(List<String> tags) {
            return new Profile(id, card, name, phoneMasked, birthday, tier, homeStore, enrolledAt, status, erased, points,
                    storedValueFen, stores, List.copyOf(tags));
        }
    }

    public record MemberModel(Profile profile, List<Table> tables, String message, String error) {
    }

    void routes(Javalin app, Console console) {
        // The form posts, so a phone number searched for stays out of the address bar, the history and access logs;
        // a link or bookmark with ?q= still works.
        app.get("/members", ctx -> search(ctx, Web.query(ctx, "q")));
        app.post("/members", ctx -> search(ctx, Web.form(ctx, "q")));
        app.get("/members/{card}", ctx -> show(ctx, null, null));
        app.post("/members/{card}/profile", this::edit);
        app.post("/members/{card}/tags", this::tag);
        console.exportable("members", ctx -> results(ctx, Web.query(ctx, "q")));
        console.exportable("member-purchases", ctx -> purchases(ctx, member(ctx, Web.query(ctx, "card"))));
        console.exportable("member-points", ctx -> points(ctx, member(ctx, Web.query(ctx, "card"))));
        console.exportable("member-stored-value", ctx -> storedValue(ctx, member(ctx, Web.query(ctx, "card"))));
        console.exportable("member-coupons", ctx -> coupons(ctx, member(ctx, Web.query(ctx, "card"))));
        console.exportable("member-merges", ctx -> merges(ctx, member(ctx, Web.query(ctx, "card"))));
    }

    // ---- search ----

    private void search(Context ctx, String q) {
        Web.render(ctx, "console/members.jte", "page", Web.page(ctx, "members"),
                "model", new SearchModel(q == null ? "" : q, q == null ? null : results(ctx, q)));
    }

    Table results(Context ctx, String q) {
        Viewer v = Web.viewer(ctx);
        Texts t = Web.texts(ctx);
        Table table = new Table("members", "console.members.results").text("console.col.card").text("console.col.name")
                .text("console.col.phone").text("console.col.tier").text("console.col.homeStore").text("console.col.status")
                .numeric("console.col.points").numeric("console.col.storedValue");
        table.exportQuery("q=" + Web.encode(q == null ? "" : q));
        if (q == null || q.length() > 64) {
            return table;
        }
        Optional<String> phone = Phones.normalise(q);
        String hmac = phone.map(p -> new Phones(HexFormat.of().parseHex(context.registrations().chainPhoneKey())).hmac(p))
                .orElse(null);
        boolean last4 = q.matches("\\d{4}");
        String like = "%" + q.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        record Found(String card, String name, String phone, String tier, String home, String status, boolean erased,
                     long points, long fen) {
        }
        List<Found> found = context.jdbi().withHandle(h -> {
            Query query = h.createQuery("""
                    SELECT m.card_code, m.display_name, m.phone_masked, m.tier, m.home_store, m.status, m.erased_at,
                           (SELECT COALESCE(SUM(delta), 0) FROM points_entry p WHERE p.member_id = m.id),
                           (SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry s WHERE s.member_id = m.id)
                    FROM member m
                    WHERE (m.card_code = :q OR (:hmac IS NOT NULL AND m.phone_hmac = :hmac)
                           OR (:last4 AND m.phone_masked LIKE :suffix)
                           OR (m.erased_at IS NULL AND LOWER(m.display_name) LIKE :like ESCAPE '\\'))
                    """ + (v.isOwner() ? "" : " AND " + MemberScope.HELD_BY_STORE) + """
                     ORDER BY m.card_code LIMIT :n""")
                    .bind("q", q).bind("hmac", hmac).bind("last4", last4).bind("suffix", "%" + q).bind("like", like)
                    .bind("n", MAX_RESULTS + 1);
            if (!v.isOwner()) {
                query.bind("store", v.storeId());
            }
            return query.map((rs, c) -> new Found(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6), rs.getObject(7) != null, rs.getLong(8), rs.getLong(9))).list();
        });
        if (found.size() > MAX_RESULTS) {
            found = found.subList(0, MAX_RESULTS);
            table.note(t.text("console.members.tooMany", MAX_RESULTS));
        }
        if (phone.isPresent()) {
            // The export link names the member found, never the number.
            if (found.size() == 1) {
                table.exportQuery("q=" + Web.encode(found.get(0).card()));
            } else {
                table.withoutExport();
            }
        }
        for (Found f : found) {
            table.row(Table.Cell.link(f.card(), "/members/" + Web.encode(f.card())),
                    Table.Cell.of(f.erased() ? t.text("console.members.erased") : f.name()),
                    Table.Cell.of(f.erased() ? "" : f.phone()), Table.Cell.of(t.text("tier." + f.tier())),
                    Table.Cell.of(f.home()), Table.Cell.of(t.text("console.member.status." + f.status())),
                    Table.Cell.number(f.points(), t), Table.Cell.money(f.fen(), t));
        }
        return table;
    }

    // ---- one member ----

    /** The member a card leads to (a merged card: the survivor), if this viewer may see them; 404 or 403 otherwise. */
    private UUID member(Context ctx, String card) {
        if (card == null || card.length() > 64) {
            throw new ConsoleException(404, "console.members.unknown", String.valueOf(card));
        }
        return context.jdbi().withHandle(h -> {
            List<UUID> holders = MemberCards.holders(h, card);
            if (holders.size() > 1) {
                throw new ConsoleException(409, "console.members.ambiguous", card, holders.size());
            }
            UUID id = holders.stream().findFirst()
                    .orElseThrow(() -> new ConsoleException(404, "console.members.unknown", card));
            MemberScope.require(h, Web.viewer(ctx), id);
            return id;
        });
    }

    private void show(Context ctx, String message, String error) {
        String card = ctx.pathParam("card");
        UUID id = member(ctx, card);
        Profile profile = context.jdbi().withHandle(h -> profile(h, id));
        List<Table> tables = java.util.stream.Stream.of(purchases(ctx, id), points(ctx, id), storedValue(ctx, id), coupons(ctx, id),
                merges(ctx, id)).map(table -> table.pageRows(PAGE_ROWS)).toList();
        Web.render(ctx, "console/member.jte", "page", Web.page(ctx, "members", "/members/" + Web.encode(card)),
                "model", new MemberModel(profile, tables, message, error));
    }

    private static Profile profile(Handle h, UUID id) {
        return h.createQuery("""
                SELECT id, card_code, display_name, phone_masked, birthday, tier, home_store, enrolled_at, status, erased_at,
                       (SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = :m),
                       (SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = :m)
                FROM member WHERE id = :m""").bind("m", id)
                .map((rs, c) -> new Profile(id, rs.getString(2), rs.getObject(10) != null ? null : rs.getString(3),
                        rs.getString(4), rs.getObject(5, LocalDate.class), rs.getString(6), rs.getString(7),
                        rs.getObject(8, OffsetDateTime.class), rs.getString(9), rs.getObject(10) != null, rs.getLong(11),
                        rs.getLong(12), new ArrayList<>(MemberScope.stores(h, id)), List.of()))
                .one()
                .withTags(h.createQuery("SELECT tag FROM member_tag WHERE member_id = :m AND tag_on ORDER BY tag").bind("m", id)
                        .mapTo(String.class).list());
    }

    private String cardQuery(UUID id) {
        return "card=" + Web.encode(context.jdbi().withHandle(h -> h.createQuery("SELECT card_code FROM member WHERE id = :m")
                .bind("m", id).mapTo(String.class).one()));
    }

    private static final String OWN_AND_MERGED = "(member_id = :m OR member_id IN (SELECT id FROM member WHERE survivor_id = :m))";

    Table purchases(Context ctx, UUID id) {
        Texts t = Web.texts(ctx);
        Table table = new Table("member-purchases", "console.member.purchases").text("console.col.time").text("console.col.store")
                .text("console.col.terminal").text("console.col.receipt").numeric("console.col.total")
                .numeric("console.col.refunded").text("console.col.source").exportQuery(cardQuery(id));
        context.jdbi().useHandle(h -> h.createQuery("""
                SELECT purchased_at, store_id, terminal_id, receipt_no, total_fen, refunded_fen, source FROM purchase
                WHERE """ + OWN_AND_MERGED + " ORDER BY purchased_at DESC, id LIMIT " + MAX_ROWS).bind("m", id)
                .map((rs, c) -> table.row(Table.Cell.of(t.time(rs.getObject(1, OffsetDateTime.class))),
                        Table.Cell.of(rs.getString(2)), Table.Cell.of(rs.getString(3)), Table.Cell.of(rs.getString(4)),
                        Table.Cell.money(rs.getLong(5), t), Table.Cell.money(rs.getLong(6), t),
                        Table.Cell.of(t.text("console.source." + rs.getString(7))))).list());
        return table;
    }

    Table points(Context ctx, UUID id) {
        Texts t = Web.texts(ctx);
        Table table = new Table("member-points", "console.member.points").text("console.col.time").text("console.col.store")
                .text("console.col.entryKind").numeric("console.col.points").text("console.col.expires")
                .text("console.col.note").exportQuery(cardQuery(id));
        context.jdbi().useHandle(h -> h.createQuery("""
                SELECT p.created_at, p.store_id, p.kind, p.delta, p.lot_expires_on, a.reason, a.staff_id, a.manager_id
                FROM points_entry p
                LEFT JOIN balance_adjustment_entry e ON e.entry_id = p.id
                LEFT JOIN balance_adjustment a ON a.id = e.adjustment_id
                WHERE """ + OWN_AND_MERGED.replace("member_id", "p.member_id")
                + " ORDER BY p.created_at DESC, p.id LIMIT " + MAX_ROWS).bind("m", id)
                .map((rs, c) -> table.row(Table.Cell.of(t.time(rs.getObject(1, OffsetDateTime.class))),
                        Table.Cell.of(rs.getString(2) == null ? t.text("console.headOffice") : rs.getString(2)),
                        Table.Cell.of(t.text("console.points." + rs.getString(3))), Table.Cell.number(rs.getLong(4), t),
                        Table.Cell.of(t.date(rs.getObject(5, LocalDate.class))),
                        note(t, "points", rs.getString(2), rs.getString(3), rs.getString(6), rs.getString(7),
                                rs.getString(8))))
                .list());
        return table;
    }

    Table storedValue(Context ctx, UUID id) {
        Texts t = Web.texts(ctx);
        Table table = new Table("member-stored-value", "console.member.storedValue").text("console.col.time")
                .text("console.col.store").text("console.col.entryKind").numeric("console.col.amount")
                .text("console.col.note").exportQuery(cardQuery(id));
        context.jdbi().useHandle(h -> h.createQuery("""
                SELECT s.created_at, s.store_id, s.kind, s.delta_fen, a.reason, a.staff_id, a.manager_id
                FROM sv_entry s
                LEFT JOIN balance_adjustment_entry e ON e.entry_id = s.id
                LEFT JOIN balance_adjustment a ON a.id = e.adjustment_id
                WHERE """ + OWN_AND_MERGED.replace("member_id", "s.member_id")
                + " ORDER BY s.created_at DESC, s.id LIMIT " + MAX_ROWS).bind("m", id)
                .map((rs, c) -> table.row(Table.Cell.of(t.time(rs.getObject(1, OffsetDateTime.class))),
                        Table.Cell.of(rs.getString(2) == null ? t.text("console.headOffice") : rs.getString(2)),
                        Table.Cell.of(t.text("console.sv." + rs.getString(3))), Table.Cell.money(rs.getLong(4), t),
                        note(t, "sv", rs.getString(2), rs.getString(3), rs.getString(5), rs.getString(6),
                                rs.getString(7))))
                .list());
        return table;
    }

    /**
     * What a ledger entry's note says: a store manager's adjustment, its reason and who made and approved it; head
     * office's own adjustments (a merge's moves, points beyond a tier it had lowered), that they are its own.
     */
    private static Table.Cell note(Texts t, String ledger, String store, String kind, String reason, String staff,
                                   String manager) {
        if (reason != null) {
            return Table.Cell.of(t.text("console.member.adjustedBy", reason, staff, manager)).styled("wrap");
        }
        if ("ADJUST".equals(kind) && store == null) {
            return Table.Cell.of(t.text("console.member.adjustedByOffice." + ledger)).styled("wrap");
        }
        return Table.Cell.of("");
    }

    /**
     * The member's coupons, each in the state head office knows: redeemed (the redemption that holds it: where and
     * when), voided, expired (its last valid day before today in the chain's business zone) or issued and still usable;
     * the template by its name and who issued it in the reader's language, a code without words for it as it is.
     */
    Table coupons(Context ctx, UUID id) {
        Texts t = Web.texts(ctx);
        Table table = new Table("member-coupons", "console.member.coupons").text("console.col.coupon").text("console.col.template")
                .text("console.col.validFrom").text("console.col.validUntil").text("console.col.status")
                .text("console.col.issuedBy").text("console.col.redeemed").exportQuery(cardQuery(id));
        LocalDate today = LocalDate.now(context.clock().withZone(context.zone()));
        CouponRepository templates = new CouponRepository();
        Map<String, String> names = new HashMap<>();
        context.jdbi().useHandle(h -> h.createQuery("""
                SELECT c.code, c.template_id, c.valid_from, c.valid_until, c.status, c.issued_by, r.store_id, r.hlc,
                       (SELECT COUNT(*) FROM coupon_redemption a WHERE a.coupon_code = c.code)
                FROM coupon c LEFT JOIN coupon_claim k ON k.coupon_code = c.code
                LEFT JOIN coupon_redemption r ON r.id = k.redemption_id
                WHERE """ + OWN_AND_MERGED.replace("member_id", "c.member_id")
                + " ORDER BY c.issued_at DESC, c.id LIMIT " + MAX_ROWS).bind("m", id)
                .map((rs, c) -> {
                    String template = rs.getString(2);
                    LocalDate until = rs.getObject(4, LocalDate.class);
                    String kept = rs.getString(7);
                    long redemptions = rs.getLong(9);
                    String state = kept != null ? "REDEEMED" : "VOID".equals(rs.getString(5)) ? "VOID"
                            : until.isBefore(today) ? "EXPIRED" : "ISSUED";
                    return table.row(Table.Cell.of(rs.getString(1)),
                            Table.Cell.of(names.computeIfAbsent(template, k -> templates.template(h, k)
                                    .map(x -> x.name(t.locale())).orElse(k))),
                            Table.Cell.of(t.date(rs.getObject(3, LocalDate.class))), Table.Cell.of(t.date(until)),
                            Table.Cell.of(t.text("console.coupon.status." + state)).styled(switch (state) {
                                case "ISSUED" -> "ok";
                                case "REDEEMED" -> null;
                                default -> "muted";
                            }),
                            Table.Cell.of(issuer(t, rs.getString(6))),
                            Table.Cell.of(redeemed(t, kept, kept == null ? 0 : rs.getLong(8), redemptions)));
                }).list());
        return table;
    }

    /**
     * Where and when the coupon was redeemed (the redemption that holds it, at its event's stamp; a stamp without a
     * time, as a restored history may hold, leaves the time out), and how often when stores redeemed it more than once.
     */
    private static String redeemed(Texts t, String kept, long hlc, long redemptions) {
        if (redemptions == 0) {
            return "";
        }
        if (kept == null) {
            return t.text("console.coupon.redeemedTimes", redemptions);
        }
        long millis = Hlc.millisOf(hlc);
        if (millis == 0) {
            return redemptions > 1 ? t.text("console.coupon.keptAtOf", kept, redemptions) : t.text("console.coupon.keptAt", kept);
        }
        String at = t.time(OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
        return redemptions > 1 ? t.text("console.coupon.keptAtOnOf", kept, at, redemptions)
                : t.text("console.coupon.keptAtOn", kept, at);
    }

    /**
     * Who issued a coupon, in words: a store's occasion ("trigger:WELCOME"), a store manager ("manager:NAME"), the demo
     * store's history ("demo:WIN_BACK"), head office or its campaign; anything else as it is.
     */
    static String issuer(Texts t, String issuedBy) {
        if (issuedBy == null) {
            return "";
        }
        int colon = issuedBy.indexOf(':');
        String kind = colon < 0 ? issuedBy : issuedBy.substring(0, colon);
        String rest = colon < 0 ? "" : issuedBy.substring(colon + 1);
        return switch (kind) {
            case "trigger" -> ReportsPage.reasonName(t, rest);
            case "demo" -> t.text("console.coupon.issuer.demo", ReportsPage.reasonName(t, rest));
            case "manager" -> t.text("console.coupon.issuer.manager", rest);
            case "head-office" -> t.text("console.headOffice");
            case "campaign" -> ReportsPage.reasonName(t, "CAMPAIGN");
            default -> issuedBy;
        };
    }

    Table merges(Context ctx, UUID id) {
        Texts t = Web.texts(ctx);
        Table table = new Table("member-merges", "console.member.merges").text("console.col.card").text("console.col.homeStore")
                .text("console.col.enrolledAt").text("console.col.state").exportQuery(cardQuery(id));
        context.jdbi().useHandle(h -> h.createQuery("""
                SELECT a.card_code, a.home_store, a.enrolled_at,
                       (SELECT e.state FROM sync_exception e WHERE e.kind = 'MEMBER_MERGED' AND e.subject = CAST(a.id AS VARCHAR(40)))
                FROM member a WHERE a.survivor_id = :m ORDER BY a.card_code""").bind("m", id)
                .map((rs, c) -> table.row(Table.Cell.of(rs.getString(1)), Table.Cell.of(rs.getString(2)),
                        Table.Cell.of(t.time(rs.getObject(3, OffsetDateTime.class))),
                        Table.Cell.of(rs.getString(4) == null ? "" : t.text("console.exception.state." + rs.getString(4))))).list());
        return table;
    }

    // ---- custom tags ----

    /** Adds ({@code action=add}) or removes a custom tag, as the owner API does; who did it goes to the console's audit. */
    private void tag(Context ctx) {
        String card = ctx.pathParam("card");
        UUID id = member(ctx, card);
        Texts t = Web.texts(ctx);
        Profile before = context.jdbi().withHandle(h -> profile(h, id));
        String action = Web.form(ctx, "action");
        if (!"add".equals(action) && !"remove".equals(action)) {
            ctx.status(400);
            show(ctx, null, t.text("console.member.tagAction"));
            return;
        }
        boolean on = "add".equals(action);
        String viewer = Web.viewer(ctx).username();
        try {
            OwnerApi.TagSet set = context.owner().setTag(before.card(), Web.form(ctx, "tag"), on,
                    "console:" + (viewer.length() > 56 ? viewer.substring(0, 56) : viewer));
            if (set.changed()) {
                context.audit().record(viewer, ctx.ip(), on ? "TAG_ADDED" : "TAG_REMOVED", before.card(), set.tag());
            }
            show(ctx, t.text(!set.changed() ? "console.member.unchanged"
                    : on ? "console.member.tagAdded" : "console.member.tagRemoved", set.tag()), null);
        } catch (OfficeException e) {
            ctx.status(e.status());
            show(ctx, null, e.status() == 409 && before.erased() ? t.text("console.member.erasedNoEdit")
                    : e.status() == 409 ? t.text("console.member.tagTooMany", dev.counterpoint.protocol.TagName.MAX_PER_MEMBER)
                    : t.text("console.member.tagInvalid", dev.counterpoint.protocol.TagName.MAX_LENGTH));
        }
    }

    // ---- profile edit ----

    private void edit(Context ctx) {
        String card = ctx.pathParam("card");
        UUID id = member(ctx, card);
        Texts t = Web.texts(ctx);
        Profile before = context.jdbi().withHandle(h -> profile(h, id));
        String name = Web.form(ctx, "name");
        String birthdayText = Web.form(ctx, "birthday");
        LocalDate birthday = null;
        if (birthdayText != null) {
            birthday = OfficeDates.birthday(birthdayText).orElse(null);
            if (birthday == null) {
                ctx.status(400);
                show(ctx, null, t.text("console.member.badBirthday"));
                return;
            }
        }
        String newName = name != null && !name.equals(before.name()) ? name : null;
        LocalDate newBirthday = birthday != null && !birthday.equals(before.birthday()) ? birthday : null;
        if (newName == null && newBirthday == null) {
            show(ctx, t.text("console.member.unchanged"), null);
            return;
        }
        try {
            OwnerApi.ProfileEdited edited = context.owner().editProfile(before.card(), newName, newBirthday);
            context.audit().record(Web.viewer(ctx).username(), ctx.ip(), "PROFILE_EDITED", before.card(),
                    (newName != null ? "name" : "") + (newName != null && newBirthday != null ? ", " : "")
                            + (newBirthday != null ? "birthday" : ""));
            boolean lost = Boolean.FALSE.equals(edited.name()) || Boolean.FALSE.equals(edited.birthday());
            show(ctx, t.text(lost ? "console.member.editedLater" : "console.member.edited"), null);
        } catch (OfficeException e) {
            ctx.status(e.status());
            show(ctx, null, t.text(e.status() == 409 ? "console.member.erasedNoEdit"
                    : newName != null && e.getMessage().startsWith("a name") ? "console.member.badName" : "console.member.badBirthday"));
        }
    }
}
