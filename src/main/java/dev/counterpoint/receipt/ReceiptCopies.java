package dev.counterpoint.receipt;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The {@code receipt_copy} table: a receipt's member lines as made, and how often it printed. */
final class ReceiptCopies {
    private ReceiptCopies() {}

    /** A receipt's copy as held. */
    record Copy(String memberLines, int printed) {
    }

    /** Keeps the member lines of a new receipt; a receipt made before keeps its first lines. True if it was new. */
    static boolean insert(Handle h, ReceiptDoc.Kind kind, String number, OffsetDateTime at, String memberLines) {
        return h.createUpdate("""
                MERGE INTO receipt_copy t USING (VALUES (CAST(:kind AS VARCHAR(10)), CAST(:number AS VARCHAR(100)))) s(kind, number)
                ON t.kind = s.kind AND t.number = s.number
                WHEN NOT MATCHED THEN INSERT (kind, number, made_at, member_lines, printed)
                    VALUES (:kind, :number, :at, :lines, 0)""")
                .bind("kind", kind.name()).bind("number", number).bind("at", at.withOffsetSameInstant(ZoneOffset.UTC))
                .bind("lines", memberLines).execute() == 1;
    }

    static Optional<Copy> find(Handle h, ReceiptDoc.Kind kind, String number) {
        return h.createQuery("SELECT member_lines, printed FROM receipt_copy WHERE kind = :kind AND number = :number")
                .bind("kind", kind.name()).bind("number", number)
                .map((rs, ctx) -> new Copy(rs.getString(1), rs.getInt(2))).findOne();
    }

    /** Counts a print that reached the printer. */
    static void printed(Handle h, ReceiptDoc.Kind kind, String number) {
        h.createUpdate("UPDATE receipt_copy SET printed = printed + 1 WHERE kind = :kind AND number = :number")
                .bind("kind", kind.name()).bind("number", number).execute();
    }
}
