package dev.counterpoint.office.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.store.Digests;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Each terminal as head office knows it, for the Terminals and Today pages: registration, the last push and pull, the
 * events it still had to send when it last pulled, and whether a given day was closed there and confirmed: the
 * close-of-day audit entry ({@code DAY_CLOSED}, decision 0048) names the events it covered and their digest, and head
 * office recomputes that digest from what it holds.
 */
final class TerminalStates {
    /** A terminal syncs every minute: one not heard from for longer than this is shown offline. */
    static final Duration ONLINE_WITHIN = Duration.ofMinutes(3);

    /**
     * Closes found confirmed, by store, terminal, day, sequence and digest: the inbox below a confirmed close never
     * changes, so its digest is computed once, not at every refresh of Today (a year of a terminal's events is 200,000
     * ids). A close whose digest differs is checked again: the missing events may still arrive.
     */
    private static final java.util.Set<String> CONFIRMED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int MAX_REMEMBERED = 100_000;

    private TerminalStates() {}

    /** How a day's close at a terminal stands at head office. */
    enum Close { OPEN, CLOSED_UNCONFIRMED, CONFIRMED, DIGEST_DIFFERS }

    record State(String storeId, String terminalId, String status, OffsetDateTime registeredAt, OffsetDateTime revokedAt,
                 OffsetDateTime lastPushAt, OffsetDateTime lastPullAt, long eventsReceived, Long eventsPending, Close close) {
        OffsetDateTime lastSync() {
            if (lastPushAt == null) {
                return lastPullAt;
            }
            return lastPullAt == null || lastPushAt.isAfter(lastPullAt) ? lastPushAt : lastPullAt;
        }

        boolean online(OffsetDateTime now) {
            OffsetDateTime last = lastSync();
            return "ACTIVE".equals(status) && last != null && last.plus(ONLINE_WITHIN).isAfter(now);
        }
    }

    /** The terminals this viewer may see, by store and terminal, with how {@code day} stands at each. */
    static List<State> list(Handle h, Viewer viewer, LocalDate day, com.fasterxml.jackson.databind.ObjectMapper json) {
        return h.createQuery("""
                SELECT store_id, terminal_id, status, registered_at, revoked_at, last_push_at, last_pull_at, events_received,
                       events_pending
                FROM terminal WHERE (:all OR store_id = :store) ORDER BY store_id, terminal_id""")
                .bind("all", viewer.isOwner()).bind("store", viewer.storeId())
                .map((rs, ctx) -> new State(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class),
                        rs.getObject(6, OffsetDateTime.class), rs.getObject(7, OffsetDateTime.class), rs.getLong(8),
                        (Long) rs.getObject(9, Long.class), null))
                .list().stream()
                .map(s -> new State(s.storeId(), s.terminalId(), s.status(), s.registeredAt(), s.revokedAt(), s.lastPushAt(),
                        s.lastPullAt(), s.eventsReceived(), s.eventsPending(), close(h, s.storeId(), s.terminalId(), day, json)))
                .toList();
    }

    /** Whether {@code day} was closed at the terminal and, if so, whether head office holds the events it covered. */
    static Close close(Handle h, String store, String terminal, LocalDate day, com.fasterxml.jackson.databind.ObjectMapper json) {
        Optional<String> detail = h.createQuery("""
                SELECT detail FROM audit_entry WHERE store_id = :s AND terminal_id = :t AND action = 'DAY_CLOSED'
                  AND subject = :day ORDER BY seq LIMIT 1""")
                .bind("s", store).bind("t", terminal).bind("day", day.toString()).mapTo(String.class).findOne();
        if (detail.isEmpty()) {
            return Close.OPEN;
        }
        JsonNode d;
        try {
            d = json.readTree(detail.get());
        } catch (java.io.IOException e) {
            return Close.CLOSED_UNCONFIRMED;
        }
        long through = d.path("through_seq").asLong(-1);
        String digest = d.path("digest").asText("");
        if (through < 0 || digest.isEmpty()) {
            return Close.CLOSED_UNCONFIRMED;
        }
        String key = store + "/" + terminal + "/" + day + "/" + through + "/" + digest;
        if (CONFIRMED.contains(key)) {
            return Close.CONFIRMED;
        }
        List<String> ids = h.createQuery("""
                SELECT event_id FROM inbox WHERE store_id = :s AND terminal_id = :t AND terminal_seq <= :n ORDER BY terminal_seq""")
                .bind("s", store).bind("t", terminal).bind("n", through).mapTo(UUID.class).list().stream()
                .map(UUID::toString).toList();
        if (!Digests.ofEventIds(ids).equals(digest)) {
            return Close.DIGEST_DIFFERS;
        }
        if (CONFIRMED.size() >= MAX_REMEMBERED) {
            CONFIRMED.clear();
        }
        CONFIRMED.add(key);
        return Close.CONFIRMED;
    }
}
