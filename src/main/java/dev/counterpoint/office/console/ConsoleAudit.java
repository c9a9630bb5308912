package dev.counterpoint.office.console;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** What people did in the console, and who (table {@code console_audit}): kept at head office, never sent to stores. */
public final class ConsoleAudit {
    private final Jdbi jdbi;
    private final Clock clock;

    public ConsoleAudit(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** One entry, in its own transaction. */
    public void record(String username, String address, String action, String subject, String detail) {
        jdbi.useHandle(h -> record(h, username, address, action, subject, detail));
    }

    /** One entry, in the transaction of the action it records. */
    public void record(Handle h, String username, String address, String action, String subject, String detail) {
        h.createUpdate("""
                INSERT INTO console_audit(acted_at, username, address, action, subject, detail)
                VALUES (:at, :u, :a, :action, :s, :d)""")
                .bind("at", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)).bind("u", cut(username, 40))
                .bind("a", cut(address, 64)).bind("action", action).bind("s", cut(subject, 200)).bind("d", cut(detail, 1000))
                .execute();
    }

    public record Entry(OffsetDateTime at, String username, String address, String action, String subject, String detail) {
    }

    /** The latest entries, newest first. */
    public List<Entry> latest(int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT acted_at, username, address, action, subject, detail FROM console_audit ORDER BY id DESC LIMIT :n""")
                .bind("n", limit)
                .map((rs, ctx) -> new Entry(rs.getObject(1, OffsetDateTime.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6))).list());
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
