package dev.counterpoint.loyalty;

import dev.counterpoint.audit.AuditAction;
import dev.counterpoint.audit.AuditLog;
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
 * Puts rule sets in force. Sources: head office (a published set, applied by sync), a manager's edit in the app, and a
 * rules file a manager imports with the PIN. A set is put in force only when it is valid and newer than the one in
 * force; otherwise the previous set stays and the problems are reported, each naming its field. The data dir's
 * {@code rules.json} shows the rules in force and is rewritten after every change; it is never read as rules.
 */
public final class RuleSetService {
    public static final String FILE_NAME = "rules.json";
    static final String REFUSED_SUFFIX = ".refused";
    private static final Logger LOG = LoggerFactory.getLogger(RuleSetService.class);

    private final Jdbi jdbi;
    private final RuleSetRepository rules;
    private final Outbox outbox;
    private final Clock clock;
    private final Path file;
    private final AuditLog audit;

    public RuleSetService(Jdbi jdbi, RuleSetRepository rules, Outbox outbox, Clock clock, Path dataDir, AuditLog audit) {
        this.audit = audit;
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
     * Checks the rules file against the set in force. The file only shows the rules in force: rules come from head
     * office or the manager's editor, and a file changed by hand would let anyone at the till change earn rates. A
     * missing file is written; a changed one is refused, kept beside it as {@value #REFUSED_SUFFIX} for a manager to
     * import ({@link #importFile}), and written again from the set in force. Returns the problems (empty when none).
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
        RuleSet inForce = active();
        RuleSetRepository.Parsed parsed = rules.parse(body);
        if (parsed.valid() && rules.toJson(parsed.ruleSet()).equals(rules.toJson(inForce))) {
            return List.of(); // the rules in force, perhaps saved again by an editor
        }
        Path refused = file.resolveSibling(FILE_NAME + REFUSED_SUFFIX);
        try {
            Files.move(file, refused, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + file + " to " + refused, e);
        }
        writeFile(inForce);
        LOG.warn("rules file {} was changed outside the app and is refused (kept as {}); version {} stays in force",
                file, refused, inForce.version());
        return List.of(new UserMessage("rules.error.handEdited", refused.toString()));
    }

    /**
     * A manager's import of a rules file (after the PIN): put in force like an edit in the app, recorded with a
     * {@code rules.changed} event naming the manager, so every local change of the rules is in the outbox and at head
     * office.
     */
    public RuleSet importFile(Path source, String manager) {
        return importFile(source, manager, manager);
    }

    /** As {@link #importFile(Path, String)}, recorded in the audit log as the staff member {@code staffId}'s. */
    public RuleSet importFile(Path source, String manager, String staffId) {
        String body;
        try {
            body = Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BusinessRuleException("rules.error.file", source.toString(), String.valueOf(e.getMessage()));
        }
        RuleSetRepository.Parsed parsed = rules.parse(body);
        if (!parsed.valid()) {
            UserMessage first = parsed.problems().get(0);
            throw new BusinessRuleException(first.key(), first.args());
        }
        return putInForce(parsed.ruleSet(), "import by " + manager, staffId);
    }

    /**
     * Puts a new set in force with a {@code rules.changed} event; refused (nothing written) when it is invalid
     * or not newer than the set in force.
     */
    public RuleSet putInForce(RuleSet next, String source) {
        return putInForce(next, source, null);
    }

    /** As {@link #putInForce(RuleSet, String)}, recorded in the audit log as the staff member {@code staffId}'s. */
    public RuleSet putInForce(RuleSet next, String source, String staffId) {
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
            audit.append(h, staffId, AuditAction.RULES_CHANGED, "rules v" + next.version(),
                    java.util.Map.of("previous_version", Integer.toString(current.version()), "source", source));
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
