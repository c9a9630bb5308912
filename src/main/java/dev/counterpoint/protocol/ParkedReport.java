package dev.counterpoint.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A terminal tells head office which feed change it parked and why, so the owner sees it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ParkedReport(long seq, String kind, String reason) {
    public ParkedReport {
        Check.positive(seq, "seq");
        Check.text(kind, "kind", 40);
        Check.text(reason, "reason", Check.MAX_TEXT);
    }
}
