package dev.counterpoint.office;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.counterpoint.protocol.ProtocolException;
import java.util.UUID;

/** One outbox event as a terminal pushes it: the envelope is checked here, the payload when it is read as its type. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IncomingEvent(UUID eventId, String storeId, String terminalId, long terminalSeq, long hlc, String type,
                            JsonNode payload) {
    public IncomingEvent {
        if (eventId == null || storeId == null || terminalId == null || type == null || payload == null) {
            throw new ProtocolException("an event needs event_id, store_id, terminal_id, type and payload");
        }
        if (terminalSeq <= 0) {
            throw new ProtocolException("terminal_seq must be positive");
        }
        if (type.length() > 40) {
            throw new ProtocolException("type is longer than 40 characters");
        }
    }
}
