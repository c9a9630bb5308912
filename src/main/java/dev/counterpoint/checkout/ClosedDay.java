package dev.counterpoint.checkout;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * When this terminal closed a business day, kept in memory for the counter: each sale asks it (on the database thread)
 * whether its day was closed already, and only a new date or a close of day changes the answer, so a sale reads no
 * close_day row.
 */
final class ClosedDay {
    private record Known(LocalDate day, Optional<OffsetDateTime> closedAt) {
    }

    private final AtomicReference<Known> known = new AtomicReference<>();
    private volatile Function<LocalDate, Optional<OffsetDateTime>> reader = day -> Optional.empty();

    /** How a day's close is read, once per date. */
    void readWith(Function<LocalDate, Optional<OffsetDateTime>> reader) {
        this.reader = reader;
        known.set(null);
    }

    /** When {@code day} was closed, if it was: read the first time a date is asked, then kept. */
    Optional<OffsetDateTime> closedAt(LocalDate day) {
        Known k = known.get();
        if (k == null || !k.day().equals(day)) {
            k = new Known(day, reader.apply(day));
            known.set(k);
        }
        return k.closedAt();
    }

    /** The counter closed {@code day} at {@code at}. */
    void closed(LocalDate day, OffsetDateTime at) {
        known.set(new Known(day, Optional.of(at)));
    }
}
