package dev.counterpoint.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash chain of a terminal's audit log, computed the same way at the terminal and at head office: each entry's
 * hash is the SHA-256 of the previous entry's hash and the entry's canonical content, so changing, removing or
 * reordering any entry breaks every hash after it.
 */
public final class AuditChain {
    /** The "previous hash" of a terminal's first entry. */
    public static final String GENESIS = "0".repeat(64);
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'");

    private AuditChain() {}

    /**
     * The canonical content of an entry: its fields, one per line in a fixed order, each as {@code name=value} with the
     * value escaped so that no value can imitate a line break or another field; the detail's keys in order.
     */
    public static String canonical(long seq, java.util.UUID entryId, OffsetDateTime recordedAt, String storeId,
                                   String terminalId, String staffId, String action, String subject,
                                   Map<String, String> detail) {
        StringBuilder b = new StringBuilder();
        field(b, "seq", Long.toString(seq));
        field(b, "entry_id", entryId.toString());
        field(b, "recorded_at", INSTANT.format(recordedAt.withOffsetSameInstant(ZoneOffset.UTC)));
        field(b, "store_id", storeId);
        field(b, "terminal_id", terminalId);
        field(b, "staff_id", staffId);
        field(b, "action", action);
        field(b, "subject", subject);
        for (Map.Entry<String, String> e : new TreeMap<>(detail).entrySet()) {
            field(b, "detail." + e.getKey(), e.getValue());
        }
        return b.toString();
    }

    /** SHA-256 of the previous hash, a line break and the canonical content, as 64 lower-case hex digits. */
    public static String hash(String previousHash, String canonical) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previousHash.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) '\n');
            sha.update(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The hash an event's entry must carry. */
    public static String hashOf(Event.AuditRecorded a) {
        return hash(a.prevHash(), canonical(a.seq(), a.entryId(), a.recordedAt(), a.storeId(), a.terminalId(), a.staffId(),
                a.action(), a.subject(), a.detail()));
    }

    /** Whether a text is a hash as the chain writes it. */
    public static boolean wellFormed(String hash) {
        return hash != null && hash.matches("[0-9a-f]{64}");
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(name).append('=');
        if (value == null) {
            b.append("\\0");
        } else {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    default -> b.append(c);
                }
            }
        }
        b.append('\n');
    }
}
