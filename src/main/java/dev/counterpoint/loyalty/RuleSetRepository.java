package dev.counterpoint.loyalty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Handle;

/** Reads the rule set in force: the highest version stored. */
public final class RuleSetRepository {
    private final ObjectMapper json;

    public RuleSetRepository(ObjectMapper json) {
        this.json = json;
    }

    public RuleSet active(Handle h) {
        String body = h.createQuery("SELECT body FROM rule_set ORDER BY version DESC LIMIT 1").mapTo(String.class).one();
        try {
            return json.readValue(body, RuleSet.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rule set cannot be read: " + e.getOriginalMessage(), e);
        }
    }
}
