package dev.counterpoint.office;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/** One outbox event as a terminal pushes it. */
public record IncomingEvent(UUID eventId, String storeId, String terminalId, long terminalSeq, long hlc, String type,
                            JsonNode payload) {
}
