package dev.counterpoint.audit;

import dev.counterpoint.protocol.AuditChain;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** One row of the audit log as stored. */
public record AuditEntry(long seq, UUID entryId, OffsetDateTime recordedAt, String storeId, String terminalId,
                         String staffId, String action, String subject, Map<String, String> detail, String prevHash,
                         String hash) {

    /** The hash this row's content gives after {@code previousHash}. */
    public String expectedHash(String previousHash) {
        return AuditChain.hash(previousHash, AuditChain.canonical(seq, entryId, recordedAt, storeId, terminalId, staffId,
                action, subject, detail));
    }
}
