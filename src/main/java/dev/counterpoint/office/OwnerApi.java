package dev.counterpoint.office;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.TagName;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.store.Ids;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** What owners and integrations read (and the few things they issue centrally). See docs/api.md. */
public final class OwnerApi {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> EXCEPTION_STATES = List.of("OPEN", "RESOLVED");
    /** The most exceptions one answer holds: a terminal's parked changes alone may be hundreds. */
    public static final int EXCEPTIONS_PAGE = 500;
    /** A year, leap years included: a longer window is almost always a typing mistake in a year. */
    static final int MAX_VALIDITY_DAYS = 366;

    private final Jdbi jdbi;
    private final PhoneBoxes phoneBoxes;
    private final Clock clock;
    private final ObjectMapper json;
    /** The terminals' own reader: what it refuses, a terminal could not put in force. */
    private final RuleSetRepository ruleSets;
    private final CouponRepository templates = new CouponRepository();
    /** For owner actions that decide as a push does (undoing a merge), under the same feed lock. */
    private final Projector projector;

    public OwnerApi(Jdbi jdbi, Clock clock, ObjectMapper json, PhoneBoxes phoneBoxes) {
        this.phoneBoxes = phoneBoxes;
        this.jdbi = jdbi;
        this.clock = clock;
        this.json = json;
        this.ruleSets = new RuleSetRepository(json);
        this.projector = new Projector(json, new EventChecks(json), phoneBoxes);
    }

    /** A member's summary across all stores; a merged member's card leads to the survivor. */
    public Optional<Map<String, Object>> memberByCard(String cardCode) {
        return jdbi.withHandle(h -> {
            Optional<UUID> found = MemberCards.holder(h, cardCode);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            UUID id = found.get();
            Map<String, Object> doc = new LinkedHashMap<>(h.createQuery("""
                    SELECT id AS member_id, card_code, display_name AS name, phone_masked, tier, home_store, status
                    FROM member WHERE id = :id""").bind("id", id).mapToMap().one());
            doc.put("member_id", id.toString());
            doc.put("alias_cards", h.createQuery("SELECT card_code FROM member WHERE survivor_id = :id ORDER BY card_code")
                    .bind("id", id).mapTo(String.class).list());
            doc.put("points", h.createQuery("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = :id")
                    .bind("id", id).mapTo(Long.class).one());
            doc.put("stored_value_fen", h.createQuery("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = :id")
                    .bind("id", id).mapTo(Long.class).one());
            doc.put("last_purchase_at", h.createQuery("""
                    SELECT MAX(purchased_at) FROM purchase
                    WHERE member_id = :id OR member_id IN (SELECT id FROM member WHERE survivor_id = :id)""")
                    .bind("id", id).mapTo(OffsetDateTime.class).findOne().map(OffsetDateTime::toString).orElse(null));
            // An erased member (decision 0044) is shown as what is left: no name or phone, the ledgers' totals.
            OffsetDateTime erasedAt = h.createQuery("SELECT erased_at FROM member WHERE id = :id").bind("id", id)
                    .mapTo(OffsetDateTime.class).findOne().orElse(null);
            if (erasedAt != null) {
                doc.put("name", null);
                doc.put("phone_masked", null);
            }
            doc.put("recent_purchases", h.createQuery("""
                    SELECT p.receipt_no, p.store_id, p.purchased_at, p.total_fen FROM purchase p
                    WHERE p.member_id = :id OR p.member_id IN (SELECT id FROM member WHERE survivor_id = :id)
                    ORDER BY p.purchased_at DESC LIMIT 20""").bind("id", id)
                    .map((rs, ctx) -> {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("receipt_no", rs.getString(1));
                        row.put("store_id", rs.getString(2));
                        row.put("purchased_at", rs.getObject(3, OffsetDateTime.class).toString());
                        row.put("total_fen", rs.getLong(4));
                        return row;
                    }).list());
            doc.put("marketing_consent", h.createQuery("""
                    SELECT COUNT(*) FROM member_consent WHERE member_id = :id AND granted AND channel <> 'PRIVACY_NOTICE'""")
                    .bind("id", id).mapTo(Integer.class).one() > 0);
            doc.put("erased", erasedAt != null);
            doc.put("custom_tags", OfficeTags.on(h, id));
            return Optional.of(doc);
        });
    }

    /**
     * An owner's {@code POST /v1/members/{card}/erase}: the member's personal data is erased at head office at once and
     * at every store on its next pull, never to come back (decision 0044). The card leads to its member and the members
     * merged with it, all erased. Asked again, it answers the same (the first erasure's time).
     */
    public Map<String, Object> erase(String cardCode) {
        return jdbi.inTransaction(h -> {
            MemberCards.holder(h, cardCode);
            UUID id = h.createQuery("SELECT id FROM member WHERE card_code = :c ORDER BY id").bind("c", cardCode)
                    .mapTo(UUID.class).findFirst()
                    .orElseThrow(() -> new OfficeException(404, "no member with card " + cardCode));
            OffsetDateTime now = now();
            FeedWriter feed = new FeedWriter(h, json, now);
            Erasures.Erased erased = new Erasures(json).erase(h, feed, id, now);
            feed.finish();
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("card_code", cardCode);
            doc.put("erased", true);
            doc.put("erased_at", erased.erasedAt().withOffsetSameInstant(ZoneOffset.UTC).toString());
            doc.put("member_ids", erased.memberIds().stream().map(UUID::toString).toList());
            return doc;
        });
    }

    /**
     * An owner's {@code GET /v1/members/{card}/export}: everything head office holds of the member (and of the cards
     * merged into it), for an access request. Fields come in a fixed order and lists in a fixed order (by time, then
     * id), so two exports of the same data are the same text.
     */
    public Optional<com.fasterxml.jackson.databind.node.ObjectNode> export(String cardCode) {
        return jdbi.withHandle(h -> {
            Optional<UUID> found = MemberCards.holder(h, cardCode);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(MemberExport.tree(new MemberExport(h, phoneBoxes).of(found.get(), now()), json.getNodeFactory()));
        });
    }

    /** Conflicts head office decided, oldest first: the first page of all of them, or of those in {@code state}. */
    public List<Map<String, Object>> exceptions(String state) {
        return exceptions(state, null, EXCEPTIONS_PAGE);
    }

    /**
     * Conflicts head office decided, oldest first: all of them, or those in {@code state} (OPEN, RESOLVED), at most
     * {@code limit} (1 to {@value #EXCEPTIONS_PAGE}) after the exception {@code after} (an id from a page before; null:
     * from the first). A page shorter than {@code limit} is the last.
     */
    public List<Map<String, Object>> exceptions(String state, String after, int limit) {
        boolean all = state == null || state.isBlank();
        if (!all && !EXCEPTION_STATES.contains(state)) {
            throw new OfficeException(400, "state must be one of " + String.join(", ", EXCEPTION_STATES) + ", not " + state);
        }
        if (limit < 1 || limit > EXCEPTIONS_PAGE) {
            throw new OfficeException(400, "limit must be between 1 and " + EXCEPTIONS_PAGE);
        }
        UUID afterId = null;
        if (after != null) {
            try {
                afterId = UUID.fromString(after);
            } catch (IllegalArgumentException e) {
                throw new OfficeException(400, "after must be an exception id, not " + after);
            }
        }
        UUID from = afterId;
        return jdbi.withHandle(h -> {
            OffsetDateTime fromCreated = from == null ? null
                    : h.createQuery("SELECT created_at FROM sync_exception WHERE id = :id").bind("id", from)
                    .mapTo(OffsetDateTime.class).findOne()
                    .orElseThrow(() -> new OfficeException(400, "after names no exception: " + after));
            List<String> where = new ArrayList<>();
            if (!all) {
                where.add("state = :state");
            }
            if (from != null) {
                where.add("(created_at > :c OR created_at = :c AND id > :after)");
            }
            Query q = h.createQuery("SELECT id, kind, subject, detail, state, created_at, updated_at, resolved_by, resolved_at,"
                    + " resolution, resolution_note FROM sync_exception"
                    + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY created_at, id LIMIT :limit");
            if (!all) {
                q.bind("state", state);
            }
            if (from != null) {
                q.bind("c", fromCreated).bind("after", from);
            }
            q.bind("limit", limit);
            return q.map((rs, ctx) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", rs.getObject(1, UUID.class).toString());
                row.put("kind", rs.getString(2));
                row.put("subject", rs.getString(3));
                row.put("detail", readTree(rs.getString(4)));
                row.put("state", rs.getString(5));
                row.put("created_at", rs.getObject(6, OffsetDateTime.class).toString());
                row.put("updated_at", rs.getObject(7, OffsetDateTime.class).toString());
                row.put("resolved_by", rs.getString(8));
                row.put("resolved_at", text(rs.getObject(9, OffsetDateTime.class)));
                row.put("resolution", rs.getString(10));
                row.put("note", rs.getString(11));
                return row;
            }).list();
        });
    }

    /**
     * Marks an open exception resolved by {@code by} (a console user), with the outcome chosen and why. False when there is no such
     * exception or it is not open (someone resolved it first, or head office settled it). A merge by phone resolved
     * as {@code DIFFERENT_PEOPLE} is undone in the same transaction (409 when it can no longer be: the alias was
     * erased, or the survivor was merged into another member since).
     */
    public boolean resolveException(UUID id, String by, String outcome, String note) {
        if (note == null || note.isBlank() || dev.counterpoint.protocol.Text.multilineProblem(note, 500).isPresent()) {
            throw new OfficeException(400, "a note of 1 to 500 characters says how it was resolved");
        }
        if (outcome == null || !outcome.matches("[A-Z_]{1,40}")) {
            throw new OfficeException(400, "an outcome names how it was resolved");
        }
        OffsetDateTime now = now();
        return jdbi.inTransaction(h -> {
            FeedWriter feed = new FeedWriter(h, json, now);
            record Open(String kind, String detail) {
            }
            Optional<Open> open = h.createQuery("SELECT kind, detail FROM sync_exception WHERE id = :id AND state = 'OPEN'")
                    .bind("id", id).map((rs, ctx) -> new Open(rs.getString(1), rs.getString(2))).findOne();
            if (open.isEmpty()) {
                return false;
            }
            if ("MEMBER_MERGED".equals(open.get().kind()) && "DIFFERENT_PEOPLE".equals(outcome)) {
                JsonNode merge = readTree(open.get().detail());
                projector.split(h, feed, UUID.fromString(field(merge, "alias_id").asText()),
                        UUID.fromString(field(merge, "survivor_id").asText()), by, now);
            }
            h.createUpdate("""
                    UPDATE sync_exception SET state = 'RESOLVED', updated_at = :now, resolved_at = :now, resolved_by = :by,
                           resolution = :outcome, resolution_note = :note
                    WHERE id = :id AND state = 'OPEN'""")
                    .bind("now", now).bind("by", by).bind("outcome", outcome).bind("note", note.strip()).bind("id", id)
                    .execute();
            feed.finish();
            return true;
        });
    }

    private static JsonNode field(JsonNode detail, String name) {
        JsonNode value = detail.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalStateException("a merge's detail has no " + name);
        }
        return value;
    }

    /** What a profile edit made at head office changed, field by field (false: a later edit from a store holds it). */
    public record ProfileEdited(UUID memberId, Boolean name, Boolean birthday) {
    }

    /**
     * An owner's edit of a member's name and/or birthday (null: unchanged), sent to every store as a {@code
     * member.profile} change, stamped later than every edit head office holds: per field, a store's edit made after
     * this one still wins, as between stores. 404 for an unknown card, 409 for an erased member, 400 for a name or
     * birthday a counter would refuse.
     */
    public ProfileEdited editProfile(String cardCode, String name, LocalDate birthday) {
        if (name != null && (name.isBlank() || dev.counterpoint.protocol.Text.problem(name, 40).isPresent())) {
            throw new OfficeException(400, "a name is 1 to 40 characters on one line");
        }
        OffsetDateTime now = now();
        if (birthday != null && (birthday.isAfter(now.toLocalDate()) || birthday.getYear() < 1900)) {
            throw new OfficeException(400, "a birthday lies between 1900 and today");
        }
        return jdbi.inTransaction(h -> {
            MemberTier member = liveMember(h, cardCode);
            FeedWriter feed = new FeedWriter(h, json, now);
            long hlc = Math.max(now.toInstant().toEpochMilli() << 16, h.createQuery(
                    "SELECT COALESCE(MAX(hlc), 0) + 1 FROM member_field WHERE member_id = :m").bind("m", member.id())
                    .mapTo(Long.class).one());
            UUID edit = Ids.next();
            Boolean named = name == null ? null
                    : Projector.lastWriterWins(h, feed, member.id(), Change.Field.NAME, name.strip(), hlc, edit);
            Boolean born = birthday == null ? null
                    : Projector.lastWriterWins(h, feed, member.id(), Change.Field.BIRTHDAY, birthday.toString(), hlc, edit);
            feed.finish();
            return new ProfileEdited(member.id(), named, born);
        });
    }

    /** What setting a custom tag did: the tag in its normal form, whether it changed, the member's tags now. */
    public record TagSet(UUID memberId, String tag, boolean changed, List<String> tags) {
    }

    /**
     * An owner's change of a member's custom tag (decision 0077), at once and for the stores that keep the member,
     * stamped later than every change head office holds for the member's tags. 400 for a tag a counter would refuse,
     * 404 for an unknown card, 409 for an erased member or a member with 20 tags already.
     */
    public TagSet setTag(String cardCode, String rawTag, boolean on, String by) {
        String tag = TagName.normalise(rawTag);
        TagName.problem(tag).ifPresent(p -> {
            throw new OfficeException(400, "tag " + (rawTag == null ? "" : rawTag.strip()) + " " + TagName.describe(p));
        });
        OffsetDateTime now = now();
        return jdbi.inTransaction(h -> {
            MemberTier member = liveMember(h, cardCode);
            FeedWriter feed = new FeedWriter(h, json, now);
            boolean changed = OfficeTags.ownerSet(h, feed, member.id(), tag, on, by, now);
            feed.finish();
            return new TagSet(member.id(), tag, changed, OfficeTags.on(h, member.id()));
        });
    }

    public List<Map<String, Object>> terminals() {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT store_id, terminal_id, status, registered_at, revoked_at, last_push_at, last_pull_at, events_received
                FROM terminal ORDER BY store_id, terminal_id""")
                .map((rs, ctx) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("store_id", rs.getString(1));
                    row.put("terminal_id", rs.getString(2));
                    row.put("status", rs.getString(3));
                    row.put("registered_at", text(rs.getObject(4, OffsetDateTime.class)));
                    row.put("revoked_at", text(rs.getObject(5, OffsetDateTime.class)));
                    row.put("last_push_at", text(rs.getObject(6, OffsetDateTime.class)));
                    row.put("last_pull_at", text(rs.getObject(7, OffsetDateTime.class)));
                    row.put("events_received", rs.getLong(8));
                    return row;
                }).list());
    }

    /**
     * An owner's {@code POST /v1/coupons}: each field is checked (a refusal names it), and the coupon must still be
     * usable: {@code valid_until} not before today at head office (UTC).
     */
    public Change.CouponIssued issueCoupon(JsonNode request) {
        requireObject(request);
        String card = requiredText(request, "card_code");
        String template = requiredText(request, "template_id");
        LocalDate from = date(request, "valid_from");
        LocalDate until = date(request, "valid_until");
        checkWindow(from, until);
        // Judged against today here, not in the method below: in-process callers (the sync contract tests) issue
        // coupons with fixed dates while the office runs on the real clock.
        LocalDate today = now().toLocalDate();
        if (until.isBefore(today)) {
            throw new OfficeException(400, "valid_until " + until + " is in the past (today is " + today + " at head office, UTC)");
        }
        return issueCoupon(card, template, from, until);
    }

    /**
     * Issues a coupon to a member centrally; every store learns it through the change feed. Refused (nothing
     * written) when the stores could not honour it: a template they do not have, one not active or not issuable
     * today, one that does not serve the member's tier, or a validity window out of order or over a year.
     */
    public Change.CouponIssued issueCoupon(String cardCode, String templateId, LocalDate validFrom, LocalDate validUntil) {
        checkWindow(validFrom, validUntil);
        return jdbi.inTransaction(h -> {
            OffsetDateTime now = now();
            MemberTier member = liveMember(h, cardCode);
            CouponTemplate template = issuableTemplate(h, templateId, now.toLocalDate());
            if (!template.servesTier(member.tier())) {
                throw new OfficeException(400, "template " + templateId + " serves " + template.tier()
                        + " members and above; the member with card " + cardCode + " is " + member.tier());
            }
            FeedWriter feed = new FeedWriter(h, json, now);
            UUID id = Ids.next();
            String code = "HQ" + String.format("%010d", RANDOM.nextLong(10_000_000_000L));
            Change.CouponIssued change = Projector.recordCoupon(h, feed, null, id, code, member.id(), templateId, validFrom,
                    validUntil, now, "head-office");
            feed.finish();
            return change;
        });
    }

    /** The member a card stands for (its survivor after a merge); 404 for an unknown card, 409 for an erased member. */
    private static MemberTier liveMember(Handle h, String cardCode) {
        MemberCards.holder(h, cardCode);
        MemberTier member = h.createQuery("""
                SELECT m.id, m.tier, m.erased_at FROM member a JOIN member m ON m.id = COALESCE(a.survivor_id, a.id)
                WHERE a.card_code = :c""")
                .bind("c", cardCode).map((rs, ctx) -> new MemberTier(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getObject(3) != null))
                .findFirst()
                .orElseThrow(() -> new OfficeException(404, "no member with card " + cardCode));
        if (member.erased()) {
            throw new OfficeException(409, "the member with card " + cardCode + " was erased");
        }
        return member;
    }

    private record MemberTier(UUID id, Tier tier, boolean erased) {
        MemberTier(UUID id, String tier, boolean erased) {
            this(id, Tier.valueOf(tier), erased);
        }
    }

    /** The window a coupon may be used in: in order, and at most {@link #MAX_VALIDITY_DAYS} days (both ends count). */
    private static void checkWindow(LocalDate from, LocalDate until) {
        if (until.isBefore(from)) {
            throw new OfficeException(400, "valid_until is before valid_from");
        }
        long days = ChronoUnit.DAYS.between(from, until) + 1;
        if (days > MAX_VALIDITY_DAYS) {
            throw new OfficeException(400, "the coupon would be valid for " + days + " days (valid_from to valid_until); at most "
                    + MAX_VALIDITY_DAYS);
        }
    }

    /** The template as the terminals have it (head office holds the same catalogue), if a coupon may be issued from it today. */
    private CouponTemplate issuableTemplate(Handle h, String templateId, LocalDate today) {
        CouponTemplate t = templates.template(h, templateId).orElseThrow(() -> new OfficeException(400,
                "unknown template_id " + templateId + "; the templates are " + String.join(", ",
                        templates.templates(h).stream().map(CouponTemplate::id).toList())));
        if (templates.templates(h).stream().noneMatch(active -> active.id().equals(templateId))) {
            throw new OfficeException(400, "template " + templateId + " is not active");
        }
        if (!t.issuableOn(today)) {
            throw new OfficeException(400, "template " + templateId + " may be issued only from "
                    + (t.validFrom() == null ? "any day" : t.validFrom()) + " until "
                    + (t.validUntil() == null ? "any day" : t.validUntil()) + " (today is " + today + ")");
        }
        return t;
    }

    /**
     * Adds or changes a staff account ({@code POST /v1/staff}): {@code staff_id}, {@code name}, {@code role} (cashier,
     * manager or owner), {@code store_id} (absent or null: every store) and {@code pin} (6 to 12 digits, kept only as its
     * slow salted hash), optionally {@code active}. It reaches its store's terminals (or every store) on their next pull.
     * An id a store already uses for its own account is the owner's to change.
     */
    public Map<String, Object> saveStaff(JsonNode request) {
        requireObject(request);
        String id = requiredText(request, "staff_id");
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new OfficeException(400, "staff_id must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        String name = requiredText(request, "name");
        dev.counterpoint.protocol.StaffRole role;
        try {
            role = dev.counterpoint.protocol.StaffRole.valueOf(requiredText(request, "role").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new OfficeException(400, "role must be one of cashier, manager, owner");
        }
        JsonNode store = request.get("store_id");
        String storeId = store == null || store.isNull() ? null : requiredText(request, "store_id");
        String pin = requiredText(request, "pin");
        if (!dev.counterpoint.staff.PinHash.wellFormed(pin)) {
            throw new OfficeException(400, "pin must be 6 to 12 digits");
        }
        JsonNode activeNode = request.get("active");
        boolean active = activeNode == null || activeNode.isNull() || activeNode.asBoolean(true);
        dev.counterpoint.protocol.Event.StaffAccount account;
        try {
            account = new dev.counterpoint.protocol.Event.StaffAccount(id, storeId, name, role,
                    dev.counterpoint.staff.PinHash.hash(pin), active, now(), "head-office");
        } catch (dev.counterpoint.protocol.ProtocolException e) {
            throw new OfficeException(400, e.getMessage());
        }
        jdbi.useTransaction(h -> {
            OffsetDateTime now = now();
            FeedWriter feed = new FeedWriter(h, json, now);
            OfficeStaff.save(h, feed, null, account, Math.max(now.toInstant().toEpochMilli() << 16,
                    h.createQuery("SELECT COALESCE(MAX(hlc), 0) + 1 FROM staff WHERE id = :id").bind("id", id)
                            .mapTo(Long.class).one()), null);
            feed.finish();
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("staff_id", id);
        out.put("name", name);
        out.put("role", role.name().toLowerCase(Locale.ROOT));
        out.put("store_id", storeId);
        out.put("active", active);
        return out;
    }

    /** Revokes a centrally issued coupon; every store marks it void on its next pull. False if it was not issued here. */
    public boolean voidCoupon(String code) {
        return jdbi.inTransaction(h -> {
            FeedWriter feed = new FeedWriter(h, json, now());
            int voided = h.createUpdate("UPDATE coupon SET status = 'VOID' WHERE code = :c AND status = 'ISSUED'")
                    .bind("c", code).execute();
            if (voided == 1) {
                feed.append(new Change.CouponVoided(code), null);
            }
            feed.finish();
            return voided == 1;
        });
    }

    /**
     * Publishes a rule set (its body carries "version", higher than any before); stores switch to it on their next
     * pull. The body is read and validated exactly as a terminal reads it (loyalty.RuleSetRepository), so a set
     * they could not put in force is refused here, with every problem named, and nothing is published.
     */
    public int publishRuleSet(JsonNode body) {
        requireObject(body);
        RuleSetRepository.Parsed parsed = ruleSets.parse(body.toString());
        if (!parsed.valid()) {
            throw new OfficeException(400, "not a rule set the terminals can use: " + parsed.problems().stream()
                    .map(p -> p.format(Locale.ENGLISH)).collect(Collectors.joining(" ")));
        }
        int version = parsed.ruleSet().version();
        return jdbi.inTransaction(h -> {
            OffsetDateTime now = now();
            FeedWriter feed = new FeedWriter(h, json, now);
            // Above the built-in sets as well: a terminal keeps one rule set per version.
            int highest = h.createQuery("""
                    SELECT GREATEST((SELECT COALESCE(MAX(version), 0) FROM rule_set),
                                    (SELECT COALESCE(MAX(version), 0) FROM builtin_rule_set))""").mapTo(Integer.class).one();
            if (version <= highest) {
                throw new OfficeException(409, "version " + version + " is not above the latest published or built-in ("
                        + highest + ")");
            }
            h.createUpdate("INSERT INTO rule_set(version, body, published_at) VALUES (:v, :b, :now)")
                    .bind("v", version).bind("b", body.toString()).bind("now", now).execute();
            feed.append(new Change.RuleSetPublished(version, body.toString()), null);
            feed.finish();
            return version;
        });
    }

    public Map<String, Object> health() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", "ok");
        doc.put("office_time_ms", clock.millis());
        doc.put("feed_seq", jdbi.withHandle(FeedWriter::end));
        return doc;
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new OfficeException(400, "the request body must be a JSON object");
        }
    }

    private static String requiredText(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            throw new OfficeException(400, field + " is missing");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new OfficeException(400, field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static LocalDate date(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            throw new OfficeException(400, field + " is missing");
        }
        if (v.isTextual()) {
            Optional<LocalDate> d = OfficeDates.day(v.asText());
            if (d.isPresent()) {
                return d.get();
            }
        }
        throw new OfficeException(400, field + " must be a date written YYYY-MM-DD between " + OfficeDates.FIRST_YEAR
                + " and " + OfficeDates.LAST_YEAR + ", e.g. 2026-03-01, not " + v);
    }

    private JsonNode readTree(String body) {
        try {
            return json.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored exception detail is not JSON", e);
        }
    }

    private static String text(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
