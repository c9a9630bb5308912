package dev.counterpoint.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.UUID;

/**
 * What an erased member's stored events become, wherever they are kept (a terminal's outbox, head office's inbox), so
 * that no name, phone, birthday, consent or purchased item of theirs remains in them (decision 0044):
 * <ul>
 *   <li>an enrolment or import stays a valid event (its ledger part, opening balances, still counts) with the name
 *       {@link #ERASED_NAME} and no phone or birthday;</li>
 *   <li>a profile edit, a consent or a custom tag becomes {@code {"member_id": …, "erased": true}}, which head office refuses if it
 *       was not yet sent;</li>
 *   <li>a sale or an imported purchase keeps its total, receipt and points and loses its lines.</li>
 * </ul>
 * Every other event holds nothing personal and stays as it is.
 */
public final class Erasure {
    /** The name an erased member's enrolment carries where a name is required. */
    public static final String ERASED_NAME = "—";

    private Erasure() {}

    /** The event scrubbed of the member's personal data; empty when it holds none. */
    public static Optional<ObjectNode> scrubEvent(String type, JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            return Optional.empty();
        }
        ObjectNode p = ((ObjectNode) payload).deepCopy();
        EventType t = EventType.byWire(type).orElse(null);
        if (t == null) {
            return Optional.empty();
        }
        switch (t) {
            case MEMBER_ENROLLED, MEMBER_IMPORTED -> {
                if (ERASED_NAME.equals(p.path("name").asText(null)) && p.path("phone_hmac").isNull()
                        && p.path("phone_masked").isNull() && p.path("birthday").isNull()
                        && !p.hasNonNull("phone_box")) {
                    return Optional.empty();
                }
                p.put("name", ERASED_NAME);
                p.putNull("phone_hmac");
                p.putNull("phone_masked");
                p.putNull("birthday");
                p.putNull("phone_box");
                return Optional.of(p);
            }
            case MEMBER_UPDATED, MEMBER_CONSENT, MEMBER_TAGGED -> {
                if (isTombstone(p)) {
                    return Optional.empty();
                }
                ObjectNode tombstone = p.objectNode();
                tombstone.set("member_id", p.path("member_id"));
                tombstone.put("erased", true);
                return Optional.of(tombstone);
            }
            case SALE_RECORDED, PURCHASE_IMPORTED, CHECKOUT_COMPLETED -> {
                if (!p.has("lines") || p.path("lines").isArray() && p.path("lines").isEmpty()) {
                    return Optional.empty();
                }
                p.putArray("lines");
                return Optional.of(p);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** Whether a payload is what an erased member's edit or consent became. */
    public static boolean isTombstone(JsonNode payload) {
        return payload != null && payload.path("erased").asBoolean(false);
    }

    /** The member a stored event is about, read from its payload; empty for events about no member. */
    public static Optional<UUID> memberOf(JsonNode payload) {
        String id = payload == null ? null : payload.path("member_id").asText(null);
        try {
            return Optional.ofNullable(id).map(UUID::fromString);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
