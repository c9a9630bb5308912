package dev.counterpoint.office;

import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import org.jdbi.v3.core.Handle;

/** The chain's rule set in force at head office: the latest the owner published, else the newest built-in set. */
public final class ChainRules {
    private ChainRules() {}

    public static RuleSet current(Handle h, RuleSetRepository ruleSets) {
        String body = h.createQuery("SELECT body FROM rule_set ORDER BY version DESC LIMIT 1").mapTo(String.class).findOne()
                .orElseGet(() -> h.createQuery("SELECT body FROM builtin_rule_set ORDER BY version DESC LIMIT 1")
                        .mapTo(String.class).one());
        RuleSetRepository.Parsed parsed = ruleSets.parse(body);
        if (!parsed.valid()) {
            throw new IllegalStateException("the chain's rule set is not valid: " + parsed.problems());
        }
        return parsed.ruleSet();
    }
}
