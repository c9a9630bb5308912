package dev.counterpoint.loyalty;

import dev.counterpoint.protocol.Event;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.Outbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts rule sets in force. Sources: the data dir's {@code rules.json} (read at start, later written by sync)
 * and a manager's edit in the app. A set is put in force only when it is valid and newer than the one in
 * force; otherwise the previous set stays and the problems are reported, each naming its field.
 * After a change the file is rewritten, so it always shows the rules in force.
 */
public final class RuleSetService {
    public static final String FILE_NAME = "rules.json";
    private static final Logger LOG = LoggerFactory.getLogger(RuleSetService.class);

    private final Jdbi jdbi;
    private final RuleSetRepository rules;
    private final Outbox outbox;
    private final Clock clock;
    private final Path file;

    public RuleSetService(Jdbi jdbi, RuleSetRepository rules, Outbox outbox, Clock clock, Path dataDir) {
        this.jdbi = jdbi;
        this.rules = rules;
        this.outbox = outbox;
        this.clock = clock;
        this.file = dataDir.resolve(FILE_NAME);
    }

    public RuleSet active() {
        return jdbi.withHandle(rules::active);
    }

    public Path file() {
        return file;
    }

    /**
     * Reads the rules file: a newer valid set is put in force; a missing file is written from the set in
     * force; a bad or older file changes nothing. Returns the problems (empty when nothing is wrong).
     */
    public List<UserMessage> loadFile() {
        if (!Files.exists(file)) {
            writeFile(active());
            return List.of();
        }
        String body;
        try {
            body = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of(new UserMessage("rules.error.file", file.toString(), e.getMessage()));
        }
        RuleSetRepository.Parsed parsed = rules.parse(body);
        if (!parsed.valid()) {
            LOG.warn("rules file {} refused, the rules in force stay: {}", file, parsed.problems());
            return parsed.problems();
        }
        if (parsed.ruleSet().version() <= active().version()) {
            return List.of();
        }
        try {
            putInForce(parsed.ruleSet(), "file");
        } catch (BusinessRuleException e) {
            return List.of(e.userMessage());
        }
        return List.of();
    }

    /**
     * Puts a new set in force with a {@code rules.changed} event; refused (nothing written) when it is invalid
     * or not newer than the set in force.
     */
    public RuleSet putInForce(RuleSet next, String source) {
        List<UserMessage> problems = RuleSetValidator.problems(next);
        if (!problems.isEmpty()) {
            throw new BusinessRuleException(problems.get(0).key(), problems.get(0).args());
        }
        RuleSet applied = jdbi.inTransaction(h -> {
            RuleSet current = rules.active(h);
            if (next.version() <= current.version()) {
                throw new BusinessRuleException("rules.error.versionNotNewer", next.version(), current.version());
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            rules.insert(h, next, now);
            outbox.append(h, new Event.RulesChanged(next.version(), current.version(), source, rules.toJson(next), now));
            return next;
        });
        writeFile(applied);
        return applied;
    }

    private void writeFile(RuleSet r) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.writeString(tmp, rules.toJson(r), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
