package dev.counterpoint.office.reminder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.member.Phones;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message to one member. {@code to} is the member's full phone number, opened from head office's phone box for
 * this message only: it goes into the outgoing message and nowhere else ({@link #toString()} masks it).
 *
 * @param idempotencyKey the same for every try of one reminder (member, kind, occasion), so a receiver can drop a repeat
 * @param medium         {@code sms} or {@code wechat}: how the member agreed to be reached
 */
public record ReminderMessage(String idempotencyKey, String cardCode, ReminderKind kind, String medium, String to, String text) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The message as the file and webhook channels write it: exactly card_code, kind, channel, to, text. */
    public String json() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("card_code", cardCode);
        m.put("kind", kind.wire());
        m.put("channel", medium);
        m.put("to", to);
        m.put("text", text);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings always serialise", e);
        }
    }

    /** The number as logs show it. */
    public String maskedTo() {
        return to.length() == 11 ? Phones.mask(to) : "***";
    }

    @Override
    public String toString() {
        return "ReminderMessage[" + kind.wire() + " for card " + cardCode + " to " + maskedTo() + " by " + medium + "]";
    }
}
