package dev.counterpoint.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.member.MemberRepository;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies head office's changes to the terminal's tables. Every change is idempotent (rows are keyed by
 * head office's ids), so a page applied twice changes nothing the second time. Kinds this version does not
 * know are skipped, so an older terminal keeps working against a newer office.
 */
final class FeedApplier {
    private static final Logger LOG = LoggerFactory.getLogger(FeedApplier.class);
    private final MemberRepository members;

    FeedApplier(MemberRepository members) {
        this.members = members;
    }

    void apply(Handle h, String kind, JsonNode p) {
        switch (kind) {
            case "member.enrolled" -> memberEnrolled(h, p);
            case "member.profile" -> memberProfile(h, p);
            case "member.merged" -> memberMerged(h, uuid(p, "alias_id"), uuid(p, "survivor_id"));
            case "points.entry" -> pointsEntry(h, p);
            case "sv.entry" -> svEntry(h, p);
            case "coupon.issued" -> couponIssued(h, p);
            case "coupon.redeemed" -> h.createUpdate("UPDATE coupon SET status = 'REDEEMED' WHERE code = :c AND status = 'ISSUED'")
                    .bind("c", p.path("coupon_code").asText()).execute();
            case "coupon.voided" -> h.createUpdate("UPDATE coupon SET status = 'VOID' WHERE code = :c AND status = 'ISSUED'")
                    .bind("c", p.path("coupon_code").asText()).execute();
            case "coupon.adjudicated" -> couponAdjudicated(h, p);
            case "rule_set.published" -> ruleSet(h, p);
            default -> LOG.info("change of kind {} is not known to this terminal version; skipped", kind);
        }
    }

    private void memberEnrolled(Handle h, JsonNode p) {
        UUID id = uuid(p, "member_id");
        if (exists(h, "SELECT COUNT(*) FROM member WHERE id = :id", id)) {
            return;
        }
        String masked = text(p, "phone_masked");
        String name = p.path("name").asText();
        h.createUpdate("""
                INSERT INTO member(id, display_name, name_search, phone_hmac, phone_masked, phone_last4, birthday, tier,
                                   home_store, enrolled_at, enrolled_via, updated_hlc)
                VALUES (:id, :name, :search, :hmac, :masked, :last4, :birthday, :tier, :home, :at, :via, :hlc)""")
                .bind("id", id).bind("name", name).bind("search", name.toLowerCase(Locale.ROOT))
                .bind("hmac", text(p, "phone_hmac")).bind("masked", masked)
                .bind("last4", masked != null && masked.length() >= 4 ? masked.substring(masked.length() - 4) : null)
                .bind("birthday", text(p, "birthday") == null ? null : LocalDate.parse(text(p, "birthday")))
                .bind("tier", p.path("tier").asText("NORMAL")).bind("home", p.path("home_store").asText())
                .bind("at", OffsetDateTime.parse(p.path("enrolled_at").asText()))
                .bind("via", p.path("enrolled_via").asText("COUNTER")).bind("hlc", p.path("hlc").asLong())
                .execute();
        members.indexName(h, id, name);
        String card = p.path("card_code").asText();
        if (exists(h, "SELECT COUNT(*) FROM member_code WHERE code = :id", card)) {
            LOG.warn("card code {} of member {} is already used here; the member is found by phone or name", card, id);
        } else {
            h.createUpdate("INSERT INTO member_code(code, member_id, kind) VALUES (:c, :m, 'CARD')").bind("c", card).bind("m", id).execute();
        }
    }

    /** Head office's winning value for a profile field; a newer edit made here (not yet pushed) is kept. */
    private void memberProfile(Handle h, JsonNode p) {
        UUID member = uuid(p, "member_id");
        String field = p.path("field").asText();
        long hlc = p.path("hlc").asLong();
        if (!memberKnown(h, member) || !MemberRepository.SYNCED_FIELDS.contains(field)) {
            return;
        }
        Long local = members.fieldHlc(h, member, field);
        if (local == null || hlc >= local) {
            members.setField(h, member, field, text(p, "value"), hlc);
        }
    }

    /** The alias keeps its rows (history is never rewritten); its codes now lead to the survivor. */
    private void memberMerged(Handle h, UUID alias, UUID survivor) {
        if (!exists(h, "SELECT COUNT(*) FROM member WHERE id = :id", alias)
                || !exists(h, "SELECT COUNT(*) FROM member WHERE id = :id", survivor)) {
            return;
        }
        h.createUpdate("UPDATE member SET status = 'MERGED' WHERE id = :a").bind("a", alias).execute();
        h.createUpdate("UPDATE member_alias SET survivor_id = :s WHERE survivor_id = :a").bind("s", survivor).bind("a", alias).execute();
        h.createUpdate("DELETE FROM member_alias WHERE alias_id = :a").bind("a", alias).execute();
        h.createUpdate("INSERT INTO member_alias(alias_id, survivor_id) VALUES (:a, :s)").bind("a", alias).bind("s", survivor).execute();
        h.createUpdate("UPDATE member_code SET member_id = :s, kind = 'ALIAS' WHERE member_id = :a")
                .bind("s", survivor).bind("a", alias).execute();
    }

    private void pointsEntry(Handle h, JsonNode p) {
        UUID id = uuid(p, "entry_id");
        UUID member = uuid(p, "member_id");
        if (exists(h, "SELECT COUNT(*) FROM points_entry WHERE id = :id", id) || !memberKnown(h, member)) {
            return;
        }
        h.createUpdate("""
                INSERT INTO points_entry(id, member_id, delta, kind, lot_expires_on, ref_id, created_at, hlc, pulled)
                VALUES (:id, :m, :d, :k, :exp, :ref, :at, :hlc, TRUE)""")
                .bind("id", id).bind("m", member).bind("d", p.path("delta").asLong()).bind("k", p.path("kind").asText())
                .bind("exp", text(p, "lot_expires_on") == null ? null : LocalDate.parse(text(p, "lot_expires_on")))
                .bind("ref", text(p, "ref_id") == null ? null : UUID.fromString(text(p, "ref_id")))
                .bind("at", OffsetDateTime.parse(p.path("created_at").asText())).bind("hlc", p.path("hlc").asLong())
                .execute();
    }

    private void svEntry(Handle h, JsonNode p) {
        UUID id = uuid(p, "entry_id");
        UUID member = uuid(p, "member_id");
        if (exists(h, "SELECT COUNT(*) FROM sv_entry WHERE id = :id", id) || !memberKnown(h, member)) {
            return;
        }
        h.createUpdate("""
                INSERT INTO sv_entry(id, member_id, delta_fen, kind, ref_id, created_at, hlc, pulled)
                VALUES (:id, :m, :d, :k, :ref, :at, :hlc, TRUE)""")
                .bind("id", id).bind("m", member).bind("d", p.path("delta_fen").asLong()).bind("k", p.path("kind").asText())
                .bind("ref", text(p, "ref_id") == null ? null : UUID.fromString(text(p, "ref_id")))
                .bind("at", OffsetDateTime.parse(p.path("created_at").asText())).bind("hlc", p.path("hlc").asLong())
                .execute();
    }

    private void couponIssued(Handle h, JsonNode p) {
        UUID id = uuid(p, "coupon_id");
        UUID member = uuid(p, "member_id");
        String template = p.path("template_id").asText();
        if (exists(h, "SELECT COUNT(*) FROM coupon WHERE id = :id", id) || !memberKnown(h, member)) {
            return;
        }
        if (!exists(h, "SELECT COUNT(*) FROM coupon_template WHERE id = :id", template)) {
            LOG.warn("coupon {} uses template {} which this terminal does not have; skipped", p.path("code").asText(), template);
            return;
        }
        h.createUpdate("""
                INSERT INTO coupon(id, code, member_id, template_id, valid_from, valid_until, status, issued_at, issued_by)
                VALUES (:id, :code, :m, :t, :from, :until, 'ISSUED', :at, 'head-office')""")
                .bind("id", id).bind("code", p.path("code").asText()).bind("m", member).bind("t", template)
                .bind("from", LocalDate.parse(p.path("valid_from").asText()))
                .bind("until", LocalDate.parse(p.path("valid_until").asText()))
                .bind("at", OffsetDateTime.parse(p.path("issued_at").asText())).execute();
    }

    /** Head office decided who holds a contested coupon; the redemptions made here learn their outcome. */
    private void couponAdjudicated(Handle h, JsonNode p) {
        h.createUpdate("UPDATE coupon SET status = 'REDEEMED' WHERE code = :c AND status = 'ISSUED'")
                .bind("c", p.path("coupon_code").asText()).execute();
        h.createUpdate("UPDATE coupon_redemption SET outcome = 'STANDS', provisional = FALSE WHERE id = :id")
                .bind("id", uuid(p, "winner_redemption_id")).execute();
        for (JsonNode loser : p.path("loser_redemption_ids")) {
            h.createUpdate("UPDATE coupon_redemption SET outcome = 'LOST', provisional = FALSE WHERE id = :id")
                    .bind("id", UUID.fromString(loser.asText())).execute();
        }
    }

    private void ruleSet(Handle h, JsonNode p) {
        int version = p.path("version").asInt();
        if (!exists(h, "SELECT COUNT(*) FROM rule_set WHERE version = :id", version)) {
            h.createUpdate("INSERT INTO rule_set(version, body, activated_at) VALUES (:v, :b, CURRENT_TIMESTAMP)")
                    .bind("v", version).bind("b", p.path("body").asText()).execute();
        }
    }

    private static boolean memberKnown(Handle h, UUID member) {
        return exists(h, "SELECT COUNT(*) FROM member WHERE id = :id", member);
    }

    private static boolean exists(Handle h, String sql, Object id) {
        return h.createQuery(sql).bind("id", id).mapTo(Integer.class).one() > 0;
    }

    private static UUID uuid(JsonNode p, String field) {
        return UUID.fromString(p.path(field).asText());
    }

    private static String text(JsonNode p, String field) {
        JsonNode n = p.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
