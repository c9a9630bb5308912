package dev.counterpoint.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.AuditChain;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The terminal's append-only, hash-chained log of sensitive actions. An entry is written in the transaction of the
 * action it records, with an {@code audit.recorded} event, so the log, the action and what head office receives never
 * disagree. Entries are chained one at a time: each append locks the chain's end ({@code audit_head}).
 */
public final class AuditLog {
    private static final TypeReference<Map<String, String>> DETAIL = new TypeReference<>() { };

    private final Outbox outbox;
    private final ObjectMapper json;
    private final Clock clock;
    private final String storeId;
    private final String terminalId;

    public AuditLog(Outbox outbox, ObjectMapper json, Clock clock, String storeId, String terminalId) {
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
        this.storeId = storeId;
        this.terminalId = terminalId;
    }

    /**
     * Appends an entry inside the caller's transaction.
     *
     * @param staffId who did it (or approved it): null only where no one is known
     * @param subject what it was done to (a receipt, a coupon, a member's card, a staff id)
     * @param detail  anything else worth keeping, as text
     */
    public AuditEntry append(Handle h, String staffId, AuditAction action, String subject, Map<String, String> detail) {
        if (!h.isInTransaction()) {
            throw new IllegalStateException("an audit entry is written in the transaction of its action");
        }
        record Head(long seq, String hash) {
        }
        Head head = h.createQuery("SELECT last_seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
                .map((rs, ctx) -> new Head(rs.getLong(1), rs.getString(2))).one();
        long seq = head.seq() + 1;
        UUID id = Ids.next();
        // Millisecond precision: what the canonical content holds, whatever the database keeps.
        OffsetDateTime at = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        Map<String, String> d = new TreeMap<>(detail);
        d.values().removeIf(v -> v == null);
        AuditEntry entry = new AuditEntry(seq, id, at, storeId, terminalId, staffId, action.name(), subject, Map.copyOf(d),
                head.hash(), null);
        String hash = entry.expectedHash(head.hash());
        h.createUpdate("""
                INSERT INTO audit_log(seq, entry_id, recorded_at, store_id, terminal_id, staff_id, action, subject, detail,
                                      prev_hash, hash)
                VALUES (:seq, :id, :at, :store, :terminal, :staff, :action, :subject, :detail, :prev, :hash)""")
                .bind("seq", seq).bind("id", id).bind("at", at).bind("store", storeId).bind("terminal", terminalId)
                .bind("staff", staffId).bind("action", action.name()).bind("subject", subject)
                .bind("detail", write(d)).bind("prev", head.hash()).bind("hash", hash).execute();
        h.createUpdate("UPDATE audit_head SET last_seq = :seq, hash = :hash WHERE id = 1")
                .bind("seq", seq).bind("hash", hash).execute();
        outbox.append(h, new Event.AuditRecorded(seq, id, at, storeId, terminalId, staffId, action.name(), subject, d,
                head.hash(), hash));
        return new AuditEntry(seq, id, at, storeId, terminalId, staffId, action.name(), subject, Map.copyOf(d), head.hash(),
                hash);
    }

    /** Every entry, in order. */
    public List<AuditEntry> entries(Handle h) {
        return h.createQuery("""
                SELECT seq, entry_id, recorded_at, store_id, terminal_id, staff_id, action, subject, detail, prev_hash, hash
                FROM audit_log ORDER BY seq""")
                .map((rs, ctx) -> new AuditEntry(rs.getLong(1), rs.getObject(2, UUID.class),
                        rs.getObject(3, OffsetDateTime.class), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getString(8), read(rs.getString(9)), rs.getString(10), rs.getString(11)))
                .list();
    }

    /** Where the chain breaks, if it does. */
    public record Break(long seq, UUID entryId, String reason) {
    }

    /**
     * Checks the whole chain: every row's previous hash is the hash of the row before it (the first's, all zeros), its
     * hash is what its content gives, the numbers run 1, 2, 3… without a gap, and the chain's end is the last row.
     * Empty when intact; otherwise the first entry that breaks it.
     */
    public Optional<Break> verify(Handle h) {
        String previous = AuditChain.GENESIS;
        long expectedSeq = 1;
        for (AuditEntry e : entries(h)) {
            if (e.seq() != expectedSeq) {
                return Optional.of(new Break(expectedSeq, null, "entry " + expectedSeq + " is missing"));
            }
            if (!e.prevHash().equals(previous)) {
                return Optional.of(new Break(e.seq(), e.entryId(), "its previous hash is not the hash of entry " + (e.seq() - 1)));
            }
            if (!e.expectedHash(previous).equals(e.hash())) {
                return Optional.of(new Break(e.seq(), e.entryId(), "its content does not give its hash (changed after it was written)"));
            }
            previous = e.hash();
            expectedSeq++;
        }
        long lastSeq = expectedSeq - 1;
        String last = previous;
        record Head(long seq, String hash) {
        }
        Head head = h.createQuery("SELECT last_seq, hash FROM audit_head WHERE id = 1")
                .map((rs, ctx) -> new Head(rs.getLong(1), rs.getString(2))).one();
        if (head.seq() != lastSeq || !head.hash().equals(last)) {
            return Optional.of(new Break(lastSeq + 1, null, "the chain ended at entry " + head.seq()
                    + " but entries after " + lastSeq + " are missing"));
        }
        return Optional.empty();
    }

    private String write(Map<String, String> detail) {
        try {
            return json.writeValueAsString(new TreeMap<>(detail));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Map<String, String> read(String detail) {
        try {
            return json.readValue(detail, DETAIL);
        } catch (JsonProcessingException e) {
            // A row whose detail is no longer JSON was changed: its hash will not match.
            return Map.of("unreadable", detail);
        }
    }
}
