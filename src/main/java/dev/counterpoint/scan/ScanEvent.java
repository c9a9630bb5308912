package dev.counterpoint.scan;

import java.time.Instant;
import java.util.Objects;

/** A code read by a scanner (or typed as one), in the order the counter must handle it. */
public record ScanEvent(String code, Source source, Instant at) {

    public enum Source { WEDGE, SERIAL, TYPED }

    public ScanEvent {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
    }
}
