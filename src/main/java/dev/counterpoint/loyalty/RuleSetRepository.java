package dev.counterpoint.loyalty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.counterpoint.shared.UserMessage;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/** Stored rule sets: every version ever put in force; the highest is the one in force. */
public final class RuleSetRepository {
    private final ObjectMapper json;
    /** The last rule set read, by version: a version's body never changes, and every scan reads the rules. */
    private volatile RuleSet cached;

    public RuleSetRepository(ObjectMapper json) {
        this.json = json.copy()
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** The version in force, as a column of another statement: a scan reads it with the member and no statement more. */
    public static final String VERSION_IN_FORCE = "(SELECT MAX(version) FROM rule_set)";

    public RuleSet active(Handle h) {
        return inForce(h, h.createQuery("SELECT MAX(version) FROM rule_set").mapTo(Integer.class).one());
    }

    /**
     * The rule set of this version, the one in force as just read ({@link #VERSION_IN_FORCE}): from memory while it
     * is the one read last, so a scan neither reads nor parses the body again; a new version (put in force here or
     * pulled from head office) is a new number, and is read and parsed once.
     */
    public RuleSet inForce(Handle h, int version) {
        RuleSet known = cached;
        if (known != null && known.version() == version) {
            return known;
        }
        String body = h.createQuery("SELECT body FROM rule_set WHERE version = :v").bind("v", version).mapTo(String.class).one();
        Parsed parsed = parse(body);
        if (parsed.ruleSet() == null) {
            throw new IllegalStateException("stored rule set cannot be read: " + parsed.problems());
        }
        cached = parsed.ruleSet();
        return parsed.ruleSet();
    }

    public void insert(Handle h, RuleSet r, OffsetDateTime at) {
        h.createUpdate("INSERT INTO rule_set(version, body, activated_at) VALUES (:v, :body, :at)")
                .bind("v", r.version()).bind("body", toJson(r)).bind("at", at.withOffsetSameInstant(ZoneOffset.UTC))
                .execute();
    }

    /** A rule set read from text: either the set (valid) or the problems, each naming its field. */
    public record Parsed(RuleSet ruleSet, List<UserMessage> problems) {
        public boolean valid() {
            return ruleSet != null;
        }
    }

    public Parsed parse(String body) {
        RuleSet r;
        try {
            com.fasterxml.jackson.databind.JsonNode tree = json.readTree(body);
            if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                for (String optional : RuleSet.OPTIONAL_FIELDS) {
                    if (!o.has(optional)) {
                        o.putNull(optional);
                    }
                }
            }
            r = json.treeToValue(tree, RuleSet.class);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            return new Parsed(null, List.of(field.isEmpty()
                    ? new UserMessage("rules.error.syntax", e.getOriginalMessage())
                    : new UserMessage("rules.error.fieldValue", field)));
        } catch (JsonProcessingException e) {
            return new Parsed(null, List.of(new UserMessage("rules.error.syntax", e.getOriginalMessage())));
        }
        List<UserMessage> problems = RuleSetValidator.problems(r);
        return problems.isEmpty() ? new Parsed(r, List.of()) : new Parsed(null, problems);
    }

    public String toJson(RuleSet r) {
        try {
            return json.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rule set is not serialisable", e);
        }
    }
}
