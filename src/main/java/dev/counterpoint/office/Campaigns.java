package dev.counterpoint.office;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.coupon.CouponTemplates;
import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.store.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Coupon templates made at head office and campaigns: one coupon to each member of a {@link Segment}, issued in
 * chunks, each chunk one transaction under the feed lock, and sent to the stores that keep the member
 * ({@link MemberStores}), not to every store (decision 0070). docs/api.md has the requests; docs/kpis.md the figures.
 */
public final class Campaigns {
    /** Members issued to in one transaction: the feed lock is held for a chunk, never for a whole campaign. */
    static final int CHUNK = 5_000;
    /** What a campaign's coupons say issued them (the terminals' {@code issued_by} holds 40 characters). */
    static final String ISSUED_BY = "campaign";
    private static final String CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    private static final Set<String> TEMPLATE_FIELDS = Set.of("template_id", "name_zh", "name_en", "amount_off_fen",
            "percent_off", "max_off_fen", "min_spend_fen", "category", "tier", "valid_days", "valid_from", "valid_until",
            "per_member_limit", "active");
    private static final Set<String> CAMPAIGN_FIELDS = Set.of("name", "coupon", "segment");
    private static final Set<String> COUPON_FIELDS = Set.of("title", "title_en", "amount_off_fen", "percent_off",
            "max_off_fen", "min_spend_fen", "valid_days", "category", "tier", "per_member_limit");

    private final Jdbi jdbi;
    private final Clock clock;
    private final ObjectMapper json;
    private final ZoneId zone;
    private final CouponRepository templates = new CouponRepository();
    private final SecureRandom random = new SecureRandom();

    public Campaigns(Jdbi jdbi, Clock clock, ObjectMapper json, ZoneId zone) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.json = json;
        this.zone = zone;
    }

    // ---- templates ----

    /**
     * {@code POST /v1/coupon-templates}: a template for every store, checked as the terminals check one
     * ({@link CouponTemplates#problems}); refused with every problem named, and nothing published.
     */
    public Map<String, Object> publishTemplate(JsonNode request) {
        requireObject(request, "the request body");
        onlyFields(request, TEMPLATE_FIELDS, "");
        String id = requiredText(request, "template_id", 32);
        CouponTemplate t = template(request, id, requiredText(request, "name_zh", 60), requiredText(request, "name_en", 60), 0);
        JsonNode active = request.get("active");
        if (active != null && !active.isNull() && !active.isBoolean()) {
            throw new OfficeException(400, "active must be true or false");
        }
        boolean isActive = active == null || active.isNull() || active.asBoolean();
        jdbi.useTransaction(h -> {
            FeedWriter feed = new FeedWriter(h, json, now());
            publish(h, feed, t, isActive);
            feed.finish();
        });
        return templateJson(t, isActive);
    }

    /** {@code GET /v1/coupon-templates}: every template head office holds, the built-in ones too. */
    public List<Map<String, Object>> templates() {
        return jdbi.withHandle(h -> {
            Map<String, Boolean> active = new HashMap<>();
            h.createQuery("SELECT id, active FROM coupon_template").map((rs, c) -> active.put(rs.getString(1), rs.getBoolean(2)))
                    .list();
            return templates.allTemplates(h).stream().map(t -> templateJson(t, active.get(t.id()))).toList();
        });
    }

    private void publish(Handle h, FeedWriter feed, CouponTemplate t, boolean active) {
        templates.saveTemplate(h, t, active);
        feed.append(new Change.CouponTemplatePublished(t.id(), t.nameZh(), t.nameEn(),
                t.discountKind() == CouponTemplate.DiscountKind.AMOUNT_OFF ? Change.Discount.AMOUNT_OFF
                        : Change.Discount.PERCENT_OFF,
                t.amountOffFen(), t.percentOff(), t.maxOffFen(), t.minSpendFen(), t.category(), t.tier(), t.validDays(),
                t.validFrom(), t.validUntil(), t.perMemberLimit(), active, now()), null);
    }

    /** A template from a request's discount, spend, category, tier, validity and limit fields; 400 for what a terminal would refuse. */
    private CouponTemplate template(JsonNode r, String id, String nameZh, String nameEn, int defaultLimit) {
        Long amount = longField(r, "amount_off_fen");
        Long percent = longField(r, "percent_off");
        Long maxOff = longField(r, "max_off_fen");
        if ((amount == null) == (percent == null)) {
            throw new OfficeException(400, "give either amount_off_fen, or percent_off with max_off_fen");
        }
        if (amount != null && maxOff != null) {
            throw new OfficeException(400, "max_off_fen goes with percent_off only");
        }
        if (percent != null && maxOff == null) {
            throw new OfficeException(400, "percent_off needs max_off_fen, the most a coupon takes off");
        }
        Long min = longField(r, "min_spend_fen");
        Long limit = longField(r, "per_member_limit");
        Long days = longField(r, "valid_days");
        LocalDate from = dateField(r, "valid_from");
        LocalDate until = dateField(r, "valid_until");
        LocalDate today = today();
        if (days == null && until == null) {
            throw new OfficeException(400, "give valid_days (a coupon lasts that many days from issue), valid_until, or both");
        }
        if (days == null) {
            LocalDate start = from != null && from.isAfter(today) ? from : today;
            days = java.time.temporal.ChronoUnit.DAYS.between(start, until) + 1;
        }
        String category = optionalText(r, "category", 64);
        Tier tier = null;
        String tierText = optionalText(r, "tier", 10);
        if (tierText != null) {
            try {
                tier = Tier.valueOf(tierText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new OfficeException(400, "tier " + tierText + " is not a tier; the tiers are normal, silver, gold, diamond");
            }
        }
        CouponTemplate t = new CouponTemplate(id, CouponTemplate.Trigger.MANUAL, tier,
                amount != null ? CouponTemplate.DiscountKind.AMOUNT_OFF : CouponTemplate.DiscountKind.PERCENT_OFF,
                amount == null ? 0 : amount, percent == null ? 0 : clampInt(percent), maxOff == null ? 0 : maxOff,
                min == null ? 0 : min, clampInt(days), nameZh, nameEn, category, from, until,
                limit == null ? defaultLimit : clampInt(limit));
        List<String> problems = CouponTemplates.problems(t, today);
        if (!problems.isEmpty()) {
            throw new OfficeException(400, "not a coupon template the terminals can use: " + String.join("; ", problems));
        }
        return t;
    }

    private static int clampInt(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    private static Map<String, Object> templateJson(CouponTemplate t, Boolean active) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("template_id", t.id());
        m.put("name_zh", t.nameZh());
        m.put("name_en", t.nameEn());
        m.put("trigger", t.trigger().name().toLowerCase(Locale.ROOT));
        if (t.discountKind() == CouponTemplate.DiscountKind.AMOUNT_OFF) {
            m.put("amount_off_fen", t.amountOffFen());
        } else {
            m.put("percent_off", t.percentOff());
            m.put("max_off_fen", t.maxOffFen());
        }
        m.put("min_spend_fen", t.minSpendFen());
        m.put("category", t.category());
        m.put("tier", t.tier() == null ? null : t.tier().name().toLowerCase(Locale.ROOT));
        m.put("valid_days", t.validDays());
        m.put("valid_from", t.validFrom() == null ? null : t.validFrom().toString());
        m.put("valid_until", t.validUntil() == null ? null : t.validUntil().toString());
        m.put("per_member_limit", t.perMemberLimit());
        m.put("active", active);
        m.put("built_in", CouponTemplates.BUILT_IN.contains(t.id()));
        return m;
    }

    // ---- segments ----

    /**
     * What a preview answers: how many members the segment selects today, and the custom tags it names that no member
     * holds (a tag not used yet, or mistyped: valid, and it selects no one).
     */
    public record Preview(long members, List<String> tagsHeldByNone) {
    }

    /** {@code POST /v1/segments/preview}: how many members the segment selects today. */
    public Preview preview(JsonNode segment) {
        Segment s = Segment.parse(segment);
        return jdbi.withHandle(h -> new Preview(SegmentSelection.select(h, s, today(), zone).size(),
                SegmentSelection.heldByNone(h, s.customTags())));
    }

    /** The chain's custom tags that members who are not erased hold, most held first, at most {@code limit}. */
    public List<String> tagsInUse(int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT t.tag FROM member_tag t JOIN member m ON m.id = t.member_id
                WHERE t.tag_on AND m.erased_at IS NULL GROUP BY t.tag ORDER BY COUNT(*) DESC, t.tag LIMIT :n""")
                .bind("n", limit).mapTo(String.class).list());
    }

    /** The members a segment selects today (for tests and the benchmark). */
    List<UUID> members(Segment s) {
        return jdbi.withHandle(h -> SegmentSelection.select(h, s, today(), zone));
    }

    // ---- campaigns ----

    /** What {@code POST /v1/campaigns} answers: the campaign and the members it reached. */
    public record Created(UUID campaignId, long members, boolean replayed) {
    }

    /** A campaign request, checked whole before anything is written. */
    private record Request(String name, CouponTemplate template, Segment segment, String segmentJson, String digest) {
    }

    /**
     * {@code POST /v1/campaigns}: publishes the campaign's template, then issues one coupon to each member of the
     * segment. With an {@code idempotencyKey} a request sent again answers as the first did and issues nothing twice;
     * one whose issue was cut off goes on where it stopped (members already holding the campaign's coupon are skipped).
     */
    public Created create(JsonNode body, String idempotencyKey, String createdBy) {
        if (idempotencyKey != null && !idempotencyKey.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new OfficeException(400, "Idempotency-Key must be 1 to 100 letters, digits, '.', '_', ':' or '-'");
        }
        UUID id = Ids.next();
        Request r = request(body, "CMP_" + id.toString().replace("-", "").substring(4).toUpperCase(Locale.ROOT));
        if (idempotencyKey != null) {
            Optional<Map<String, Object>> held = jdbi.withHandle(h -> h.createQuery(
                    "SELECT id, request_digest, state, members FROM campaign WHERE idempotency_key = :k")
                    .bind("k", idempotencyKey).mapToMap().findOne());
            if (held.isPresent()) {
                return replay(held.get(), r, idempotencyKey);
            }
        }
        LocalDate today = today();
        LocalDate until = r.template().lastValidDay(today);
        OffsetDateTime now = now();
        try {
            jdbi.useTransaction(h -> {
                FeedWriter feed = new FeedWriter(h, json, now);
                h.createUpdate("""
                        INSERT INTO campaign(id, name, template_id, segment, members, state, created_at, created_by, window_from,
                                             window_until, idempotency_key, request_digest)
                        VALUES (:id, :name, :t, :segment, 0, 'ISSUING', :now, :by, :from, :until, :key, :digest)""")
                        .bind("id", id).bind("name", r.name()).bind("t", r.template().id()).bind("segment", r.segmentJson())
                        .bind("now", now).bind("by", createdBy).bind("from", today).bind("until", until)
                        .bind("key", idempotencyKey).bind("digest", r.digest()).execute();
                // Published first: a store applies the template before any coupon of it, in feed order.
                publish(h, feed, r.template(), true);
                feed.finish();
            });
        } catch (RuntimeException e) {
            if (idempotencyKey != null) {
                // The same key sent twice at once: the other request inserted first.
                Optional<Map<String, Object>> held = jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, request_digest, state, members FROM campaign WHERE idempotency_key = :k")
                        .bind("k", idempotencyKey).mapToMap().findOne());
                if (held.isPresent()) {
                    return replay(held.get(), r, idempotencyKey);
                }
            }
            throw e;
        }
        return new Created(id, issue(id, r.segment()), false);
    }

    private Created replay(Map<String, Object> held, Request r, String key) {
        if (!r.digest().equals(held.get("request_digest"))) {
            throw new OfficeException(409, "Idempotency-Key " + key + " was used for another request");
        }
        UUID id = (UUID) held.get("id");
        if ("ISSUING".equals(held.get("state"))) {
            // The first request was cut off (or is still issuing): go on where it stopped.
            return new Created(id, issue(id, Segment.parse(readTree(jdbi.withHandle(h -> h.createQuery(
                    "SELECT segment FROM campaign WHERE id = :id").bind("id", id).mapTo(String.class).one())))), true);
        }
        return new Created(id, ((Number) held.get("members")).longValue(), true);
    }

    /** Issues the campaign's coupons to the segment's members who do not hold one yet; returns how many hold one. */
    private long issue(UUID campaign, Segment segment) {
        record Held(String templateId, LocalDate from, LocalDate until) {
        }
        Held held = jdbi.withHandle(h -> h.createQuery("SELECT template_id, window_from, window_until FROM campaign WHERE id = :id")
                .bind("id", campaign).map((rs, c) -> new Held(rs.getString(1), rs.getObject(2, LocalDate.class),
                        rs.getObject(3, LocalDate.class))).one());
        List<UUID> members = members(segment);
        LocalDate today = today();
        // A campaign resumed on a later day still gives each coupon the campaign's last day.
        LocalDate from = today.isAfter(held.from()) ? today : held.from();
        for (int i = 0; i < members.size(); i += CHUNK) {
            List<UUID> chunk = members.subList(i, Math.min(members.size(), i + CHUNK));
            jdbi.useTransaction(h -> issueChunk(h, campaign, held.templateId(), from, held.until(), chunk));
        }
        return jdbi.inTransaction(h -> {
            long count = h.createQuery("SELECT COUNT(*) FROM coupon WHERE campaign_id = :c").bind("c", campaign)
                    .mapTo(Long.class).one();
            h.createUpdate("UPDATE campaign SET members = :n, state = 'ISSUED' WHERE id = :c").bind("n", count)
                    .bind("c", campaign).execute();
            return count;
        });
    }

    /**
     * One chunk: under the feed lock, the members not yet holding the campaign's coupon each get one, sent to the
     * stores keeping them (the home store when none is recorded). Rows go out in multi-row batches ({@link PushScope}).
     */
    private void issueChunk(Handle h, UUID campaign, String templateId, LocalDate from, LocalDate until, List<UUID> chunk) {
        OffsetDateTime now = now();
        try (PushScope scope = PushScope.open(h, true)) {
            FeedWriter feed = new FeedWriter(h, json, now, scope);
            Set<UUID> holding = new HashSet<>(h.createQuery("""
                    SELECT c.member_id FROM UNNEST(:ids) AS wanted(id) JOIN coupon c ON c.member_id = wanted.id
                    WHERE c.campaign_id = :c""")
                    .bindArray("ids", UUID.class, chunk).bind("c", campaign).mapTo(UUID.class).list());
            Map<UUID, List<String>> stores = new HashMap<>();
            h.createQuery("""
                    SELECT s.member_id, s.store_id FROM UNNEST(:ids) AS wanted(id) JOIN member_store s ON s.member_id = wanted.id
                    ORDER BY s.member_id, s.store_id""")
                    .bindArray("ids", UUID.class, chunk)
                    .map((rs, c) -> stores.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(rs.getString(2)))
                    .list();
            Map<UUID, String> homes = new HashMap<>();
            if (stores.size() < chunk.size()) {
                h.createQuery("SELECT m.id, m.home_store FROM UNNEST(:ids) AS wanted(id) JOIN member m ON m.id = wanted.id")
                        .bindArray("ids", UUID.class, chunk)
                        .map((rs, c) -> homes.put(rs.getObject(1, UUID.class), rs.getString(2))).list();
            }
            for (UUID member : chunk) {
                if (holding.contains(member)) {
                    continue;
                }
                UUID id = Ids.next();
                String code = code();
                PushScope.insert(h, Projector.COUPON_INSERT, id, code, member, templateId, from, until, now, ISSUED_BY, campaign);
                List<String> targets = stores.getOrDefault(member, homes.containsKey(member) ? List.of(homes.get(member)) : List.of());
                feed.appendFor(targets, new Change.CouponIssued(id, code, member, templateId, from, until, now, ISSUED_BY), null);
                feed.rollups().couponIssued(null, now, templateId, ISSUED_BY);
            }
            feed.finish();
            scope.flush();
        }
    }

    /** Codes a cashier can read aloud, as the terminals' (coupon.CouponCodes), two letters longer: a campaign makes millions. */
    private String code() {
        StringBuilder sb = new StringBuilder("HC");
        for (int i = 0; i < 12; i++) {
            sb.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
        }
        return sb.toString();
    }

    private Request request(JsonNode body, String templateId) {
        requireObject(body, "the request body");
        onlyFields(body, CAMPAIGN_FIELDS, "");
        String name = requiredText(body, "name", 100);
        JsonNode coupon = body.get("coupon");
        requireObject(coupon, "coupon");
        onlyFields(coupon, COUPON_FIELDS, "coupon.");
        String title = requiredText(coupon, "title", 60);
        String titleEn = optionalText(coupon, "title_en", 60);
        if (coupon.has("valid_days") && !coupon.get("valid_days").isNull()) {
            longField(coupon, "valid_days");
        } else {
            throw new OfficeException(400, "coupon.valid_days is missing");
        }
        CouponTemplate t = template(coupon, templateId, title, titleEn == null ? title : titleEn, 1);
        JsonNode segmentNode = body.get("segment");
        Segment segment = Segment.parse(segmentNode);
        String segmentJson = segmentNode == null || segmentNode.isNull() ? "{}" : segmentNode.toString();
        if (segmentJson.length() > 4000) {
            throw new OfficeException(400, "segment is longer than 4,000 characters");
        }
        return new Request(name, t, segment, segmentJson, digest(body));
    }

    /** The request's digest, its fields sorted: the same request written in another order is the same request. */
    private String digest(JsonNode body) {
        try {
            byte[] canonical = json.copy().configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS,
                    true).writeValueAsBytes(json.convertValue(body, Object.class));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- figures ----

    /** {@code GET /v1/campaigns}: every campaign, newest first, with its figures. */
    public List<Map<String, Object>> list() {
        List<UUID> ids = jdbi.withHandle(h -> h.createQuery("SELECT id FROM campaign ORDER BY created_at DESC, id DESC")
                .mapTo(UUID.class).list());
        List<Map<String, Object>> out = new ArrayList<>();
        for (UUID id : ids) {
            figures(id).ifPresent(out::add);
        }
        return out;
    }

    /** A store's part of a campaign's redemptions. */
    public record StoreFigures(String storeId, long redeemed, long discountFen, long redeemedSalesFen) {
    }

    /**
     * {@code GET /v1/campaigns/{id}}: the campaign and its figures (docs/kpis.md, "Campaigns"). A redemption counts
     * when it holds its coupon at head office (a coupon used twice counts once; one given back by a void or refund not
     * at all), at whichever store it was made.
     */
    public Optional<Map<String, Object>> figures(UUID id) {
        return jdbi.withHandle(h -> {
            Optional<Map<String, Object>> row = h.createQuery("""
                    SELECT id, name, template_id, segment, members, state, created_at, created_by, window_from, window_until
                    FROM campaign WHERE id = :id""").bind("id", id).mapToMap().findOne();
            if (row.isEmpty()) {
                return Optional.<Map<String, Object>>empty();
            }
            Map<String, Object> c = row.get();
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("campaign_id", id.toString());
            doc.put("name", c.get("name"));
            doc.put("state", String.valueOf(c.get("state")).toLowerCase(Locale.ROOT));
            doc.put("created_at", ((OffsetDateTime) toOffset(c.get("created_at"))).withOffsetSameInstant(ZoneOffset.UTC).toString());
            doc.put("created_by", c.get("created_by"));
            String templateId = (String) c.get("template_id");
            doc.put("coupon", templates.template(h, templateId).map(t -> templateJson(t, null)).orElse(null));
            doc.put("segment", readTree((String) c.get("segment")));
            LocalDate from = toDate(c.get("window_from"));
            LocalDate until = toDate(c.get("window_until"));
            doc.put("window_from", from.toString());
            doc.put("window_until", until.toString());
            doc.put("members", ((Number) c.get("members")).longValue());
            long issued = h.createQuery("SELECT COUNT(*) FROM coupon WHERE campaign_id = :c").bind("c", id).mapTo(Long.class).one();
            long voided = h.createQuery("SELECT COUNT(*) FROM coupon WHERE campaign_id = :c AND status = 'VOID'").bind("c", id)
                    .mapTo(Long.class).one();
            List<StoreFigures> stores = h.createQuery("""
                    SELECT r.store_id, COUNT(*), COALESCE(SUM(r.discount_fen), 0), COALESCE(SUM(r.basket_fen), 0)
                    FROM coupon c JOIN coupon_claim k ON k.coupon_code = c.code JOIN coupon_redemption r ON r.id = k.redemption_id
                    WHERE c.campaign_id = :c GROUP BY r.store_id ORDER BY r.store_id""")
                    .bind("c", id).map((rs, x) -> new StoreFigures(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                    .list();
            long redeemed = stores.stream().mapToLong(StoreFigures::redeemed).sum();
            long redeemers = h.createQuery("""
                    SELECT COUNT(DISTINCT COALESCE(m.survivor_id, m.id))
                    FROM coupon c JOIN coupon_claim k ON k.coupon_code = c.code JOIN member m ON m.id = c.member_id
                    WHERE c.campaign_id = :c""").bind("c", id).mapTo(Long.class).one();
            OffsetDateTime start = (OffsetDateTime) toOffset(c.get("created_at"));
            OffsetDateTime end = until.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
            long returnSales = h.createQuery("""
                    SELECT COALESCE(SUM(p.total_fen - p.refunded_fen), 0) FROM purchase p JOIN member m ON m.id = p.member_id
                    WHERE p.purchased_at >= :start AND p.purchased_at < :end
                      AND COALESCE(m.survivor_id, m.id) IN (
                          SELECT COALESCE(r.survivor_id, r.id) FROM coupon c JOIN coupon_claim k ON k.coupon_code = c.code
                          JOIN member r ON r.id = c.member_id WHERE c.campaign_id = :c)""")
                    .bind("start", start).bind("end", end).bind("c", id).mapTo(Long.class).one();
            doc.put("issued", issued);
            doc.put("voided", voided);
            doc.put("redeemed", redeemed);
            doc.put("redemption_rate", issued == 0 ? 0.0 : Math.round(redeemed * 10_000.0 / issued) / 10_000.0);
            doc.put("redeemers", redeemers);
            doc.put("discount_fen", stores.stream().mapToLong(StoreFigures::discountFen).sum());
            doc.put("redeemed_sales_fen", stores.stream().mapToLong(StoreFigures::redeemedSalesFen).sum());
            doc.put("return_sales_fen", returnSales);
            doc.put("by_store", stores.stream().map(s -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("store_id", s.storeId());
                m.put("redeemed", s.redeemed());
                m.put("discount_fen", s.discountFen());
                m.put("redeemed_sales_fen", s.redeemedSalesFen());
                return m;
            }).toList());
            return Optional.of(doc);
        });
    }

    private static Object toOffset(Object v) {
        if (v instanceof OffsetDateTime o) {
            return o;
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (v instanceof java.time.Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        throw new IllegalStateException("not a time: " + v);
    }

    private static LocalDate toDate(Object v) {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        throw new IllegalStateException("not a date: " + v);
    }

    // ---- request fields ----

    private static void requireObject(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new OfficeException(400, what + " must be a JSON object");
        }
    }

    private static void onlyFields(JsonNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new OfficeException(400, prefix + name + " is not a field here; the fields are "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static String requiredText(JsonNode r, String field, int max) {
        String v = optionalText(r, field, max);
        if (v == null) {
            throw new OfficeException(400, field + " is missing");
        }
        return v;
    }

    private static String optionalText(JsonNode r, String field, int max) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || dev.counterpoint.protocol.Text.problem(v.asText().strip(), max).isPresent()) {
            throw new OfficeException(400, field + " must be text of 1 to " + max + " characters on one line");
        }
        return v.asText().strip();
    }

    private static Long longField(JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new OfficeException(400, field + " must be a whole number");
        }
        return v.asLong();
    }

    private static LocalDate dateField(JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual() && OfficeDates.day(v.asText()).isPresent()) {
            return OfficeDates.day(v.asText()).get();
        }
        throw new OfficeException(400, field + " must be a date written YYYY-MM-DD between " + OfficeDates.FIRST_YEAR
                + " and " + OfficeDates.LAST_YEAR);
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored segment is JSON", e);
        }
    }

    private LocalDate today() {
        return OffsetDateTime.now(clock).atZoneSameInstant(zone).toLocalDate();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
