package dev.counterpoint.office;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.store.Ids;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Applies one pushed event to head office's tables and decides anything of value: who holds a coupon,
 * whether a balance went short, which member survives a duplicate phone. Runs inside the push transaction,
 * after the feed lock is taken, so decisions are serial. Payloads are read in full before anything is written.
 */
final class Projector {
    private final ObjectMapper json;

    Projector(ObjectMapper json) {
        this.json = json;
    }

    /** Thrown before any write when an event cannot be applied; the event is kept with verdict REJECTED. */
    static final class Unusable extends RuntimeException {
        Unusable(String message) {
            super(message);
        }
    }

    String apply(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, OffsetDateTime now) {
        JsonNode p = e.payload();
        return switch (e.type()) {
            case "member.enrolled", "member.imported" -> memberEnrolled(h, feed, who, e, p, now);
            case "member.updated" -> profile(h, feed, e, p);
            case "sale.recorded" -> sale(h, feed, who, e, p);
            case "purchase.imported" -> purchase(h, who, p, "IMPORT");
            case "coupon.redeemed" -> couponRedeemed(h, feed, who, e, p, now);
            case "coupon.issued" -> couponIssued(h, feed, who, p);
            case "coupon.voided" -> couponVoided(h, feed, who, p);
            case "points.redeemed" -> pointsSpent(h, feed, who, e, p);
            case "points.expired" -> pointsEntry(h, feed, who, e, p, uuid(p, "entry_id"), -positive(p, "points"), "EXPIRE",
                    optUuid(p, "lot_id"), at(p, "written_off_at", now));
            case "stored_value.paid" -> svEntry(h, feed, who, e, p, uuid(p, "entry_id"), -positive(p, "amount_fen"), "PAY",
                    null, at(p, "paid_at", now));
            case "stored_value.topped_up" -> toppedUp(h, feed, who, e, p, now);
            case "tier.reviewed" -> tier(h, feed, e, uuid(p, "member_id"), text(p, "to_tier"));
            // A store's own rule change (manager's editor) stays local: head office keeps it in the inbox only.
            case "rules.changed" -> Verdict.ACCEPTED;
            default -> throw new Unusable("unknown event type " + e.type());
        };
    }

    // ---- members and merges ----

    private String memberEnrolled(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, JsonNode p, OffsetDateTime now) {
        UUID id = uuid(p, "member_id");
        String card = text(p, "card_code");
        String name = text(p, "name");
        String phoneHmac = optText(p, "phone_hmac");
        String masked = optText(p, "phone_masked");
        String birthday = optText(p, "birthday");
        String tier = text(p, "tier");
        String home = text(p, "home_store");
        OffsetDateTime enrolledAt = OffsetDateTime.parse(text(p, "enrolled_at"));
        String via = optText(p, "source") == null ? "COUNTER" : optText(p, "source");
        long openingPoints = p.path("opening_points").asLong(0);
        UUID pointsEntry = optUuid(p, "points_entry_id");
        String pointsExpire = optText(p, "opening_points_expire_on");
        long openingFen = p.path("opening_stored_value_fen").asLong(0);
        UUID svEntry = optUuid(p, "sv_entry_id");
        if (exists(h, "member", id)) {
            throw new Unusable("member " + id + " is already known");
        }
        h.createUpdate("""
                INSERT INTO member(id, card_code, display_name, phone_hmac, phone_masked, birthday, tier, home_store,
                                   enrolled_at, enrolled_hlc, enrolled_via, status)
                VALUES (:id, :card, :name, :hmac, :masked, :birthday, :tier, :home, :at, :hlc, :via, 'ACTIVE')""")
                .bind("id", id).bind("card", card).bind("name", name).bind("hmac", phoneHmac).bind("masked", masked)
                .bind("birthday", birthday == null ? null : LocalDate.parse(birthday)).bind("tier", tier).bind("home", home)
                .bind("at", enrolledAt).bind("hlc", e.hlc()).bind("via", via).execute();
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("member_id", id.toString());
        change.put("card_code", card);
        change.put("name", name);
        change.put("phone_hmac", phoneHmac);
        change.put("phone_masked", masked);
        change.put("birthday", birthday);
        change.put("tier", tier);
        change.put("home_store", home);
        change.put("enrolled_at", enrolledAt.toString());
        change.put("enrolled_via", via);
        change.put("hlc", e.hlc());
        feed.append("member.enrolled", change, who);
        if (pointsEntry != null && openingPoints != 0) {
            insertPoints(h, feed, who, pointsEntry, id, openingPoints, "OPENING",
                    pointsExpire == null ? null : LocalDate.parse(pointsExpire), null, enrolledAt, e.hlc());
        }
        if (svEntry != null && openingFen != 0) {
            insertSv(h, feed, who, svEntry, id, openingFen, "OPENING", null, enrolledAt, e.hlc());
        }
        if (phoneHmac == null) {
            return Verdict.ACCEPTED;
        }
        // Same phone at several stores: the earliest enrolment (by HLC, then id) survives, whatever the arrival order.
        List<UUID> samePhone = h.createQuery("""
                SELECT id FROM member WHERE phone_hmac = :hmac AND status = 'ACTIVE' ORDER BY enrolled_hlc, id""")
                .bind("hmac", phoneHmac).mapTo(UUID.class).list();
        UUID survivor = samePhone.get(0);
        for (UUID other : samePhone.subList(1, samePhone.size())) {
            merge(h, feed, other, survivor, now);
        }
        return survivor.equals(id) ? Verdict.ACCEPTED : Verdict.MERGED;
    }

    /**
     * Profile edits: per field, the edit with the highest (HLC, event id) wins, whatever the arrival order. Every
     * store, the editing one included, receives the winning value, so a losing edit is replaced everywhere.
     */
    private String profile(Handle h, FeedWriter feed, IncomingEvent e, JsonNode p) {
        UUID member = resolve(h, uuid(p, "member_id"));
        JsonNode fields = p.path("fields");
        for (java.util.Iterator<String> it = fields.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("name") && !field.equals("birthday")) {
                throw new Unusable("not a profile field: " + field);
            }
            String value = fields.get(field).isNull() ? null : fields.get(field).asText();
            if (field.equals("name") && (value == null || value.isBlank())) {
                throw new Unusable("a member's name cannot be empty");
            }
            lastWriterWins(h, feed, e, member, field, value);
        }
        return Verdict.ACCEPTED;
    }

    /**
     * Sets a member field if this event is the latest (HLC, event id) to set it, whatever the arrival order, and sends
     * the winning value to every store (the one that made a losing edit included).
     */
    private void lastWriterWins(Handle h, FeedWriter feed, IncomingEvent e, UUID member, String field, String value) {
        record Stamp(long hlc, UUID eventId) {
        }
        Optional<Stamp> current = h.createQuery("SELECT hlc, event_id FROM member_field WHERE member_id = :m AND field = :f")
                .bind("m", member).bind("f", field)
                .map((rs, ctx) -> new Stamp(rs.getLong(1), rs.getObject(2, UUID.class))).findOne();
        boolean newer = current.isEmpty() || e.hlc() > current.get().hlc()
                || e.hlc() == current.get().hlc() && e.eventId().compareTo(current.get().eventId()) > 0;
        if (!newer) {
            return; // an edit with a later HLC already holds this field
        }
        String column = switch (field) {
            case "name" -> "display_name";
            case "birthday" -> "birthday";
            case "tier" -> "tier";
            default -> throw new Unusable("not a member field: " + field);
        };
        h.createUpdate("UPDATE member SET " + column + " = :v WHERE id = :m")
                .bind("v", (Object) (field.equals("birthday") && value != null ? LocalDate.parse(value) : value))
                .bind("m", member).execute();
        h.createUpdate("DELETE FROM member_field WHERE member_id = :m AND field = :f").bind("m", member).bind("f", field).execute();
        h.createUpdate("INSERT INTO member_field(member_id, field, hlc, event_id) VALUES (:m, :f, :hlc, :e)")
                .bind("m", member).bind("f", field).bind("hlc", e.hlc()).bind("e", e.eventId()).execute();
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("member_id", member.toString());
        change.put("field", field);
        change.put("value", value);
        change.put("hlc", e.hlc());
        feed.append("member.profile", change, null);
    }

    /** Makes {@code alias} an alias of {@code survivor} and moves its balances by compensating entries. */
    private void merge(Handle h, FeedWriter feed, UUID alias, UUID survivor, OffsetDateTime now) {
        h.createUpdate("UPDATE member SET status = 'MERGED', survivor_id = :s WHERE id = :a OR survivor_id = :a")
                .bind("s", survivor).bind("a", alias).execute();
        feed.append("member.merged", Map.of("alias_id", alias.toString(), "survivor_id", survivor.toString()), null);
        long points = sum(h, "SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = :m", alias);
        long fen = sum(h, "SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = :m", alias);
        movePoints(h, feed, alias, survivor, points, alias, now);
        moveSv(h, feed, alias, survivor, fen, alias, now);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("alias_id", alias.toString());
        detail.put("survivor_id", survivor.toString());
        detail.put("points_moved", points);
        detail.put("stored_value_moved_fen", fen);
        upsertException(h, "MEMBER_MERGED", alias.toString(), detail, "RESOLVED", now);
    }

    private void movePoints(Handle h, FeedWriter feed, UUID from, UUID to, long points, UUID ref, OffsetDateTime now) {
        if (points != 0) {
            long hlc = hlcOf(now);
            insertPoints(h, feed, null, Ids.next(), from, -points, "ADJUST", null, ref, now, hlc);
            insertPoints(h, feed, null, Ids.next(), to, points, "ADJUST", null, ref, now, hlc);
        }
    }

    private void moveSv(Handle h, FeedWriter feed, UUID from, UUID to, long fen, UUID ref, OffsetDateTime now) {
        if (fen != 0) {
            long hlc = hlcOf(now);
            insertSv(h, feed, null, Ids.next(), from, -fen, "ADJUST", ref, now, hlc);
            insertSv(h, feed, null, Ids.next(), to, fen, "ADJUST", ref, now, hlc);
        }
    }

    /** The member an id stands for today (itself, or the survivor it was merged into). */
    private static UUID resolve(Handle h, UUID memberId) {
        return h.createQuery("SELECT COALESCE(survivor_id, id) FROM member WHERE id = :id").bind("id", memberId)
                .mapTo(UUID.class).findOne().orElseThrow(() -> new Unusable("unknown member " + memberId));
    }

    // ---- sales, points, stored value ----

    private String sale(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, JsonNode p) {
        UUID member = uuid(p, "member_id");
        resolve(h, member);
        long earned = p.path("points_earned").asLong(0);
        UUID entry = optUuid(p, "points_entry_id");
        OffsetDateTime at = OffsetDateTime.parse(text(p, "purchased_at"));
        purchase(h, who, p, "SALE");
        String expires = optText(p, "points_expire_on");
        if (entry != null && earned != 0) {
            insertPoints(h, feed, who, entry, member, earned, "EARN", expires == null ? null : LocalDate.parse(expires),
                    uuid(p, "purchase_id"), at, e.hlc());
            compensateIfAlias(h, feed, member, earned, 0, at);
            settleOverdraft(h, resolve(h, member), at);
        }
        String before = optText(p, "tier_before");
        String after = optText(p, "tier_after");
        if (after != null && !after.equals(before)) {
            tier(h, feed, e, member, after);
        }
        return Verdict.ACCEPTED;
    }

    private String purchase(Handle h, TerminalIdentity who, JsonNode p, String source) {
        UUID id = uuid(p, "purchase_id");
        UUID member = uuid(p, "member_id");
        resolve(h, member);
        h.createUpdate("""
                INSERT INTO purchase(id, member_id, store_id, terminal_id, receipt_no, purchased_at, total_fen, source)
                VALUES (:id, :m, :s, :t, :r, :at, :total, :src)""")
                .bind("id", id).bind("m", member).bind("s", who.storeId()).bind("t", who.terminalId())
                .bind("r", optText(p, "receipt_no")).bind("at", OffsetDateTime.parse(text(p, "purchased_at")))
                .bind("total", p.path("total_fen").asLong()).bind("src", source).execute();
        return Verdict.ACCEPTED;
    }

    /** A spend: one SPEND entry per lot it consumed, kept with the terminal's ids, deltas and lots. */
    private String pointsSpent(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, JsonNode p) {
        UUID member = uuid(p, "member_id");
        UUID survivor = resolve(h, member);
        OffsetDateTime at = at(p, "redeemed_at", null);
        long total = 0;
        for (JsonNode entry : p.path("entries")) {
            long delta = entry.path("delta").asLong();
            if (delta >= 0) {
                throw new Unusable("a spend entry must be negative");
            }
            total += delta;
            insertPoints(h, feed, who, uuid(entry, "entry_id"), member, delta, "SPEND", null, optUuid(entry, "lot_id"), at, e.hlc());
        }
        if (total != -positive(p, "points")) {
            throw new Unusable("spend entries do not add up to the points spent");
        }
        compensateIfAlias(h, feed, member, total, 0, at);
        return settleOverdraft(h, survivor, at) ? Verdict.OVERDRAFT : Verdict.ACCEPTED;
    }

    private String toppedUp(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, JsonNode p, OffsetDateTime now) {
        UUID member = uuid(p, "member_id");
        UUID entry = uuid(p, "entry_id");
        long amount = positive(p, "amount_fen");
        UUID bonusEntry = optUuid(p, "bonus_entry_id");
        long bonus = p.path("bonus_fen").asLong(0);
        OffsetDateTime at = at(p, "topped_up_at", now);
        String verdict = svEntry(h, feed, who, e, p, entry, amount, "TOPUP", null, at);
        if (bonusEntry != null && bonus > 0) {
            verdict = svEntry(h, feed, who, e, p, bonusEntry, bonus, "BONUS", entry, at);
        }
        return verdict;
    }

    /** A tier change made at a store (upgrade on a sale, yearly review): the latest by HLC holds, at every store. */
    private String tier(Handle h, FeedWriter feed, IncomingEvent e, UUID memberId, String tier) {
        lastWriterWins(h, feed, e, resolve(h, memberId), "tier", tier);
        return Verdict.ACCEPTED;
    }

    private String pointsEntry(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, JsonNode p, UUID entry,
                               long delta, String kind, UUID ref, OffsetDateTime now) {
        UUID member = uuid(p, "member_id");
        UUID survivor = resolve(h, member);
        insertPoints(h, feed, who, entry, member, delta, kind, null, ref, now, e.hlc());
        compensateIfAlias(h, feed, member, delta, 0, now);
        return settleOverdraft(h, survivor, now) ? Verdict.OVERDRAFT : Verdict.ACCEPTED;
    }

    private String svEntry(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, JsonNode p, UUID entry,
                           long deltaFen, String kind, UUID ref, OffsetDateTime now) {
        UUID member = uuid(p, "member_id");
        UUID survivor = resolve(h, member);
        insertSv(h, feed, who, entry, member, deltaFen, kind, ref, now, e.hlc());
        compensateIfAlias(h, feed, member, 0, deltaFen, now);
        return settleOverdraft(h, survivor, now) ? Verdict.OVERDRAFT : Verdict.ACCEPTED;
    }

    /** An entry made on a member that has since been merged moves on to the survivor at once. */
    private void compensateIfAlias(Handle h, FeedWriter feed, UUID member, long points, long fen, OffsetDateTime now) {
        UUID survivor = resolve(h, member);
        if (!survivor.equals(member)) {
            movePoints(h, feed, member, survivor, points, member, now);
            moveSv(h, feed, member, survivor, fen, member, now);
        }
    }

    /**
     * A balance below zero means terminals spent, offline, more than there was: recorded as an open overdraft
     * exception with the shortfall; once later entries cover it, the exception is resolved. True if short now.
     */
    private boolean settleOverdraft(Handle h, UUID member, OffsetDateTime now) {
        long points = sum(h, "SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = :m", member);
        long fen = sum(h, "SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = :m", member);
        boolean pointsShort = overdraft(h, "POINTS_OVERDRAFT", member, points, now);
        boolean svShort = overdraft(h, "STORED_VALUE_OVERDRAFT", member, fen, now);
        return pointsShort || svShort;
    }

    private boolean overdraft(Handle h, String kind, UUID member, long balance, OffsetDateTime now) {
        if (balance < 0) {
            upsertException(h, kind, member.toString(), Map.of("member_id", member.toString(), "shortfall", -balance), "OPEN", now);
            return true;
        }
        h.createUpdate("UPDATE sync_exception SET state = 'RESOLVED', updated_at = :now WHERE kind = :k AND subject = :s AND state = 'OPEN'")
                .bind("now", now).bind("k", kind).bind("s", member.toString()).execute();
        return false;
    }

    private void insertPoints(Handle h, FeedWriter feed, TerminalIdentity origin, UUID id, UUID member, long delta, String kind,
                              LocalDate expires, UUID ref, OffsetDateTime at, long hlc) {
        h.createUpdate("""
                INSERT INTO points_entry(id, member_id, delta, kind, lot_expires_on, ref_id, created_at, hlc, store_id)
                VALUES (:id, :m, :d, :k, :exp, :ref, :at, :hlc, :store)""")
                .bind("id", id).bind("m", member).bind("d", delta).bind("k", kind).bind("exp", (Object) expires).bind("ref", (Object) ref)
                .bind("at", at).bind("hlc", hlc).bind("store", origin == null ? null : origin.storeId()).execute();
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("entry_id", id.toString());
        change.put("member_id", member.toString());
        change.put("delta", delta);
        change.put("kind", kind);
        change.put("lot_expires_on", expires == null ? null : expires.toString());
        change.put("ref_id", ref == null ? null : ref.toString());
        change.put("created_at", at.toString());
        change.put("hlc", hlc);
        feed.append("points.entry", change, origin);
    }

    private void insertSv(Handle h, FeedWriter feed, TerminalIdentity origin, UUID id, UUID member, long deltaFen, String kind,
                          UUID ref, OffsetDateTime at, long hlc) {
        h.createUpdate("""
                INSERT INTO sv_entry(id, member_id, delta_fen, kind, ref_id, created_at, hlc, store_id)
                VALUES (:id, :m, :d, :k, :ref, :at, :hlc, :store)""")
                .bind("id", id).bind("m", member).bind("d", deltaFen).bind("k", kind).bind("ref", (Object) ref)
                .bind("at", at).bind("hlc", hlc).bind("store", origin == null ? null : origin.storeId()).execute();
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("entry_id", id.toString());
        change.put("member_id", member.toString());
        change.put("delta_fen", deltaFen);
        change.put("kind", kind);
        change.put("ref_id", ref == null ? null : ref.toString());
        change.put("created_at", at.toString());
        change.put("hlc", hlc);
        feed.append("sv.entry", change, origin);
    }

    // ---- coupons ----

    /** Single use: the earliest redemption by (HLC, event id) holds the coupon; every other one is an exception. */
    private String couponRedeemed(Handle h, FeedWriter feed, TerminalIdentity who, IncomingEvent e, JsonNode p, OffsetDateTime now) {
        UUID redemption = uuid(p, "redemption_id");
        String code = text(p, "coupon_code");
        UUID member = uuid(p, "member_id");
        long discount = p.path("discount_fen").asLong();
        resolve(h, member);
        h.createUpdate("""
                INSERT INTO coupon_redemption(id, coupon_code, member_id, store_id, terminal_id, discount_fen, hlc, event_id)
                VALUES (:id, :code, :m, :s, :t, :d, :hlc, :e)""")
                .bind("id", redemption).bind("code", code).bind("m", member).bind("s", who.storeId()).bind("t", who.terminalId())
                .bind("d", discount).bind("hlc", e.hlc()).bind("e", e.eventId()).execute();
        Map<String, Object> used = new LinkedHashMap<>();
        used.put("coupon_code", code);
        used.put("coupon_id", text(p, "coupon_id"));
        used.put("redemption_id", redemption.toString());
        feed.append("coupon.redeemed", used, who);
        record Claim(UUID redemptionId, long hlc, UUID eventId) {
        }
        Optional<Claim> holder = h.createQuery("SELECT redemption_id, hlc, event_id FROM coupon_claim WHERE coupon_code = :c")
                .bind("c", code).map((rs, ctx) -> new Claim(rs.getObject(1, UUID.class), rs.getLong(2), rs.getObject(3, UUID.class)))
                .findOne();
        if (holder.isEmpty()) {
            h.createUpdate("INSERT INTO coupon_claim(coupon_code, redemption_id, hlc, event_id) VALUES (:c, :r, :hlc, :e)")
                    .bind("c", code).bind("r", redemption).bind("hlc", e.hlc()).bind("e", e.eventId()).execute();
            return Verdict.ACCEPTED;
        }
        Claim held = holder.get();
        boolean earlier = e.hlc() < held.hlc() || e.hlc() == held.hlc() && e.eventId().compareTo(held.eventId()) < 0;
        UUID winner = earlier ? redemption : held.redemptionId();
        if (earlier) {
            h.createUpdate("UPDATE coupon_claim SET redemption_id = :r, hlc = :hlc, event_id = :e WHERE coupon_code = :c")
                    .bind("c", code).bind("r", redemption).bind("hlc", e.hlc()).bind("e", e.eventId()).execute();
        }
        List<String> losers = h.createQuery("SELECT id FROM coupon_redemption WHERE coupon_code = :c AND id <> :w ORDER BY hlc, id")
                .bind("c", code).bind("w", winner).mapTo(UUID.class).list().stream().map(UUID::toString).toList();
        Map<String, Object> decided = new LinkedHashMap<>();
        decided.put("coupon_code", code);
        decided.put("winner_redemption_id", winner.toString());
        decided.put("loser_redemption_ids", losers);
        upsertException(h, "COUPON_CONFLICT", code, decided, "OPEN", now);
        feed.append("coupon.adjudicated", decided, null);
        return earlier ? Verdict.ACCEPTED : Verdict.CONFLICT;
    }

    /** A coupon a store issued (a trigger, a manager): every other store gets it in the member's wallet. */
    private String couponIssued(Handle h, FeedWriter feed, TerminalIdentity who, JsonNode p) {
        UUID id = uuid(p, "coupon_id");
        String code = text(p, "coupon_code");
        UUID member = uuid(p, "member_id");
        String template = text(p, "template_id");
        LocalDate from = LocalDate.parse(text(p, "valid_from"));
        LocalDate until = LocalDate.parse(text(p, "valid_until"));
        OffsetDateTime issued = OffsetDateTime.parse(text(p, "issued_at"));
        resolve(h, member);
        recordCoupon(h, feed, who, id, code, member, template, from, until, issued);
        return Verdict.ACCEPTED;
    }

    /**
     * Writes a coupon head office holds and announces it on the change feed: store-issued ones (from
     * {@code origin}) and centrally issued ones (origin null) alike.
     */
    static Map<String, Object> recordCoupon(Handle h, FeedWriter feed, TerminalIdentity origin, UUID id, String code,
                                            UUID member, String template, LocalDate from, LocalDate until,
                                            OffsetDateTime issued) {
        h.createUpdate("""
                INSERT INTO coupon(id, code, member_id, template_id, valid_from, valid_until, issued_at)
                VALUES (:id, :code, :m, :t, :from, :until, :at)""")
                .bind("id", id).bind("code", code).bind("m", member).bind("t", template).bind("from", from).bind("until", until)
                .bind("at", issued).execute();
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("coupon_id", id.toString());
        change.put("code", code);
        change.put("member_id", member.toString());
        change.put("template_id", template);
        change.put("valid_from", from.toString());
        change.put("valid_until", until.toString());
        change.put("issued_at", issued.toString());
        feed.append("coupon.issued", change, origin);
        return change;
    }

    private String couponVoided(Handle h, FeedWriter feed, TerminalIdentity who, JsonNode p) {
        String code = text(p, "coupon_code");
        h.createUpdate("UPDATE coupon SET status = 'VOID' WHERE code = :c").bind("c", code).execute();
        feed.append("coupon.voided", Map.of("coupon_code", code), who);
        return Verdict.ACCEPTED;
    }

    // ---- helpers ----

    /** When the terminal says it happened (its clock), or {@code fallback} for events that do not say. */
    private static OffsetDateTime at(JsonNode p, String field, OffsetDateTime fallback) {
        String t = optText(p, field);
        if (t == null) {
            if (fallback == null) {
                throw new Unusable("missing " + field);
            }
            return fallback;
        }
        return OffsetDateTime.parse(t);
    }

    private void upsertException(Handle h, String kind, String subject, Map<String, ?> detail, String state, OffsetDateTime now) {
        String body;
        try {
            body = json.writeValueAsString(detail);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalArgumentException(ex);
        }
        int updated = h.createUpdate("UPDATE sync_exception SET detail = :d, state = :st, updated_at = :now WHERE kind = :k AND subject = :s")
                .bind("d", body).bind("st", state).bind("now", now).bind("k", kind).bind("s", subject).execute();
        if (updated == 0) {
            h.createUpdate("""
                    INSERT INTO sync_exception(id, kind, subject, detail, state, created_at, updated_at)
                    VALUES (:id, :k, :s, :d, :st, :now, :now)""")
                    .bind("id", Ids.next()).bind("k", kind).bind("s", subject).bind("d", body).bind("st", state).bind("now", now)
                    .execute();
        }
    }

    private static long hlcOf(OffsetDateTime now) {
        return now.toInstant().toEpochMilli() << 16;
    }

    private static long sum(Handle h, String sql, UUID member) {
        return h.createQuery(sql).bind("m", member).mapTo(Long.class).one();
    }

    private static boolean exists(Handle h, String table, UUID id) {
        return h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE id = :id").bind("id", id).mapTo(Integer.class).one() > 0;
    }

    private static String text(JsonNode p, String field) {
        JsonNode n = p.get(field);
        if (n == null || n.isNull() || n.asText().isBlank()) {
            throw new Unusable("missing " + field);
        }
        return n.asText();
    }

    private static String optText(JsonNode p, String field) {
        JsonNode n = p.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static UUID uuid(JsonNode p, String field) {
        try {
            return UUID.fromString(text(p, field));
        } catch (IllegalArgumentException e) {
            throw new Unusable("bad " + field);
        }
    }

    private static UUID optUuid(JsonNode p, String field) {
        return optText(p, field) == null ? null : uuid(p, field);
    }

    private static long positive(JsonNode p, String field) {
        long v = p.path(field).asLong(0);
        if (v <= 0) {
            throw new Unusable(field + " must be positive");
        }
        return v;
    }
}
