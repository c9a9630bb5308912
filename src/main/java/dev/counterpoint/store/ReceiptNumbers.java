package dev.counterpoint.store;

import org.jdbi.v3.core.Handle;

/**
 * The terminal's receipt and refund numbers (receipt_counter, one row): each taken in the transaction of the sale or
 * refund it numbers, so that it commits and rolls back with it. Concurrent takers wait for each other on the row.
 */
public final class ReceiptNumbers {
    private ReceiptNumbers() {
    }

    /** The next number, in {@code h}'s transaction. */
    public static long next(Handle h) {
        return h.createQuery("SELECT last_no FROM FINAL TABLE (UPDATE receipt_counter SET last_no = last_no + 1 WHERE id = 1)")
                .mapTo(Long.class).one();
    }

    /** Makes the next number follow {@code number} at least: after a restore, numbers the store had already used. */
    public static void atLeast(Handle h, long number) {
        h.createUpdate("UPDATE receipt_counter SET last_no = GREATEST(last_no, :n) WHERE id = 1").bind("n", number).execute();
    }
}
