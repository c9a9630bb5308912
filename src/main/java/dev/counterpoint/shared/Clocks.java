package dev.counterpoint.shared;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/** Clocks as the databases can keep their readings. */
public final class Clocks {
    private Clocks() {}

    /**
     * The clock read to whole microseconds. H2 and PostgreSQL keep timestamps to the microsecond and round the rest, so
     * a row written at a reading of {@code .970976824} was kept at {@code .970977}: after that reading, and missed by a
     * query "up to now" in the same transaction (a sale then left itself out of its own tier figure). Read to the
     * microsecond, what is written is what was read. ({@code Clock.tick} with a microsecond divides by zero in its
     * {@code millis()} on Java 17.)
     */
    public static Clock toDatabasePrecision(Clock clock) {
        return clock instanceof Microseconds ? clock : new Microseconds(clock);
    }

    private static final class Microseconds extends Clock {
        private final Clock base;

        Microseconds(Clock base) {
            this.base = base;
        }

        @Override
        public ZoneId getZone() {
            return base.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return zone.equals(base.getZone()) ? this : new Microseconds(base.withZone(zone));
        }

        @Override
        public long millis() {
            return base.millis();
        }

        @Override
        public Instant instant() {
            return base.instant().truncatedTo(ChronoUnit.MICROS);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Microseconds other && base.equals(other.base);
        }

        @Override
        public int hashCode() {
            return base.hashCode() ^ 1_000;
        }

        @Override
        public String toString() {
            return "Microseconds[" + base + "]";
        }
    }
}
