package dev.counterpoint.store;

import java.time.OffsetDateTime;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The mark a scale-data generator leaves in the database (table {@code fixture_mark}): the data dir is a benchmark
 * fixture written without outbox events, so it must never be registered with or synced to a head office
 * (decision 0026). The mark is written before the first bulk row, so a load that stopped halfway is marked too.
 */
public final class FixtureMark {
    static final String SCALE_DATA = "SCALE_DATA";

    private FixtureMark() {}

    /** Marks the database as holding scale data; marking it again changes nothing. */
    public static void markScaleData(Handle h, OffsetDateTime at) {
        h.createUpdate("MERGE INTO fixture_mark(kind, marked_at) KEY(kind) VALUES (:kind, :at)")
                .bind("kind", SCALE_DATA).bind("at", at).execute();
    }

    public static boolean isScaleData(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM fixture_mark WHERE kind = :kind")
                .bind("kind", SCALE_DATA).mapTo(Integer.class).one()) > 0;
    }
}
