package dev.counterpoint.coupon;

import dev.counterpoint.protocol.ReasonCode;
import dev.counterpoint.protocol.Tier;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

public final class CouponRepository {
    private static final String COUPON_SELECT = """
            SELECT c.id AS coupon_id, c.code, c.member_id, c.valid_from AS coupon_valid_from,
                   c.valid_until AS coupon_valid_until, c.status, c.issued_at, c.issued_by,
                   t.id, t.trigger_kind, t.tier, t.discount_kind, t.amount_off_fen, t.percent_off, t.max_off_fen,
                   t.min_spend_fen, t.valid_days, t.name_zh, t.name_en, t.category, t.valid_from, t.valid_until,
                   t.per_member_limit
            FROM coupon c JOIN coupon_template t ON t.id = c.template_id
            """;

    /**
     * How many times a coupon template was written in this process, counted once each write is committed. The
     * terminal's file is open in one process only and every template it keeps is written by {@link #saveTemplate} (a
     * published one pulled from head office), so this number names the templates' version.
     */
    private static final AtomicLong TEMPLATE_WRITES = new AtomicLong();

    /** Every template by id, and the active ones in id order, as read at a version of {@link #TEMPLATE_WRITES}. */
    public record Templates(long version, Map<String, CouponTemplate> byId, List<CouponTemplate> active) {
    }

    private volatile Templates templates;

    /**
     * The templates from memory, read again only once a template was written since they were read (see
     * {@link #TEMPLATE_WRITES}): the triggers check every active template at every scan.
     */
    public Templates knownTemplates(Handle h) {
        long version = TEMPLATE_WRITES.get();
        Templates known = templates;
        if (known != null && known.version() == version) {
            return known;
        }
        // The version is taken before reading: a write committed meanwhile counts after it, so it is read again then.
        Map<String, CouponTemplate> byId = new HashMap<>();
        List<CouponTemplate> active = new ArrayList<>();
        h.createQuery("SELECT * FROM coupon_template ORDER BY id").map((rs, ctx) -> {
            CouponTemplate t = mapTemplate(rs, ctx);
            byId.put(t.id(), t);
            if (rs.getBoolean("active")) {
                active.add(t);
            }
            return t;
        }).list();
        Templates read = new Templates(version, Map.copyOf(byId), List.copyOf(active));
        templates = read;
        return read;
    }

    /** What a member's coupons say for the panel and the triggers, from one read of them. */
    public record MemberCoupons(List<Coupon> wallet, Map<String, LocalDate> lastIssuedByTemplate,
                                Map<String, Integer> usedByLimitedTemplate) {
    }

    /**
     * {@link #wallet}, {@link #lastIssuedByTemplate} and {@link #usedByLimitedTemplate} from one read of the member's
     * coupons, their templates from memory ({@link #knownTemplates}). {@code usedByLimitedTemplate} is empty unless the
     * wallet holds a template with a per-member limit, as the engine needs it only then.
     */
    public MemberCoupons memberCoupons(Handle h, UUID memberId) {
        List<Coupon> wallet = new ArrayList<>();
        Map<String, OffsetDateTime> lastIssued = new HashMap<>();
        Map<String, Integer> used = new HashMap<>();
        Templates[] known = {knownTemplates(h)};
        h.createQuery("""
                SELECT id, code, template_id, valid_from, valid_until, status, issued_at, issued_by FROM coupon
                WHERE member_id = :m""")
                .bind("m", memberId)
                .scanResultSet((supplier, ctx) -> {
                    ResultSet rs = supplier.get();
                    while (rs.next()) {
                        String templateId = rs.getString(3);
                        CouponTemplate t = known[0].byId().get(templateId);
                        if (t == null) { // written but not yet counted: read them again
                            known[0] = readTemplatesAgain(h);
                            t = known[0].byId().get(templateId);
                        }
                        if (t == null) {
                            t = template(h, templateId).orElseThrow();
                        }
                        Coupon.Status status = Coupon.Status.valueOf(rs.getString(6));
                        OffsetDateTime issuedAt = rs.getObject(7, OffsetDateTime.class);
                        lastIssued.merge(templateId, issuedAt, (a, b) -> a.compareTo(b) >= 0 ? a : b);
                        if (status == Coupon.Status.ISSUED) {
                            wallet.add(new Coupon(rs.getObject(1, UUID.class), rs.getString(2), memberId, t,
                                    rs.getObject(4, LocalDate.class), rs.getObject(5, LocalDate.class), status, issuedAt,
                                    rs.getString(8)));
                        } else if (status == Coupon.Status.REDEEMED && t.perMemberLimit() > 0) {
                            used.merge(templateId, 1, Integer::sum);
                        }
                    }
                    return null;
                });
        wallet.sort(Comparator.comparing(Coupon::validUntil));
        Map<String, LocalDate> lastIssuedOn = new HashMap<>();
        lastIssued.forEach((id, at) -> lastIssuedOn.put(id, at.toLocalDate()));
        boolean limited = wallet.stream().anyMatch(c -> c.template().perMemberLimit() > 0);
        return new MemberCoupons(List.copyOf(wallet), lastIssuedOn, limited ? used : Map.of());
    }

    private Templates readTemplatesAgain(Handle h) {
        templates = null;
        return knownTemplates(h);
    }

    public List<CouponTemplate> templates(Handle h) {
        return h.createQuery("SELECT * FROM coupon_template WHERE active ORDER BY id").map(CouponRepository::mapTemplate).list();
    }

    public Optional<CouponTemplate> template(Handle h, String id) {
        return h.createQuery("SELECT * FROM coupon_template WHERE id = :id").bind("id", id).map(CouponRepository::mapTemplate).findOne();
    }

    /**
     * Keeps a template, replacing the one with the same id (head office's templates are published again when they
     * change). Both the terminal's table and head office's have this shape. Counted in {@link #TEMPLATE_WRITES} once
     * committed, so the templates kept in memory are read again.
     */
    public void saveTemplate(Handle h, CouponTemplate t, boolean active) {
        int updated = h.createUpdate("""
                UPDATE coupon_template SET trigger_kind = :trigger, tier = :tier, discount_kind = :kind, amount_off_fen = :amount,
                       percent_off = :percent, max_off_fen = :max, min_spend_fen = :min, valid_days = :days, name_zh = :zh,
                       name_en = :en, active = :active, category = :category, valid_from = :from, valid_until = :until,
                       per_member_limit = :limit
                WHERE id = :id""").bindMap(templateValues(t, active)).execute();
        if (updated == 0) {
            h.createUpdate("""
                    INSERT INTO coupon_template(id, trigger_kind, tier, discount_kind, amount_off_fen, percent_off, max_off_fen,
                                                min_spend_fen, valid_days, name_zh, name_en, active, category, valid_from,
                                                valid_until, per_member_limit)
                    VALUES (:id, :trigger, :tier, :kind, :amount, :percent, :max, :min, :days, :zh, :en, :active, :category,
                            :from, :until, :limit)""").bindMap(templateValues(t, active)).execute();
        }
        if (h.isInTransaction()) {
            h.afterCommit(TEMPLATE_WRITES::incrementAndGet);
        } else {
            TEMPLATE_WRITES.incrementAndGet();
        }
    }

    private static Map<String, Object> templateValues(CouponTemplate t, boolean active) {
        Map<String, Object> v = new HashMap<>();
        v.put("id", t.id());
        v.put("trigger", t.trigger().name());
        v.put("tier", t.tier() == null ? null : t.tier().name());
        v.put("kind", t.discountKind().name());
        v.put("amount", t.discountKind() == CouponTemplate.DiscountKind.AMOUNT_OFF ? t.amountOffFen() : null);
        v.put("percent", t.discountKind() == CouponTemplate.DiscountKind.PERCENT_OFF ? t.percentOff() : null);
        v.put("max", t.discountKind() == CouponTemplate.DiscountKind.PERCENT_OFF ? t.maxOffFen() : null);
        v.put("min", t.minSpendFen());
        v.put("days", t.validDays());
        v.put("zh", t.nameZh());
        v.put("en", t.nameEn());
        v.put("active", active);
        v.put("category", t.category());
        v.put("from", t.validFrom());
        v.put("until", t.validUntil());
        v.put("limit", t.perMemberLimit());
        return v;
    }

    /** Every template, withdrawn ones too (head office lists them). */
    public List<CouponTemplate> allTemplates(Handle h) {
        return h.createQuery("SELECT * FROM coupon_template ORDER BY id").map(CouponRepository::mapTemplate).list();
    }

    /**
     * How many coupons of the template the member has used, here or (as head office told this store) at another store:
     * what a per-member limit counts.
     */
    public int usedCount(Handle h, UUID memberId, String templateId) {
        return h.createQuery("SELECT COUNT(*) FROM coupon WHERE member_id = :m AND template_id = :t AND status = 'REDEEMED'")
                .bind("m", memberId).bind("t", templateId).mapTo(Integer.class).one();
    }

    /** {@link #usedCount} for every template of the member's that has a per-member limit. */
    public Map<String, Integer> usedByLimitedTemplate(Handle h, UUID memberId) {
        Map<String, Integer> out = new HashMap<>();
        h.createQuery("""
                SELECT c.template_id, COUNT(*) FROM coupon c JOIN coupon_template t ON t.id = c.template_id
                WHERE c.member_id = :m AND c.status = 'REDEEMED' AND t.per_member_limit > 0 GROUP BY c.template_id""")
                .bind("m", memberId).map((rs, ctx) -> out.put(rs.getString(1), rs.getInt(2))).list();
        return out;
    }

    /** Issued coupons still held by the member (whatever their dates: the engine decides what is usable). */
    public List<Coupon> wallet(Handle h, UUID memberId) {
        return h.createQuery(COUPON_SELECT + " WHERE c.member_id = :m AND c.status = 'ISSUED' ORDER BY c.valid_until")
                .bind("m", memberId).map(CouponRepository::coupon).list();
    }

    public Optional<Coupon> findById(Handle h, UUID id) {
        return h.createQuery(COUPON_SELECT + " WHERE c.id = :id").bind("id", id).map(CouponRepository::coupon).findOne();
    }

    public Optional<Coupon> findByCode(Handle h, String code) {
        return h.createQuery(COUPON_SELECT + " WHERE c.code = :code").bind("code", code).map(CouponRepository::coupon).findOne();
    }

    /** Voids an issued coupon; false when it was not (any longer) issued. */
    public boolean markVoid(Handle h, UUID couponId, String reason) {
        return h.createUpdate("UPDATE coupon SET status = 'VOID', void_reason = :reason WHERE id = :id AND status = 'ISSUED'")
                .bind("id", couponId).bind("reason", reason).execute() == 1;
    }

    /** A coupon by its id and the code the member holds it by. */
    public record Issued(UUID id, String code) {
    }

    /**
     * The member's tier perks the till's trigger issued at or after {@code since} and still unused (one used stays
     * used), oldest first: what a void taking back a tier raise voids ({@link #markVoid} each).
     */
    public List<Issued> unusedPerksIssuedSince(Handle h, UUID memberId, OffsetDateTime since) {
        return h.createQuery("""
                SELECT id, code FROM coupon WHERE member_id = :m AND status = 'ISSUED' AND issued_by = :by
                  AND issued_at >= :since ORDER BY issued_at, code""")
                .bind("m", memberId).bind("by", Coupon.TRIGGER_PREFIX + ReasonCode.TIER_PERK.name())
                .bind("since", since.withOffsetSameInstant(ZoneOffset.UTC))
                .map((rs, ctx) -> new Issued(rs.getObject(1, UUID.class), rs.getString(2))).list();
    }

    public Map<String, LocalDate> lastIssuedByTemplate(Handle h, UUID memberId) {
        Map<String, LocalDate> out = new HashMap<>();
        h.createQuery("SELECT template_id, MAX(issued_at) AS last FROM coupon WHERE member_id = :m GROUP BY template_id")
                .bind("m", memberId)
                .map((rs, ctx) -> out.put(rs.getString("template_id"), rs.getObject("last", OffsetDateTime.class).toLocalDate()))
                .list();
        return out;
    }

    public void insert(Handle h, Coupon c) {
        h.createUpdate("""
                INSERT INTO coupon(id, code, member_id, template_id, valid_from, valid_until, status, issued_at, issued_by)
                VALUES (:id, :code, :member, :template, :from, :until, :status, :at, :by)""")
                .bind("id", c.id()).bind("code", c.code()).bind("member", c.memberId()).bind("template", c.template().id())
                .bind("from", c.validFrom()).bind("until", c.validUntil()).bind("status", c.status().name())
                .bind("at", c.issuedAt().withOffsetSameInstant(ZoneOffset.UTC)).bind("by", c.issuedBy())
                .execute();
    }

    /** Marks an issued coupon used; false when it was not (any longer) issued, so it cannot be used twice. */
    public boolean markRedeemed(Handle h, UUID couponId) {
        return h.createUpdate("UPDATE coupon SET status = 'REDEEMED' WHERE id = :id AND status = 'ISSUED'")
                .bind("id", couponId).execute() == 1;
    }

    public void insertRedemption(Handle h, UUID id, UUID couponId, UUID memberId, Long basketFen, long discountFen,
                                 String terminalId, OffsetDateTime at, long hlc) {
        h.createUpdate("""
                INSERT INTO coupon_redemption(id, coupon_id, member_id, basket_fen, discount_fen, terminal_id, redeemed_at, hlc)
                VALUES (:id, :coupon, :member, :basket, :discount, :terminal, :at, :hlc)""")
                .bind("id", id).bind("coupon", couponId).bind("member", memberId).bind("basket", basketFen)
                .bind("discount", discountFen).bind("terminal", terminalId)
                .bind("at", at.withOffsetSameInstant(ZoneOffset.UTC)).bind("hlc", hlc)
                .execute();
    }

    static CouponTemplate mapTemplate(ResultSet rs, StatementContext ctx) throws SQLException {
        String tier = rs.getString("tier");
        return new CouponTemplate(rs.getString("id"), CouponTemplate.Trigger.valueOf(rs.getString("trigger_kind")),
                tier == null ? null : Tier.valueOf(tier), CouponTemplate.DiscountKind.valueOf(rs.getString("discount_kind")),
                rs.getLong("amount_off_fen"), rs.getInt("percent_off"), rs.getLong("max_off_fen"), rs.getLong("min_spend_fen"),
                rs.getInt("valid_days"), rs.getString("name_zh"), rs.getString("name_en"), rs.getString("category"),
                rs.getObject("valid_from", LocalDate.class), rs.getObject("valid_until", LocalDate.class),
                rs.getInt("per_member_limit"));
    }

    static Coupon coupon(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Coupon(rs.getObject("coupon_id", UUID.class), rs.getString("code"), rs.getObject("member_id", UUID.class),
                mapTemplate(rs, ctx), rs.getObject("coupon_valid_from", LocalDate.class),
                rs.getObject("coupon_valid_until", LocalDate.class), Coupon.Status.valueOf(rs.getString("status")),
                rs.getObject("issued_at", OffsetDateTime.class), rs.getString("issued_by"));
    }
}
