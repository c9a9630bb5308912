package dev.counterpoint.office;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.AuditChain;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.Verdict;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Each terminal's audit chain as it arrives: an entry must carry the number after the last one held, the hash of that
 * entry as its previous hash, and the hash its content gives. An entry that breaks the chain is still kept (what a
 * terminal sent is evidence) and opens an {@code AUDIT_CHAIN_BROKEN} exception for the owner naming the first entry that
 * broke it; the chain goes on from the entry received.
 */
final class AuditChains {
    private static final ObjectMapper JSON = dev.counterpoint.protocol.ProtocolJson.newMapper();

    private AuditChains() {}

    static Verdict arrived(Projector projector, Handle h, TerminalIdentity who, Event.AuditRecorded a, OffsetDateTime now) {
        record Last(long seq, String hash) {
        }
        Optional<Last> last = h.createQuery("""
                SELECT seq, hash FROM audit_entry WHERE store_id = :s AND terminal_id = :t ORDER BY seq DESC LIMIT 1""")
                .bind("s", who.storeId()).bind("t", who.terminalId())
                .map((rs, ctx) -> new Last(rs.getLong(1), rs.getString(2))).findOne();
        long expectedSeq = last.map(l -> l.seq() + 1).orElse(1L);
        String expectedPrev = last.map(Last::hash).orElse(AuditChain.GENESIS);
        String problem = null;
        boolean renumbered = last.isPresent() && a.seq() <= last.get().seq();
        if (renumbered) {
            // The terminal numbers an entry head office holds already: its chain started again from an older end (a data
            // dir restored from an older copy). The entry held first stays; this one is evidence in the inbox.
            problem = "entry " + a.seq() + " arrived again with other content (the chain is at " + last.get().seq()
                    + "): the terminal's log was restored or rewritten";
        } else if (a.seq() != expectedSeq) {
            problem = "entry " + expectedSeq + " is missing: entry " + a.seq() + " arrived after " + (expectedSeq - 1);
        } else if (!a.prevHash().equals(expectedPrev)) {
            problem = "entry " + a.seq() + "'s previous hash is not the hash of entry " + (a.seq() - 1);
        } else if (!AuditChain.hashOf(a).equals(a.hash())) {
            problem = "entry " + a.seq() + "'s content does not give its hash";
        }
        if (!renumbered) {
            h.createUpdate("""
                INSERT INTO audit_entry(store_id, terminal_id, seq, entry_id, recorded_at, staff_id, action, subject, detail,
                                        prev_hash, hash, intact)
                VALUES (:s, :t, :seq, :id, :at, :staff, :action, :subject, :detail, :prev, :hash, :intact)""")
                .bind("s", who.storeId()).bind("t", who.terminalId()).bind("seq", a.seq()).bind("id", a.entryId())
                .bind("at", a.recordedAt()).bind("staff", a.staffId()).bind("action", a.action()).bind("subject", a.subject())
                .bind("detail", write(a.detail())).bind("prev", a.prevHash()).bind("hash", a.hash())
                .bind("intact", problem == null).execute();
        }
        if (problem != null) {
            String subject = who.storeId() + "/" + who.terminalId();
            boolean open = h.createQuery("""
                    SELECT COUNT(*) FROM sync_exception WHERE kind = 'AUDIT_CHAIN_BROKEN' AND subject = :s AND state = 'OPEN'""")
                    .bind("s", subject).mapTo(Integer.class).one() > 0;
            if (!open) {
                // The first break is what the owner needs; later ones of the same open case are in audit_entry.intact.
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("store_id", who.storeId());
                detail.put("terminal_id", who.terminalId());
                detail.put("seq", a.seq());
                detail.put("entry_id", a.entryId().toString());
                detail.put("problem", problem);
                projector.upsertException(h, "AUDIT_CHAIN_BROKEN", subject, detail, "OPEN", now);
            }
        }
        return Verdict.ACCEPTED;
    }

    private static String write(Map<String, String> detail) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(detail));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
