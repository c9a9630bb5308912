package dev.counterpoint.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one JSON configuration of the project (terminal, head office, command line) and the strict reading of
 * events and changes: every field of a record must be present (null where the record allows it), numbers are
 * numbers, enums are known names. Maps are written with their keys in order, so printed JSON is stable.
 */
public final class ProtocolJson {
    private ProtocolJson() {}

    public static ObjectMapper newMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }

    /**
     * Optional fields added to an event after its first version. An event an earlier version wrote (still unsent at an
     * upgrade, or restored) lacks them and reads them as absent; every other field must be there, null or not.
     */
    private static final Map<EventType, List<String>> ADDED_LATER = Map.of(
            EventType.MEMBER_ENROLLED, List.of("phone_box"),
            EventType.MEMBER_IMPORTED, List.of("phone_box"),
            EventType.CHECKOUT_REFUNDED, List.of("upgrade_undone"));

    /** Reads an event's payload into its record; anything missing, unknown or out of bounds is a ProtocolException. */
    public static Event readEvent(ObjectMapper json, String type, JsonNode payload) {
        EventType t = EventType.byWire(type).orElseThrow(() -> new ProtocolException("unknown event type " + type));
        List<String> later = ADDED_LATER.getOrDefault(t, List.of());
        if (payload instanceof ObjectNode o && later.stream().anyMatch(f -> !o.has(f))) {
            ObjectNode filled = o.deepCopy();
            later.forEach(f -> {
                if (!filled.has(f)) {
                    filled.putNull(f);
                }
            });
            payload = filled;
        }
        return read(json, t.record(), payload);
    }

    public static Change readChange(ObjectMapper json, String kind, JsonNode payload) {
        ChangeKind k = ChangeKind.byWire(kind).orElseThrow(() -> new ProtocolException("unknown change kind " + kind));
        return read(json, k.record(), payload);
    }

    /** A record as the JSON tree written to the outbox or the feed. */
    public static ObjectNode tree(ObjectMapper json, Object record) {
        return json.valueToTree(record);
    }

    public static String write(ObjectMapper json, Object record) {
        try {
            return json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable: " + record.getClass().getSimpleName(), e);
        }
    }

    /** Any protocol record (an envelope, a verdict), read as strictly as events and changes. */
    public static <T> T readRecord(ObjectMapper json, Class<T> type, JsonNode payload) {
        return read(json, type, payload);
    }

    private static <T> T read(ObjectMapper json, Class<T> type, JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw new ProtocolException("the payload is not a JSON object");
        }
        ObjectReader reader = json.readerFor(type)
                .with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            return reader.readValue(payload);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ProtocolException(cause instanceof ProtocolException ? cause.getMessage() : "bad value: " + cause.getMessage());
        } catch (InvalidFormatException e) {
            throw new ProtocolException("bad " + path(e) + ": " + e.getValue());
        } catch (MismatchedInputException e) {
            String path = path(e);
            throw new ProtocolException(e.getOriginalMessage().startsWith("Missing") ? "missing " + path : "bad " + path);
        } catch (java.io.IOException e) {
            throw new ProtocolException("unreadable payload: " + e.getClass().getSimpleName());
        }
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.isEmpty() ? "value" : p;
    }
}
