package dev.counterpoint.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.EventType;
import dev.counterpoint.protocol.ProtocolJson;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Writes the event that head office will receive, inside the caller's transaction. */
public final class Outbox {
    private final Hlc hlc;
    private final Clock clock;
    private final ObjectMapper json;

    public Outbox(Hlc hlc, Clock clock, ObjectMapper json) {
        this.hlc = hlc;
        this.clock = clock;
        this.json = json;
    }

    /** Appends one event; must be called with the handle of the transaction that writes the event's rows. */
    public UUID append(Handle handle, Event event) {
        if (!handle.isInTransaction()) {
            throw new IllegalStateException("outbox events are written in the business transaction");
        }
        UUID eventId = Ids.next();
        handle.createUpdate("""
                INSERT INTO outbox_event(event_id, terminal_seq, hlc, type, aggregate_id, payload, created_at)
                VALUES (:id, NEXT VALUE FOR outbox_seq, :hlc, :type, :aggregate, :payload, :at)""")
                .bind("id", eventId)
                .bind("hlc", hlc.now())
                .bind("type", EventType.of(event).wire())
                .bind("aggregate", event.memberId())
                .bind("payload", ProtocolJson.write(json, event))
                .bind("at", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                .execute();
        return eventId;
    }

    public long pendingCount(Handle handle) {
        return handle.createQuery("SELECT COUNT(*) FROM outbox_event WHERE pushed_at IS NULL").mapTo(Long.class).one();
    }
}
