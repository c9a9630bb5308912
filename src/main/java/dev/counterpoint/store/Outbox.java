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

    /** An event made ready to write, its payload serialised: an import makes these on a thread of its own. */
    public record Prepared(UUID eventId, String type, UUID aggregateId, String payload) {
    }

    /** Serialises an event for {@link Batch#add}; safe from any thread. */
    public Prepared prepare(Event event) {
        return new Prepared(Ids.next(), EventType.of(event).wire(), event.memberId(), ProtocolJson.write(json, event));
    }

    private static final String INSERT_BY_POSITION = """
            INSERT INTO outbox_event(event_id, terminal_seq, hlc, type, aggregate_id, payload, created_at)
            VALUES (?, NEXT VALUE FOR outbox_seq, ?, ?, ?, ?, ?)""";

    /** Events written in JDBC batches, numbered and stamped in the order added, in the handle's transaction. */
    public Batch batch(Handle handle) {
        return new Batch(handle);
    }

    /** See {@link #batch}: an import's thousands of events a transaction, each with the rows it describes. */
    public final class Batch extends JdbcBatch.Rows {
        private final Handle handle;

        private Batch(Handle handle) {
            super(handle, INSERT_BY_POSITION);
            this.handle = handle;
        }

        /** Adds one event; it is written at {@link #flush}, which must come before the transaction commits. */
        public void add(Prepared event) {
            if (!handle.isInTransaction()) {
                throw new IllegalStateException("outbox events are written in the business transaction");
            }
            batch.add(event.eventId(), hlc.now(), event.type(), event.aggregateId(), event.payload(),
                    OffsetDateTime.now(clock));
        }
    }

    public long pendingCount(Handle handle) {
        return handle.createQuery("SELECT COUNT(*) FROM outbox_event WHERE pushed_at IS NULL").mapTo(Long.class).one();
    }
}
