package dev.counterpoint.office;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.counterpoint.protocol.Change;
import dev.counterpoint.protocol.ChangeKind;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Erasure;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.protocol.Tier;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Erasure of a member's personal data at head office (decision 0044), in the caller's write transaction under the
 * feed lock. The member and every member merged into it (the same person's cards) lose their name, phone hash and
 * mask, birthday, consent, custom tags and the items of their purchases; their inbox events are scrubbed as the terminals scrub
 * their outboxes ({@link Erasure#scrubEvent}); the change feed is rewritten so that a store that has not pulled yet
 * never receives the data (an enrolment becomes the erasure, a name or birthday edit, a consent and a tag are dropped, a
 * purchase keeps its total and loses its items); and a {@code member.erased} change per card tells every store to
 * erase what it holds. What stays: the ids, card codes, home store, tier, the points and stored-value ledgers,
 * coupons and purchase totals, so the chain's money still adds up.
 */
final class Erasures {
    /** What was erased: the card asked for, the members (survivor first, then its aliases) and when. */
    record Erased(String cardCode, List<UUID> memberIds, OffsetDateTime erasedAt) {
    }

    private static final Set<String> PERSONAL_KINDS = Set.of(ChangeKind.MEMBER_ENROLLED.wire(),
            ChangeKind.MEMBER_PROFILE.wire(), ChangeKind.MEMBER_CONSENT.wire(), ChangeKind.MEMBER_TAG.wire(),
            ChangeKind.PURCHASE_RECORDED.wire());

    private final ObjectMapper json;

    Erasures(ObjectMapper json) {
        this.json = json;
    }

    private record Shell(UUID id, String cardCode, String homeStore, Tier tier, OffsetDateTime enrolledAt,
                         EnrolmentSource enrolledVia, OffsetDateTime erasedAt) {
    }

    /**
     * Erases the member {@code anyId} stands for (itself, or the survivor it was merged into) with its aliases. An
     * erasure asked for again scrubs again (nothing is left to find) and keeps the first time.
     */
    Erased erase(Handle h, FeedWriter feed, UUID anyId, OffsetDateTime now) {
        UUID survivor = Projector.resolve(h, anyId);
        List<Shell> group = h.createQuery("""
                SELECT id, card_code, home_store, tier, enrolled_at, enrolled_via, erased_at FROM member
                WHERE id = :s OR survivor_id = :s ORDER BY CASE WHEN id = :s THEN 0 ELSE 1 END, id""")
                .bind("s", survivor)
                .map((rs, ctx) -> new Shell(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        Tier.valueOf(rs.getString(4)), rs.getObject(5, OffsetDateTime.class),
                        EnrolmentSource.valueOf(rs.getString(6)), rs.getObject(7, OffsetDateTime.class)))
                .list();
        List<UUID> ids = group.stream().map(Shell::id).toList();
        for (Shell m : group) {
            h.createUpdate("""
                    UPDATE member SET display_name = '', phone_hmac = NULL, phone_masked = NULL, phone_box = NULL, birthday = NULL,
                                      erased_at = COALESCE(erased_at, :now),
                                      status = CASE WHEN status = 'ACTIVE' THEN 'ERASED' ELSE status END
                    WHERE id = :m""").bind("m", m.id()).bind("now", now).execute();
            h.createUpdate("DELETE FROM member_field WHERE member_id = :m AND field <> 'tier'").bind("m", m.id()).execute();
            h.createUpdate("DELETE FROM member_consent WHERE member_id = :m").bind("m", m.id()).execute();
            h.createUpdate("DELETE FROM member_tag WHERE member_id = :m").bind("m", m.id()).execute();
            h.createUpdate("DELETE FROM purchase_line WHERE purchase_id IN (SELECT id FROM purchase WHERE member_id = :m)")
                    .bind("m", m.id()).execute();
        }
        scrubInbox(h, ids);
        rewriteFeed(h, group, now, "change_log", List.of("seq"));
        for (Shell m : group) {
            if (m.erasedAt() == null) {
                // To every store, the one that asked included: it may hold an alias it has not yet heard was merged.
                feed.append(erasedChange(m, now), null);
            }
        }
        String card = h.createQuery("SELECT card_code FROM member WHERE id = :id").bind("id", anyId).mapTo(String.class).one();
        // As stored (the database keeps microseconds), so that asking again answers the same time.
        OffsetDateTime at = h.createQuery("SELECT erased_at FROM member WHERE id = :id").bind("id", survivor)
                .mapTo(OffsetDateTime.class).one();
        return new Erased(card, ids, at);
    }

    private static Change.MemberErased erasedChange(Shell m, OffsetDateTime now) {
        return new Change.MemberErased(m.id(), m.cardCode(), m.homeStore(), m.tier(), m.enrolledAt(), m.enrolledVia(),
                m.erasedAt() != null ? m.erasedAt() : now);
    }

    /** The members' events in the inbox, scrubbed: found by their member column, or by payload when written before it. */
    private void scrubInbox(Handle h, List<UUID> ids) {
        Query q = h.createQuery("SELECT event_id, type, payload FROM inbox WHERE member_id IN (<ids>) OR member_id IS NULL AND ("
                + likeAny(ids.size()) + ")").bindList("ids", ids);
        bindLikes(q, ids);
        record Row(UUID id, String type, String payload) {
        }
        for (Row r : q.map((rs, ctx) -> new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3))).list()) {
            Optional<JsonNode> payload = tree(r.payload());
            if (payload.isEmpty() || !Erasure.memberOf(payload.get()).map(ids::contains).orElse(false)) {
                continue; // another member's event that merely names one of these
            }
            Erasure.scrubEvent(r.type(), payload.get()).ifPresent(scrubbed -> h.createUpdate(
                    "UPDATE inbox SET payload = :p WHERE event_id = :id").bind("p", scrubbed.toString())
                    .bind("id", r.id()).execute());
        }
    }

    /**
     * The change feed as a store that has not pulled yet will read it: the members' enrolments become their erasure, their
     * name and birthday edits and consent are gone, their purchases keep totals only.
     */
    private void rewriteFeed(Handle h, List<Shell> group, OffsetDateTime now, String table, List<String> key) {
        String row = key.stream().map(c -> c + " = :" + c).collect(java.util.stream.Collectors.joining(" AND "));
        List<UUID> ids = group.stream().map(Shell::id).toList();
        Query q = h.createQuery("SELECT " + String.join(", ", key) + ", kind, payload FROM " + table
                + " WHERE member_id IN (<ids>) OR member_id IS NULL"
                + " AND kind IN (<kinds>) AND (" + likeAny(ids.size()) + ")")
                .bindList("ids", ids).bindList("kinds", List.copyOf(PERSONAL_KINDS));
        bindLikes(q, ids);
        record Row(long[] key, String kind, String payload) {
            <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T at(T statement, List<String> columns) {
                for (int i = 0; i < columns.size(); i++) {
                    statement.bind(columns.get(i), key[i]);
                }
                return statement;
            }
        }
        int n = key.size();
        for (Row r : q.map((rs, ctx) -> {
            long[] k = new long[n];
            for (int i = 0; i < n; i++) {
                k[i] = rs.getLong(i + 1);
            }
            return new Row(k, rs.getString(n + 1), rs.getString(n + 2));
        }).list()) {
            if (!PERSONAL_KINDS.contains(r.kind())) {
                continue;
            }
            Optional<JsonNode> payload = tree(r.payload());
            Optional<UUID> member = payload.flatMap(Erasure::memberOf);
            if (payload.isEmpty() || member.isEmpty() || !ids.contains(member.get())) {
                continue;
            }
            ChangeKind kind = ChangeKind.byWire(r.kind()).orElseThrow();
            switch (kind) {
                case MEMBER_ENROLLED -> {
                    Shell m = group.stream().filter(s -> s.id().equals(member.get())).findFirst().orElseThrow();
                    r.at(h.createUpdate("UPDATE " + table + " SET kind = :kind, payload = :p WHERE " + row), key)
                            .bind("kind", ChangeKind.MEMBER_ERASED.wire())
                            .bind("p", ProtocolJson.write(json, erasedChange(m, now))).execute();
                }
                case MEMBER_PROFILE -> {
                    if (!Change.Field.TIER.wireName().equals(payload.get().path("field").asText())) {
                        r.at(h.createUpdate("DELETE FROM " + table + " WHERE " + row), key).execute();
                    }
                }
                case MEMBER_CONSENT, MEMBER_TAG -> r.at(h.createUpdate("DELETE FROM " + table + " WHERE " + row), key).execute();
                case PURCHASE_RECORDED -> {
                    if (payload.get().path("lines").size() > 0) {
                        ObjectNode p = (ObjectNode) payload.get();
                        p.putArray("lines");
                        r.at(h.createUpdate("UPDATE " + table + " SET payload = :p WHERE " + row), key).bind("p", p.toString())
                                .execute();
                    }
                }
                default -> {
                }
            }
        }
    }

    private static String likeAny(int n) {
        List<String> likes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            likes.add("payload LIKE :like" + i);
        }
        return String.join(" OR ", likes);
    }

    private static void bindLikes(Query q, List<UUID> ids) {
        for (int i = 0; i < ids.size(); i++) {
            q.bind("like" + i, "%" + ids.get(i) + "%");
        }
    }

    private Optional<JsonNode> tree(String text) {
        try {
            return Optional.of(json.readTree(text));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
