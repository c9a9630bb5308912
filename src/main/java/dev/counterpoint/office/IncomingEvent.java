package dev.counterpoint.office;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.counterpoint.protocol.ProtocolException;
import dev.counterpoint.protocol.ProtocolJson;
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

    /**
     * Reads one envelope of a push as strictly as any record. The payload object is kept as it is: read through the
     * record, it was copied node by node, which cost as much as reading it as its event.
     */
    static IncomingEvent read(ObjectMapper json, JsonNode node) {
        JsonNode payload = node.get("payload");
        if (!(node instanceof ObjectNode envelope) || payload == null || !payload.isObject()) {
            return ProtocolJson.readRecord(json, IncomingEvent.class, node); // says what is wrong
        }
        ObjectNode withoutPayload = json.createObjectNode();
        withoutPayload.setAll(envelope);
        withoutPayload.set("payload", json.createObjectNode());
        IncomingEvent e = ProtocolJson.readRecord(json, IncomingEvent.class, withoutPayload);
        return new IncomingEvent(e.eventId(), e.storeId(), e.terminalId(), e.terminalSeq(), e.hlc(), e.type(), payload);
    }
}
