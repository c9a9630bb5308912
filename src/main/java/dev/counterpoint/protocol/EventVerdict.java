package dev.counterpoint.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.UUID;

/** Head office's verdict on one pushed event; the detail says why it was rejected or refused. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EventVerdict(UUID eventId, Verdict verdict, String detail) {
    public EventVerdict {
        Check.required(eventId, "event_id");
        Check.required(verdict, "verdict");
    }
}
