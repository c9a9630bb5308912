package dev.counterpoint.office;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Everything head office holds of one member, for an access request ({@code GET /v1/members/{card}/export}): the
 * profile (with the full phone number, opened from its box), consent, custom tags, tier and its reviews, balances, both ledgers, purchases with their items, and coupons with their
 * redemptions. The member's aliases (cards merged into it) are the same person and are included. Fields are written in
 * a fixed order and lists sorted by time and then id, so the export is stable text.
 */
final class MemberExport {
    private final Handle h;
    private final PhoneBoxes phoneBoxes;

    MemberExport(Handle h, PhoneBoxes phoneBoxes) {
        this.h = h;
        this.phoneBoxes = phoneBoxes;
    }

    Map<String, Object> of(UUID member, OffsetDateTime now) {
        List<UUID> ids = h.createQuery("SELECT id FROM member WHERE id = :m OR survivor_id = :m ORDER BY id")
                .bind("m", member).mapTo(UUID.class).list();
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> profile = new LinkedHashMap<>();
        doc.put("exported_at", text(now));
        h.createQuery("""
                SELECT id, card_code, display_name, phone_hmac, phone_masked, phone_box, birthday, tier, home_store, enrolled_at, enrolled_via,
                       status, erased_at
                FROM member WHERE id = :m""").bind("m", member).map((rs, ctx) -> {
                    boolean erased = rs.getObject("erased_at") != null;
                    doc.put("member_id", rs.getObject("id", UUID.class).toString());
                    doc.put("card_code", rs.getString("card_code"));
                    doc.put("erased", erased);
                    doc.put("erased_at", text(rs.getObject("erased_at", OffsetDateTime.class)));
                    profile.put("name", erased ? null : rs.getString("display_name"));
                    profile.put("phone_masked", rs.getString("phone_masked"));
                    // the full number, opened for the member's own request only; absent when no store could seal it
                    profile.put("phone", phoneBoxes.open(h, rs.getString("phone_box"), rs.getString("phone_hmac"),
                            rs.getString("phone_masked")).orElse(null));
                    LocalDate birthday = rs.getObject("birthday", LocalDate.class);
                    profile.put("birthday", birthday == null ? null : birthday.toString());
                    profile.put("home_store", rs.getString("home_store"));
                    profile.put("enrolled_at", text(rs.getObject("enrolled_at", OffsetDateTime.class)));
                    profile.put("enrolled_via", rs.getString("enrolled_via"));
                    profile.put("status", rs.getString("status"));
                    doc.put("profile", profile);
                    doc.put("tier", rs.getString("tier"));
                    return member;
                }).one();
        profile.put("alias_cards", h.createQuery(
                "SELECT card_code FROM member WHERE survivor_id = :m ORDER BY card_code").bind("m", member)
                .mapTo(String.class).list());
        List<Map<String, Object>> consent = h.createQuery("""
                SELECT channel, granted, recorded_at, store_id, terminal_id, staff_id FROM member_consent
                WHERE member_id = :m ORDER BY channel""").bind("m", member).map((rs, ctx) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("channel", rs.getString(1));
                    row.put("granted", rs.getBoolean(2));
                    row.put("recorded_at", text(rs.getObject(3, OffsetDateTime.class)));
                    row.put("store_id", rs.getString(4));
                    row.put("terminal_id", rs.getString(5));
                    row.put("staff_id", rs.getString(6));
                    return row;
                }).list();
        doc.put("marketing_consent", consent.stream()
                .anyMatch(c -> !"PRIVACY_NOTICE".equals(c.get("channel")) && Boolean.TRUE.equals(c.get("granted"))));
        doc.put("consent", consent);
        // Every custom tag set on the member or a card merged into it, on or removed, with who set it (decision 0077).
        doc.put("custom_tags", h.createQuery("""
                SELECT tag, tag_on, set_at, store_id, staff_id FROM member_tag
                WHERE member_id IN (<ids>) ORDER BY tag, member_id""").bindList("ids", ids).map((rs, ctx) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("tag", rs.getString(1));
                    row.put("on", rs.getBoolean(2));
                    row.put("set_at", text(rs.getObject(3, OffsetDateTime.class)));
                    row.put("store_id", rs.getString(4));
                    row.put("staff_id", rs.getString(5));
                    return row;
                }).list());
        doc.put("tier_reviews", h.createQuery("""
                SELECT review_date, from_tier, to_tier, figure, rule_set_version FROM tier_review
                WHERE member_id IN (<ids>) ORDER BY review_date, member_id""").bindList("ids", ids).map((rs, ctx) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("review_date", rs.getObject(1, LocalDate.class).toString());
                    row.put("from_tier", rs.getString(2));
                    row.put("to_tier", rs.getString(3));
                    row.put("figure", rs.getLong(4));
                    row.put("rule_set_version", rs.getInt(5));
                    return row;
                }).list());
        Map<String, Object> balances = new LinkedHashMap<>();
        balances.put("points", h.createQuery("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = :m")
                .bind("m", member).mapTo(Long.class).one());
        balances.put("stored_value_fen", h.createQuery("SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = :m")
                .bind("m", member).mapTo(Long.class).one());
        doc.put("balances", balances);
        Map<String, Object> ledgers = new LinkedHashMap<>();
        ledgers.put("points", h.createQuery("""
                SELECT id, member_id, delta, kind, lot_expires_on, ref_id, created_at, store_id FROM points_entry
                WHERE member_id IN (<ids>) ORDER BY created_at, id""").bindList("ids", ids).map((rs, ctx) -> {
                    Map<String, Object> row = entry(rs);
                    row.put("delta", rs.getLong("delta"));
                    row.put("kind", rs.getString("kind"));
                    LocalDate lot = rs.getObject("lot_expires_on", LocalDate.class);
                    row.put("lot_expires_on", lot == null ? null : lot.toString());
                    return finish(rs, row);
                }).list());
        ledgers.put("stored_value", h.createQuery("""
                SELECT id, member_id, delta_fen, kind, ref_id, created_at, store_id FROM sv_entry
                WHERE member_id IN (<ids>) ORDER BY created_at, id""").bindList("ids", ids).map((rs, ctx) -> {
                    Map<String, Object> row = entry(rs);
                    row.put("delta_fen", rs.getLong("delta_fen"));
                    row.put("kind", rs.getString("kind"));
                    return finish(rs, row);
                }).list());
        doc.put("ledgers", ledgers);
        doc.put("purchases", purchases(ids));
        doc.put("coupons", coupons(ids));
        return doc;
    }

    private static Map<String, Object> entry(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("entry_id", rs.getObject("id", UUID.class).toString());
        row.put("member_id", rs.getObject("member_id", UUID.class).toString());
        return row;
    }

    private static Map<String, Object> finish(ResultSet rs, Map<String, Object> row) throws SQLException {
        UUID ref = rs.getObject("ref_id", UUID.class);
        row.put("ref_id", ref == null ? null : ref.toString());
        row.put("created_at", text(rs.getObject("created_at", OffsetDateTime.class)));
        row.put("store_id", rs.getString("store_id"));
        return row;
    }

    private List<Map<String, Object>> purchases(List<UUID> ids) {
        Map<UUID, Map<String, Object>> out = new LinkedHashMap<>();
        h.createQuery("""
                SELECT p.id, p.member_id, p.receipt_no, p.store_id, p.terminal_id, p.purchased_at, p.total_fen, p.source,
                       l.sku, l.category, l.qty, l.amount_fen
                FROM purchase p LEFT JOIN purchase_line l ON l.purchase_id = p.id
                WHERE p.member_id IN (<ids>) ORDER BY p.purchased_at, p.id, l.line_no""").bindList("ids", ids)
                .map((rs, ctx) -> {
                    UUID id = rs.getObject(1, UUID.class);
                    Map<String, Object> p = out.get(id);
                    if (p == null) {
                        p = new LinkedHashMap<>();
                        p.put("purchase_id", id.toString());
                        p.put("member_id", rs.getObject(2, UUID.class).toString());
                        p.put("receipt_no", rs.getString(3));
                        p.put("store_id", rs.getString(4));
                        p.put("terminal_id", rs.getString(5));
                        p.put("purchased_at", text(rs.getObject(6, OffsetDateTime.class)));
                        p.put("total_fen", rs.getLong(7));
                        p.put("source", rs.getString(8));
                        p.put("lines", new ArrayList<Map<String, Object>>());
                        out.put(id, p);
                    }
                    if (rs.getObject(11) != null) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("sku", rs.getString(9));
                        line.put("category", rs.getString(10));
                        line.put("qty", rs.getInt(11));
                        line.put("amount_fen", rs.getLong(12));
                        @SuppressWarnings("unchecked")
                        List<Map<String, Object>> lines = (List<Map<String, Object>>) p.get("lines");
                        lines.add(line);
                    }
                    return id;
                }).list();
        return new ArrayList<>(out.values());
    }

    private List<Map<String, Object>> coupons(List<UUID> ids) {
        List<Map<String, Object>> coupons = h.createQuery("""
                SELECT code, member_id, template_id, valid_from, valid_until, status, issued_at, issued_by FROM coupon
                WHERE member_id IN (<ids>) ORDER BY issued_at, code""").bindList("ids", ids).map((rs, ctx) -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("code", rs.getString(1));
                    c.put("member_id", rs.getObject(2, UUID.class).toString());
                    c.put("template_id", rs.getString(3));
                    c.put("valid_from", rs.getObject(4, LocalDate.class).toString());
                    c.put("valid_until", rs.getObject(5, LocalDate.class).toString());
                    c.put("status", rs.getString(6));
                    c.put("issued_at", text(rs.getObject(7, OffsetDateTime.class)));
                    c.put("issued_by", rs.getString(8));
                    return c;
                }).list();
        for (Map<String, Object> c : coupons) {
            c.put("redemptions", h.createQuery("""
                    SELECT r.id, r.store_id, r.terminal_id, r.discount_fen,
                           CASE WHEN k.redemption_id = r.id THEN 'STANDS' ELSE 'LOST' END
                    FROM coupon_redemption r LEFT JOIN coupon_claim k ON k.coupon_code = r.coupon_code
                    WHERE r.coupon_code = :c ORDER BY r.hlc, r.id""").bind("c", c.get("code")).map((rs, ctx) -> {
                        Map<String, Object> r = new LinkedHashMap<>();
                        r.put("redemption_id", rs.getObject(1, UUID.class).toString());
                        r.put("store_id", rs.getString(2));
                        r.put("terminal_id", rs.getString(3));
                        r.put("discount_fen", rs.getLong(4));
                        r.put("outcome", rs.getString(5));
                        return r;
                    }).list());
        }
        return coupons;
    }

    /**
     * The document as a JSON tree in the order it was built: the one JSON configuration writes maps with their keys
     * sorted, a tree as it is.
     */
    static ObjectNode tree(Map<String, Object> doc, JsonNodeFactory nodes) {
        return (ObjectNode) node(doc, nodes);
    }

    private static JsonNode node(Object value, JsonNodeFactory nodes) {
        if (value == null) {
            return nodes.nullNode();
        } else if (value instanceof Map<?, ?> map) {
            ObjectNode o = nodes.objectNode();
            map.forEach((k, v) -> o.set(String.valueOf(k), node(v, nodes)));
            return o;
        } else if (value instanceof List<?> list) {
            ArrayNode a = nodes.arrayNode();
            list.forEach(v -> a.add(node(v, nodes)));
            return a;
        } else if (value instanceof Boolean b) {
            return nodes.booleanNode(b);
        } else if (value instanceof Integer i) {
            return nodes.numberNode(i);
        } else if (value instanceof Long l) {
            return nodes.numberNode(l);
        }
        return nodes.textNode(String.valueOf(value));
    }

    private static String text(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toString();
    }
}
